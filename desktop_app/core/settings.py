"""Typed user settings, stored as JSON in the user config dir."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core import paths

DEFAULT_PIPELINE = "en_core_web_sm"
DEFAULT_BASELINE_END = "2023-01-01"
DEFAULT_MAX_FILE_MB = 20.0
DEFAULT_MAX_ROW_MB = 2.0
#: Publication dates before this are implausible (reported, and the post is imported undated).
DEFAULT_EARLIEST_DATE = "1990-01-01"
#: The largest import size cap a settings file may ask for (MB).
MAX_FILE_MB_LIMIT = 2048.0  # the Settings page allows the same

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Every user-adjustable setting, with its default."""

    spacy_pipeline: str = DEFAULT_PIPELINE
    baseline_start: str | None = None
    baseline_end: str | None = DEFAULT_BASELINE_END
    ai_adoption_date: str | None = None
    ai_tag: str = "ai-assisted"
    custom_marker_words: list[str] = field(default_factory=list)
    custom_stock_phrases: list[str] = field(default_factory=list)
    allow_list: list[str] = field(default_factory=list)
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    #: Per-row cap of CSV rows and WXR items (those files are streamed, with no whole-file cap).
    max_row_mb: float = DEFAULT_MAX_ROW_MB
    ai_style_threshold: float | None = None
    #: Posts published just before a post that recycled phrasing and sameness compare it with.
    reference_posts: int = 50
    #: The dashboard and report headline use the latest quarter with at least this many posts.
    headline_min_posts: int = 5
    #: Front-matter field -> key to read it from first, e.g. {"author": "writer"}.
    front_matter_fields: dict[str, str] = field(default_factory=dict)
    #: Search also matches other forms of a word (porter stemming); off = exact words.
    search_stemming: bool = False
    #: Plausible publication dates: others are reported and the post is imported undated.
    earliest_date: str = DEFAULT_EARLIEST_DATE
    #: The last plausible date; None is December 31 of next year.
    latest_date: str | None = None

    @property
    def date_range(self) -> tuple[date, date]:
        """First and last plausible publication date."""
        return plausible_range(self.earliest_date, self.latest_date)

    @property
    def max_file_bytes(self) -> int:
        """The import size cap in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_row_bytes(self) -> int:
        """The per-row cap of streamed imports (CSV, WXR) in bytes."""
        return int(self.max_row_mb * 1024 * 1024)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Build from a dict, ignoring unknown keys and keeping defaults for missing ones."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def plausible_range(
    earliest: str, latest: str | None, today: date | None = None
) -> tuple[date, date]:
    """The plausible publication dates: `latest` None is December 31 of next year."""
    last = date.fromisoformat(latest) if latest else date((today or date.today()).year + 1, 12, 31)
    return date.fromisoformat(earliest), last


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return value


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError
    return date.fromisoformat(value).isoformat()


def _day(value: Any) -> str:
    day = _date(value)
    if day is None:
        raise ValueError
    return day


def _words(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError
    return list(value)


def _number(
    low: float, high: float, *, optional: bool = False, above_low: bool = False
) -> Callable[[Any], float | None]:
    def check(value: Any) -> float | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError
        if not (math.isfinite(value) and low <= value <= high) or (above_low and value == low):
            raise ValueError
        return float(value)

    return check


def _count(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError
        return value

    return check


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError
    return value


def _mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError
    return dict(value)


#: Per key: what a valid value is (said in warnings) and the check that returns it.
_CHECKS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "spacy_pipeline": ("a pipeline name", _text),
    "baseline_start": ("a date YYYY-MM-DD or null", _date),
    "baseline_end": ("a date YYYY-MM-DD or null", _date),
    "ai_adoption_date": ("a date YYYY-MM-DD or null", _date),
    "ai_tag": ("a tag name", _text),
    "custom_marker_words": ("a list of strings", _words),
    "custom_stock_phrases": ("a list of strings", _words),
    "allow_list": ("a list of strings", _words),
    "max_file_mb": (f"a number of MB above 0 and at most {MAX_FILE_MB_LIMIT:g}",
                    _number(0, MAX_FILE_MB_LIMIT, above_low=True)),
    "max_row_mb": (f"a number of MB above 0 and at most {MAX_FILE_MB_LIMIT:g}",
                   _number(0, MAX_FILE_MB_LIMIT, above_low=True)),
    "ai_style_threshold": ("a number from 0 to 1 or null", _number(0, 1, optional=True)),
    "reference_posts": ("a whole number from 1 to 10000", _count(1, 10_000)),
    "headline_min_posts": ("a whole number from 1 to 1000", _count(1, 1_000)),
    "front_matter_fields": ("an object of field names to keys", _mapping),
    "search_stemming": ("true or false", _flag),
    "earliest_date": ("a date YYYY-MM-DD", _day),
    "latest_date": ("a date YYYY-MM-DD or null (December 31 of next year)", _date),
}  # fmt: skip


def _checked(data: dict[str, Any], path: Path) -> tuple[Settings, list[str]]:
    """Settings from a parsed file; each bad key keeps its default, with a warning."""
    defaults, values, problems = Settings(), {}, []
    for key, value in data.items():
        if key not in _CHECKS:
            continue  # a newer version's setting, or a retired one
        wanted, check = _CHECKS[key]
        try:
            values[key] = check(value)
        except (ValueError, TypeError):
            shown = json.dumps(value)[:80]
            default = json.dumps(getattr(defaults, key))
            problems.append(f"{path}: setting '{key}' should be {wanted}, not {shown}; "
                            f"using the default {default}")  # fmt: skip
    return dataclasses.replace(defaults, **values), problems


def read_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings and one warning per problem (naming the file and the key).

    A missing file gives the defaults quietly. A file that cannot be read or is not a JSON
    object gives the defaults with a warning; the file is left as it is until the next save.
    """
    path = path or paths.settings_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [f"{path}: cannot be read ({exc.strerror or exc}); using the defaults"]
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        return Settings(), [f"{path}: not valid JSON ({exc.msg} at {where}); using the defaults"]
    except UnicodeDecodeError:
        return Settings(), [f"{path}: not UTF-8 text; using the defaults"]
    if not isinstance(data, dict):
        return Settings(), [f"{path}: not a JSON object of settings; using the defaults"]
    return _checked(data, path)


def load_settings(path: Path | None = None) -> Settings:
    """Read settings (see read_settings); each problem is also logged as a warning."""
    settings, problems = read_settings(path)
    for problem in problems:
        log.warning("%s", problem)
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically (temp file, then rename)."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(settings.to_dict(), handle, indent=2, sort_keys=True)
    os.replace(tmp, path)
