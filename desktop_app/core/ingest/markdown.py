"""Markdown (Jekyll/Hugo, YAML or TOML front matter, page bundles) and plain-text importers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError, NotAPost
from desktop_app.core.ingest.build import (
    Draft,
    ai_from,
    finish,
    meta_date,
    meta_tags,
    real_url,
    source_of,
)
from desktop_app.core.ingest.fields import authors_from
from desktop_app.core.ingest.frontmatter import split_front_matter
from desktop_app.core.ingest.markup import inline_text, markdown_to_prose
from desktop_app.core.ingest.meta import date_from_filename, parse_flag
from desktop_app.core.ingest.pages import page_reason, refuse_page, too_little_prose
from desktop_app.core.ingest.textio import read_text

_SPACES = re.compile(r"\s*")
_HASHES = re.compile("#*")


def _skip_space(text: str, pos: int) -> int:
    return _SPACES.match(text, pos).end()  # type: ignore[union-attr]


def _tail_end(text: str, start: int) -> int:
    """Where `\\s*#*\\s*\\n` matched at `start` ends, as the backtracking regex chose it."""
    hashes = _skip_space(text, start)
    after = _HASHES.match(text, hashes).end()  # type: ignore[union-attr]
    end = _skip_space(text, after)
    if after > hashes and "\n" in text[after:end]:
        return text.rindex("\n", after, end) + 1
    return text.rindex("\n", start, hashes) + 1


def atx_title(text: str) -> tuple[str, int] | None:
    """(title, end of the heading) for a first line '# Title #', in linear time.

    Same result as the regex `\\A\\s*#\\s+(.+?)\\s*#*\\s*\\n`, whose backtracking was cubic on a
    long run of spaces: the lazy title ends where only spaces and closing '#'s remain.
    """
    mark = _skip_space(text, 0)
    if not text.startswith("#", mark):
        return None
    start = _skip_space(text, mark + 1)
    if start == mark + 1:
        return None
    line_end = text.find("\n", start)
    if start < len(text) and line_end != -1:
        end = start + len(text[start:line_end].rstrip().rstrip("#").rstrip())
        end = max(end, start + 1)
        return text[start:end], _tail_end(text, end)
    # no line break after the title: the regex gives back spaces before the last line break
    last = text.rfind("\n", mark + 1, start)
    first = last - 1
    while first >= mark + 2 and text[first] == "\n":
        first -= 1
    if last == -1 or first < mark + 2:
        return None
    return text[first], last + 1


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in meta.items()}
    return next((lowered[k] for k in keys if lowered.get(k)), None)


def _status(meta: dict[str, Any], options: ImportOptions) -> str:
    """'draft' or 'publish'; a draft is refused unless drafts were asked for."""
    draft = parse_flag(meta.get("draft")) or str(meta.get("status", "")).lower() == "draft"
    if draft and not options.include_drafts:
        raise NotAPost("draft post skipped (use --include-drafts to import drafts)")
    return "draft" if draft else "publish"


def _title_and_body(meta: dict[str, Any], body: str) -> tuple[str | None, str]:
    title = _first(meta, ("title", "linktitle"))
    if title:
        return inline_text(str(title)), body
    heading = atx_title(body)
    if heading:
        return inline_text(heading[0]), body[heading[1] :]
    return None, body


def read_markdown(path: Path, options: ImportOptions) -> FileOutcome:
    """One post from a Markdown file with optional front matter."""
    text = read_text(path, options.max_file_bytes)
    if not text.strip():
        raise IngestError("empty file")
    meta, body = split_front_matter(text)
    status = _status(meta, options)
    title, body = _title_and_body(meta, body)
    prose = markdown_to_prose(body)
    if not prose.strip():
        raise IngestError("no text found (only front matter, code or markup)")
    published = meta_date(meta, options.field_map)
    dated = bool(published or date_from_filename(path))
    refuse_page(page_reason(path, meta, body, prose, dated), options)
    tags = meta_tags(meta, options.field_map)
    draft = Draft(
        text=prose,
        source=source_of(path),
        path=path,
        title=title,
        published=published,
        authors=authors_from(meta, options.field_map, path),
        url=real_url(_first(meta, ("url", "permalink", "slug"))),
        tags=tags,
        ai_assisted=ai_from(meta, tags, options),
        status=status,
        date_range=options.date_range,
    )
    outcome = FileOutcome(path)
    outcome.posts.append(finish(draft, outcome.warnings))
    return outcome


def _split_title_line(text: str) -> tuple[str | None, str]:
    """A short first line followed by a blank line is the title of a plain-text post."""
    head, sep, rest = text.strip().partition("\n\n")
    if sep and "\n" not in head and len(head) <= 150 and not head.rstrip().endswith("."):
        return head.strip(), rest
    return None, text


def _paragraphs(text: str) -> str:
    blocks = (re.sub(r"\s+", " ", block).strip() for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(block for block in blocks if block)


def read_plain_text(path: Path, options: ImportOptions) -> FileOutcome:
    """One post from a plain-text file (front matter allowed; first short line is the title)."""
    text = read_text(path, options.max_file_bytes)
    if not text.strip():
        raise IngestError("empty file")
    meta, body = split_front_matter(text)
    if meta:
        return read_markdown(path, options)
    title, body = _split_title_line(body)
    prose = _paragraphs(body)
    if not prose:
        raise IngestError("no text found")
    refuse_page(too_little_prose(prose, date_from_filename(path) is not None), options)
    outcome = FileOutcome(path)
    draft = Draft(prose, source_of(path), path, title, date_range=options.date_range)
    outcome.posts.append(finish(draft, outcome.warnings))
    return outcome
