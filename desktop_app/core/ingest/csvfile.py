"""CSV importer: one post per row, columns found by header name or mapped by ImportOptions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import markdown_to_prose
from desktop_app.core.ingest.meta import as_list, parse_date, parse_flag
from desktop_app.core.ingest.textio import read_text

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


def _row_key(row: dict[str, str], columns: dict[str, str], number: int, seen: set[str]) -> str:
    url = real_url(row.get(columns.get("url", ""), ""))
    title = (row.get(columns.get("title", ""), "") or "").strip()
    key = url or (f"row-{title}" if title else f"row-{number}")
    if key in seen:
        key = f"row-{number}"
    seen.add(key)
    return key


def _row_post(
    row: dict[str, str],
    number: int,
    columns: dict[str, str],
    path: Path,
    options: ImportOptions,
    outcome: FileOutcome,
    seen: set[str],
) -> None:
    def cell(field: str) -> str:
        return (row.get(columns.get(field, ""), "") or "").strip()

    label = f"row {number}"
    text = markdown_to_prose(cell("text"))
    if not text:
        outcome.warnings.append(f"{label} has no text: skipped")
        return
    tags = as_list(cell("tags").replace(";", ","))
    flag = parse_flag(cell("ai_assisted")) if cell("ai_assisted") else None
    draft = Draft(
        text=text,
        source=source_of(path, _row_key(row, columns, number, seen)),
        path=path,
        title=cell("title") or None,
        published=parse_date(cell("date")),
        authors=parse_authors(cell("author") or None),
        url=real_url(cell("url")),
        tags=tags,
        ai_assisted=flag if flag is not None else ai_from({}, tags, options),
        date_range=options.date_range,
    )
    outcome.posts.append(finish(draft, outcome.warnings, label))


def read_csv(path: Path, options: ImportOptions) -> FileOutcome:
    """Posts from the rows of a CSV file."""
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
            _row_post(row, number, columns, path, options, outcome, seen)
    except csv.Error as exc:
        raise IngestError(f"malformed CSV (line {reader.line_num}: {exc})") from exc
    return outcome
