"""Metadata helpers shared by importers: dates, author names, tags and the AI-assisted flag."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from email.utils import parsedate_to_datetime, parsedate_tz
from pathlib import Path
from typing import Any

_FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_TRUE = {"true", "yes", "y", "1", "ai", "ai-assisted", "assisted", "generated"}
_FALSE = {"false", "no", "n", "0", "none", "human", ""}
#: Front-matter keys that may carry the AI-assisted flag, in order of preference.
AI_KEYS = (
    "ai_assisted",
    "ai-assisted",
    "aiassisted",
    "ai",
    "ai_generated",
    "ai-generated",
    "generated_by",
    "generator_ai",
    "llm",
)


class NoSuchDay(date):
    """A value written as a date that no calendar has (2025-02-30), kept so it can be reported.

    It is a date (the earliest one) only so that it fits where dates go; `finish` turns it into
    an "implausible date" warning and an undated post.
    """

    text: str

    def __new__(cls, text: str) -> NoSuchDay:
        """The impossible date written as `text`."""
        made = super().__new__(cls, 1, 1, 1)
        made.text = text
        return made


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    """A date from a front-matter/feed/CSV value (date, datetime, ISO text, RFC 822 text).

    Text that is written as a date but names no real day gives a NoSuchDay.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_DATE.match(value)
    if match:
        return _safe_date(*(int(g) for g in match.groups())) or NoSuchDay(match[0].strip())
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return NoSuchDay(value.strip()[:40]) if parsedate_tz(value.strip()) else None


def date_from_filename(path: Path) -> date | None:
    """A YYYY-MM-DD or YYYY-M-D prefix of the file name (or of the bundle folder for index.*)."""
    name = path.parent.name if path.stem in ("index", "_index") else path.name
    match = _FILE_DATE.match(name)
    return _safe_date(*(int(g) for g in match.groups())) if match else None


def as_list(value: Any) -> list[str]:
    """Tags/categories from a list or a comma-separated string, stripped, without empties."""
    if value is None:
        return []
    items: Iterable[Any] = value if isinstance(value, list | tuple) else str(value).split(",")
    seen: dict[str, None] = {}  # ordered, and linear for a cell of 100,000s of tags
    for item in items:
        text = str(item).strip()
        if text:
            seen.setdefault(text)
    return list(seen)


def parse_flag(value: Any) -> bool | None:
    """A yes/no flag from a bool or text; any other non-empty text (e.g. a model name) is yes."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in _FALSE:
        return False if text else None
    return True


def ai_flag(meta: dict[str, Any], tags: Iterable[str], ai_tag: str | None) -> bool | None:
    """AI-assisted from front-matter keys, else from a tag equal to ai_tag, else None (unknown)."""
    lowered = {str(k).lower(): v for k, v in meta.items()}
    for key in AI_KEYS:
        if key in lowered:
            flag = parse_flag(lowered[key])
            if flag is not None:
                return flag
    if ai_tag and any(t.strip().lower() == ai_tag.strip().lower() for t in tags):
        return True
    return None
