"""Typed user settings, stored as JSON in the user config dir."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core import paths

DEFAULT_PIPELINE = "en_core_web_sm"
DEFAULT_BASELINE_END = "2023-01-01"
DEFAULT_MAX_FILE_MB = 20.0


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
    ai_style_threshold: float | None = None
    #: Posts published just before a post that recycled phrasing and sameness compare it with.
    reference_posts: int = 50
    #: The dashboard and report headline use the latest quarter with at least this many posts.
    headline_min_posts: int = 5
    #: Front-matter field -> key to read it from first, e.g. {"author": "writer"}.
    front_matter_fields: dict[str, str] = field(default_factory=dict)
    #: Search also matches other forms of a word (porter stemming); off = exact words.
    search_stemming: bool = False

    @property
    def max_file_bytes(self) -> int:
        """The import size cap in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Build from a dict, ignoring unknown keys and keeping defaults for missing ones."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing or unreadable file gives the defaults."""
    path = path or paths.settings_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return Settings.from_dict(data) if isinstance(data, dict) else Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically (temp file, then rename)."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(settings.to_dict(), handle, indent=2, sort_keys=True)
    os.replace(tmp, path)
