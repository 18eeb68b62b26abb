"""Streamed sources (CSV, WXR): raw items read one at a time, fingerprinted, cleaned apart.

A streamed reader yields `RawItem`s (the raw fields of one row/item, cheap to read) and
warning strings (a row set aside by the reader, e.g. over the per-row cap). Cleaning a raw
item into a Post (`clean.clean_items`) is a pure function of the item and `StreamContext`, so it can
run in worker processes. The fingerprint is the SHA-256 of the raw fields, the reading options
and `CLEANER_VERSION`: a row whose fingerprint is stored with an existing post is not cleaned
again on re-import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.records import Post

#: Bump when cleaning a raw row can give a different post (cleaning code changed), so stored
#: fingerprints no longer vouch for the post a row gives.
CLEANER_VERSION = 2


@dataclass(frozen=True)
class Cleaned:
    """A cleaned item: the post (None when it has no text), its warnings, and its id and word
    count computed where it was cleaned (a worker), not in the process that stores it."""

    post: Post | None
    warnings: list[str]
    post_id: str = ""
    words: int = 0


@dataclass(frozen=True)
class RawItem:
    """One row/item as read: its number, label for messages, raw fields and fingerprint."""

    number: int
    label: str
    key: str  # the fragment of Post.source (unique within the file)
    fields: dict[str, Any]
    fingerprint: str


@dataclass(frozen=True)
class StreamContext:
    """What cleaning needs besides the item (picklable: sent to worker processes)."""

    kind: str  # "csv" | "wxr"
    path: Path
    options: ImportOptions


@dataclass
class ItemStream:
    """An opened streamed file: its items, and how far reading has got."""

    context: StreamContext
    total_bytes: int
    items: Iterator[RawItem | str]
    bytes_read: Callable[[], int]
    closers: list[Callable[[], None]] = field(default_factory=list)
    closed_at: int | None = None

    def position(self) -> int:
        """Bytes of the file read so far (all of them once closed after the last row)."""
        return self.closed_at if self.closed_at is not None else self.bytes_read()

    def close(self) -> None:
        """Close the underlying file."""
        if self.closed_at is None:
            self.closed_at = self.bytes_read()
        for close in self.closers:
            close()


class CountingReader:
    """A binary file that counts the bytes handed out (the progress of a streamed read)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        """Read and count."""
        data = self.handle.read(size)
        self.count += len(data)
        return data

    def close(self) -> None:
        """Close the file."""
        self.handle.close()


def options_key(options: ImportOptions) -> list[Any]:
    """The reading options that can change the post a raw row gives (part of the fingerprint)."""
    first, last = options.date_range
    return [options.ai_tag, first.isoformat(), last.isoformat(),
            sorted(options.csv_columns.items()), sorted(options.field_map.items())]  # fmt: skip


def fingerprint(kind: str, options: list[Any], key: str, fields: dict[str, Any]) -> str:
    """SHA-256 of the raw fields, their source key, the options and the cleaner version."""
    blob = json.dumps([CLEANER_VERSION, kind, options, key, fields], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def megabytes(size: int) -> str:
    """A byte count as '3.1 MB'."""
    return f"{size / (1024 * 1024):.1f} MB"


def over_cap(label: str, size: int, cap: int) -> str:
    """The warning for a row/item over the per-row cap."""
    return f"{label} is {megabytes(size)}, over the per-row limit of {megabytes(cap)}: skipped"
