"""CSV importer: one post per row, columns found by header name or mapped by ImportOptions."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import markdown_to_prose
from desktop_app.core.ingest.meta import as_list, parse_date, parse_flag
from desktop_app.core.ingest.stream import (
    ItemStream,
    RawItem,
    StreamContext,
    fingerprint,
    options_key,
    over_cap,
)
from desktop_app.core.ingest.textio import check_size, read_text, stream_encoding
from desktop_app.core.records import Post

#: Header names recognised for each field (case-insensitive), in order of preference.
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "subject"),
    "date": ("date", "published", "pubdate", "published_at", "publish_date", "date_published"),
    "author": ("author", "authors", "byline", "creator"),
    "text": ("text", "body", "content", "article"),
    "url": ("url", "link", "permalink"),
    "tags": ("tags", "tag", "categories", "category", "keywords"),
    "ai_assisted": ("ai_assisted", "ai-assisted", "ai", "ai_generated"),
}
REQUIRED = ("text",)
#: A single CSV field may be this many times the per-row cap before reading stops.
FIELD_FACTOR = 4


def _delimiter(text: str) -> str:
    """The delimiter used most in the header line (comma, semicolon, tab or pipe)."""
    header = text.split("\n", 1)[0]
    return max(",;\t|", key=header.count) if any(d in header for d in ",;\t|") else ","


def _resolve_columns(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Map each field to the actual header; IngestError naming what is missing."""
    by_lower = {h.strip().lower(): h for h in headers if h}
    unknown = sorted(set(mapping) - set(DEFAULT_HEADERS))
    if unknown:
        raise IngestError(f"unknown field(s) in the CSV column mapping: {', '.join(unknown)}")
    columns: dict[str, str] = {}
    for field, aliases in DEFAULT_HEADERS.items():
        if field in mapping:
            header = by_lower.get(mapping[field].strip().lower())
            if header is None:
                raise IngestError(
                    f"missing column '{mapping[field]}' (mapped to {field}); "
                    f"the headers are: {', '.join(headers)}"
                )
            columns[field] = header
            continue
        found = next((by_lower[a] for a in aliases if a in by_lower), None)
        if found:
            columns[field] = found
    for field in REQUIRED:
        if field not in columns:
            raise IngestError(
                f"missing column for {field} (expected one of: "
                f"{', '.join(DEFAULT_HEADERS[field])}; map another with --csv-column "
                f"{field}=HEADER); the headers are: {', '.join(headers)}"
            )
    return columns


def _cells(row: dict[str, Any], columns: dict[str, str]) -> dict[str, str]:
    """The mapped fields of a row, stripped ('' for a missing cell)."""
    return {field: (row.get(header, "") or "").strip() for field, header in columns.items()}


def _row_key(cells: dict[str, str], number: int, seen: set[str]) -> str:
    url = real_url(cells.get("url", ""))
    title = cells.get("title", "")
    key = url or (f"row-{title}" if title else f"row-{number}")
    if key in seen:
        key = f"row-{number}"
    seen.add(key)
    return key


def csv_row_post(
    cells: dict[str, str],
    label: str,
    key: str,
    path: Path,
    options: ImportOptions,
    warnings: list[str],
) -> Post | None:
    """The post of one row's mapped cells (None, with a warning, when it has no text)."""
    text = markdown_to_prose(cells.get("text", ""))
    if not text:
        warnings.append(f"{label} has no text: skipped")
        return None
    tags = as_list(cells.get("tags", "").replace(";", ","))
    flag = parse_flag(cells["ai_assisted"]) if cells.get("ai_assisted") else None
    draft = Draft(
        text=text,
        source=source_of(path, key),
        path=path,
        title=cells.get("title") or None,
        published=parse_date(cells.get("date", "")),
        authors=parse_authors(cells.get("author") or None),
        url=real_url(cells.get("url", "")),
        tags=tags,
        ai_assisted=flag if flag is not None else ai_from({}, tags, options),
        date_range=options.date_range,
    )
    return finish(draft, warnings, label)


def read_csv(path: Path, options: ImportOptions) -> FileOutcome:
    """Posts from the rows of a CSV file, read whole (under the whole-file cap)."""
    text = read_text(path, options.max_file_bytes)
    if not text.strip():
        raise IngestError("empty file")
    csv.field_size_limit(max(csv.field_size_limit(), options.max_file_bytes))
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
        columns = _resolve_columns(list(reader.fieldnames or []), options.csv_columns)
        outcome = FileOutcome(path)
        seen: set[str] = set()
        for number, row in enumerate(reader, start=1):
            cells = _cells(row, columns)
            key = _row_key(cells, number, seen)
            post = csv_row_post(cells, f"row {number}", key, path, options, outcome.warnings)
            if post is not None:
                outcome.posts.append(post)
    except csv.Error as exc:
        raise IngestError(f"malformed CSV (line {reader.line_num}: {exc})") from exc
    return outcome


def _row_size(row: dict[str, Any]) -> int:
    """Characters in a row's cells (extra cells beyond the header included)."""
    size = 0
    for value in row.values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, list):
            size += sum(len(v) for v in value if isinstance(v, str))
    return size


def _stream_rows(
    reader: csv.DictReader[str], columns: dict[str, str], path: Path, options: ImportOptions
) -> Iterator[RawItem | str]:
    seen: set[str] = set()
    opts = options_key(options)
    number = 0
    # a field may be at most FIELD_FACTOR times the per-row cap: past that the rest of the
    # file cannot be told apart reliably, so reading stops there (a process-wide setting:
    # set again here, where the rows are read)
    csv.field_size_limit(options.max_item_bytes * FIELD_FACTOR)
    try:
        for number, row in enumerate(reader, start=1):
            size = _row_size(row)
            if size > options.max_item_bytes:
                yield over_cap(f"row {number}", size, options.max_item_bytes)
                continue
            cells = _cells(row, columns)
            key = _row_key(cells, number, seen)
            yield RawItem(number, f"row {number}", key, cells, fingerprint("csv", opts, key, cells))
    except csv.Error as exc:
        raise IngestError(
            f"malformed CSV at row {number + 1} (line {reader.line_num}: {exc})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot decode text after row {number} ({exc.reason})") from exc


def stream_csv(path: Path, options: ImportOptions) -> ItemStream:
    """Open a CSV for a streamed import: the header is checked now, rows are read lazily."""
    size = check_size(path, options.max_stream_file_bytes)
    encoding = stream_encoding(path)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, newline=None)
    try:
        header = text.readline().lstrip("\ufeff")
        csv.field_size_limit(options.max_item_bytes * FIELD_FACTOR)
        reader = csv.DictReader(itertools.chain([header], text), delimiter=_delimiter(header))
        columns = _resolve_columns(list(reader.fieldnames or []), options.csv_columns)
    except BaseException:
        text.close()
        raise
    context = StreamContext("csv", path, options)
    rows = _stream_rows(reader, columns, path, options)
    return ItemStream(context, size, rows, raw.tell, [text.close])
