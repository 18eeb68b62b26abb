"""Shared types of the importers: options, errors and per-file outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core.records import Post
from desktop_app.core.settings import Settings


def default_date_range() -> tuple[date, date]:
    """The plausible publication dates when no setting says otherwise."""
    return Settings().date_range


class IngestError(Exception):
    """A file cannot be imported; the message is the reason (the caller adds the file name)."""


class NotAPost(IngestError):
    """A file deliberately left out (a page, a draft): reported with the reason, not a failure."""


@dataclass
class ImportOptions:
    """How to read sources."""

    #: Whole-file cap for the formats read whole (Markdown, HTML, text, Word, RSS/Atom).
    max_file_bytes: int = 20 * 1024 * 1024
    #: Per-row/per-item cap of the streamed formats (CSV rows, WXR items): over it, the row is
    #: skipped with a warning and the rest of the file goes on.
    max_item_bytes: int = 2 * 1024 * 1024
    #: Whole-file cap of the streamed formats (CSV, WXR); None: no cap (memory does not grow
    #: with the file).
    max_stream_file_bytes: int | None = None
    #: Worker processes that clean the rows of a big streamed file (1: in this process).
    import_workers: int = 2
    ai_tag: str | None = "ai-assisted"
    include_pages: bool = False
    include_drafts: bool = False
    include_private: bool = False
    csv_columns: dict[str, str] = field(default_factory=dict)
    #: Front-matter field -> key to read it from first, e.g. {"author": "writer"}.
    field_map: dict[str, str] = field(default_factory=dict)
    #: First and last plausible publication date; others are reported and left out.
    date_range: tuple[date, date] = field(default_factory=default_date_range)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ImportOptions:
        """The options the user's settings give (size cap, AI tag, field mapping, date range);
        `overrides` replace single fields (command-line flags)."""
        options = cls(
            max_file_bytes=settings.max_file_bytes,
            max_item_bytes=settings.max_row_bytes,
            ai_tag=settings.ai_tag or None,
            field_map=dict(settings.front_matter_fields),
            date_range=settings.date_range,
        )
        return replace(options, **overrides)


@dataclass
class FileOutcome:
    """What reading one file gave: posts, or an error, plus warnings (e.g. undated posts)."""

    path: Path
    posts: list[Post] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    not_a_post: bool = False  # the error says why it is a page/draft, not that reading failed

    @property
    def ok(self) -> bool:
        """True when the file was read without error."""
        return self.error is None
