"""Assemble Post records from what an importer found, with the shared fallbacks and warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core.ingest.base import ImportOptions, default_date_range
from desktop_app.core.ingest.fields import ai_from_meta, date_from, tags_from
from desktop_app.core.ingest.meta import NoSuchDay, ai_flag, date_from_filename
from desktop_app.core.records import Post

# 'http(s)://host.tld...' without spaces; the lookahead keeps it linear (the old
# `[^\s/]+\.[^\s]+$` backtracked over every dot: 20 KB of 'a.' took 3 s).
_REAL_URL = re.compile(r"^https?://(?=[^\s/]+\.\S)\S+$", re.IGNORECASE)


@dataclass
class Draft:
    """Fields of a post being built, before fallbacks."""

    text: str
    source: str
    path: Path
    title: str | None = None
    published: date | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    ai_assisted: bool | None = None
    status: str | None = None
    #: Plausible publication dates (ImportOptions.date_range); None is the default range.
    date_range: tuple[date, date] | None = None


def real_url(value: Any) -> str | None:
    """The value if it is an absolute http(s) URL, else None."""
    if isinstance(value, str) and _REAL_URL.match(value.strip()):
        return value.strip()
    return None


def meta_date(meta: dict[str, Any], mapping: dict[str, str] | None = None) -> date | None:
    """The first usable date among the usual front-matter keys (or the mapped one)."""
    return date_from(meta, mapping)


def meta_tags(meta: dict[str, Any], mapping: dict[str, str] | None = None) -> list[str]:
    """Tags and categories from front matter, merged."""
    return tags_from(meta, mapping)


def title_from_path(path: Path) -> str:
    """A readable title from a file name (the folder name for a page bundle's index file)."""
    stem = path.parent.name if path.stem in ("index", "_index") else path.stem
    stem = re.sub(r"^\d{4}-\d{1,2}-\d{1,2}-?", "", stem)
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def title_from_text(text: str, words: int = 8) -> str:
    """A title made of the first words of the text (for untitled items of a multi-post file)."""
    head = text.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def date_problem(day: date | None, plausible: tuple[date, date]) -> str | None:
    """Why a publication date cannot be kept ('2025-02-30 is no such day'), or None."""
    if isinstance(day, NoSuchDay):
        return f"{day.text} is no such day"
    first, last = plausible
    if day is not None and not first <= day <= last:
        return f"{day.isoformat()} is outside {first.isoformat()} to {last.isoformat()}"
    return None


def finish(draft: Draft, warnings: list[str], label: str | None = None) -> Post:
    """Apply the fallbacks (title from file name or text, date from file name) and warn if undated.

    `label` names the item inside a multi-post file; such items never take the file's name or date.
    """
    published = draft.published or (None if label else date_from_filename(draft.path))
    title = (draft.title or "").strip()
    if not title:
        title = title_from_text(draft.text) if label else title_from_path(draft.path)
    where = f" ({label})" if label else ""
    problem = date_problem(published, draft.date_range or default_date_range())
    if problem:
        warnings.append(f"implausible date{where}: {problem}; imported as undated")
        published = None
    elif published is None:
        warnings.append(f"no date found{where}: imported as undated")
    return Post(
        title=title,
        text=draft.text,
        source=draft.source,
        published=published,
        authors=draft.authors,
        url=draft.url,
        tags=draft.tags,
        ai_assisted=draft.ai_assisted,
        status=draft.status,
    )


def ai_from(meta: dict[str, Any], tags: list[str], options: ImportOptions) -> bool | None:
    """AI-assisted flag from metadata (any usual key, or the mapped one) or the configured tag."""
    flag = ai_from_meta(meta, options.field_map)
    return flag if flag is not None else ai_flag({}, tags, options.ai_tag)


def source_of(path: Path, fragment: str | None = None) -> str:
    """Post.source: the absolute file path, plus '#fragment' for one item of a multi-post file."""
    base = str(path.resolve())
    return f"{base}#{fragment}" if fragment else base
