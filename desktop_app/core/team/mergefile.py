"""Merge files: the team data of a history in one portable, versioned JSONL file.

Line 1 is a header (format name and version), then one change per line, then a trailer with
the number of changes and the SHA-256 of every line before it: a truncated or altered file
is refused before anything is written. A `.gz` name writes a gzip-compressed file; reading
detects compression by content. Merging follows the file rules of core/team/apply.py and
is idempotent.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from sqlite_utils import Database

from desktop_app import __version__
from desktop_app.core.history.db import write_transaction
from desktop_app.core.settings import Settings
from desktop_app.core.team.apply import ApplyResult, apply_changes
from desktop_app.core.team.local import (
    capture,
    get_state,
    known_changes,
    laptop,
    save_team_settings,
)
from desktop_app.core.team.model import Change, TeamDataError, check_change, now_stamp

FORMAT = "content-drift-team"
VERSION = 1
#: A merge file larger than this is refused (a safety cap, about 40x a 50,000-post history).
MAX_BYTES = 8 * 1024**3


class MergeFileError(Exception):
    """A merge file cannot be used; the message names the file and says why."""


@dataclass
class ExportSummary:
    """What an export wrote."""

    path: Path
    posts: int
    settings: int
    removals: int


def _open_write(path: Path, tmp: str) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(tmp, "wb"))
    return open(tmp, "wb")


def export_team(db: Database, path: Path, settings: Settings) -> ExportSummary:
    """Write this history's team data to `path` (atomically: temp file, then rename)."""
    linked = get_state(db, "server") is not None
    with write_transaction(db):
        capture(db, settings, queue=linked)
    changes = known_changes(db)
    me = laptop(db)
    header = {"format": FORMAT, "version": VERSION, "app": __version__,
              "exported_at": now_stamp(), "laptop": me.name}  # fmt: skip
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    os.close(fd)
    try:
        with _open_write(path, tmp) as out:
            for record in [header, *(c.to_json() for c in changes)]:
                line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
                digest.update(line)
                out.write(line)
            trailer = {"end": True, "changes": len(changes), "sha256": digest.hexdigest()}
            out.write((json.dumps(trailer) + "\n").encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    kinds = [c.kind for c in changes]
    return ExportSummary(path, kinds.count("post"), kinds.count("setting"), kinds.count("removal"))


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MergeFileError(f"{path}: larger than {MAX_BYTES // 1024**3} GB; not merged")
        data = path.read_bytes()
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    except (OSError, EOFError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise MergeFileError(f"{path}: cannot be read ({why}); nothing was merged") from exc


def _check_header(path: Path, header: Any) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise MergeFileError(f"{path}: not a Content Drift merge file; nothing was merged")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise MergeFileError(
            f"{path}: written by a newer version of Content Drift (merge file version "
            f"{version}, this app reads up to {VERSION}); update the app; nothing was merged"
        )


def read_merge_file(path: Path) -> list[Change]:
    """Every change in a merge file, checked whole; MergeFileError if anything is wrong."""
    lines = _read_bytes(path).splitlines(keepends=True)
    try:
        records = [json.loads(line) for line in lines]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MergeFileError(f"{path}: damaged ({exc}); nothing was merged") from exc
    if not records:
        raise MergeFileError(f"{path}: empty; nothing was merged")
    _check_header(path, records[0])
    trailer = records[-1]
    digest = hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    complete = isinstance(trailer, dict) and trailer.get("end") is True
    if not complete or trailer.get("changes") != len(records) - 2:
        raise MergeFileError(f"{path}: incomplete (truncated?); nothing was merged")
    if trailer.get("sha256") != digest:
        raise MergeFileError(f"{path}: altered or damaged (checksum differs); nothing was merged")
    try:
        return [check_change(record) for record in records[1:-1]]
    except TeamDataError as exc:
        raise MergeFileError(f"{path}: {exc}; nothing was merged") from exc


def merge_file(db: Database, path: Path, settings: Settings) -> ApplyResult:
    """Merge a merge file into the history (one transaction; idempotent)."""
    changes = read_merge_file(path)
    linked = get_state(db, "server") is not None
    with write_transaction(db):
        capture(db, settings, queue=linked)
        result = apply_changes(db, changes, by_server=False)
        save_team_settings(result.settings)  # before the commit: see docs/team.md
    return result
