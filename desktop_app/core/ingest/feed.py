"""RSS/Atom feed-file importer (feedparser, after a defusedxml safety check of the bytes)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import feedparser

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import html_to_prose, inline_text
from desktop_app.core.ingest.meta import as_list
from desktop_app.core.ingest.textio import read_bytes
from desktop_app.core.ingest.xmlsafe import local_name, parse_xml

FEED_ROOTS = ("rss", "feed", "RDF")


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    if contents:
        return "\n".join(str(part.get("value", "")) for part in contents)
    return str(entry.get("summary", ""))


def _entry_authors(entry: Any) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    return parse_authors(names or entry.get("author"))


def _entry_post(
    entry: Any, index: int, path: Path, options: ImportOptions, outcome: FileOutcome
) -> None:
    title = inline_text(str(entry.get("title", "")))
    label = f"'{title}'" if title else f"entry {index + 1}"
    text = html_to_prose(_entry_html(entry))
    if not text:
        outcome.warnings.append(f"{label} has no text: skipped")
        return
    tags = as_list([t.get("term") for t in entry.get("tags") or [] if t.get("term")])
    key = entry.get("id") or entry.get("link") or f"entry-{index + 1}"
    draft = Draft(
        text=text,
        source=source_of(path, str(key)),
        path=path,
        title=title or None,
        published=_entry_date(entry),
        authors=_entry_authors(entry),
        url=real_url(entry.get("link")),
        tags=tags,
        ai_assisted=ai_from({}, tags, options),
        date_range=options.date_range,
    )
    outcome.posts.append(finish(draft, outcome.warnings, label))


def read_feed(path: Path, options: ImportOptions) -> FileOutcome:
    """Entries of an RSS or Atom feed file."""
    data = read_bytes(path, options.max_file_bytes)
    root = parse_xml(data)
    if local_name(root.tag) not in FEED_ROOTS:
        raise IngestError(f"not an RSS/Atom feed (root element <{local_name(root.tag)}>)")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    outcome = FileOutcome(path)
    for index, entry in enumerate(parsed.entries):
        _entry_post(entry, index, path, options, outcome)
    if not parsed.entries:
        raise IngestError("the feed has no entries")
    return outcome
