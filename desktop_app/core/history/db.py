"""Open the history DB: WAL mode, backup, migrations, refusal of newer or foreign files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.history.migrations import MIGRATIONS, known_migration_names

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class HistoryError(Exception):
    """The history DB cannot be used; the message says why and names the file."""


class NewerSchemaError(HistoryError):
    """The DB was written by a newer version of Content Drift."""


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise HistoryError(f"{path}: not a Content Drift history (not an SQLite database)")


def _check_path(path: Path) -> None:
    """HistoryError naming the file for a folder, an over-long or unreachable path."""
    try:
        if path.is_dir():
            raise HistoryError(
                f"{path}: is a folder, not a history file (give a file, e.g. "
                f"{path / 'history.sqlite'})"
            )
        _check_is_sqlite(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HistoryError(f"{path}: cannot open the history ({exc.strerror or exc})") from exc


def _backup(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{stamp}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def _applied_names(db: Database) -> set[str]:
    return {m.name for m in MIGRATIONS.applied(db)}


def _migrate(db: Database, path: Path | None) -> None:
    applied = _applied_names(db)
    unknown = applied - known_migration_names()
    if unknown:
        raise NewerSchemaError(
            f"{path}: this history was written by a newer version of Content Drift "
            f"(unknown schema changes: {', '.join(sorted(unknown))}); update the app to open it"
        )
    pending = MIGRATIONS.pending(db)
    if pending and applied and path is not None:
        _backup(path)
    MIGRATIONS.apply(db)


def open_history(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the history at `path`, applying pending migrations."""
    path_obj = Path(path) if str(path) != ":memory:" else None
    if path_obj is not None:
        _check_path(path_obj)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = Database(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path_obj is not None:
            db.enable_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            _migrate(db, path_obj)
    except sqlite3.DatabaseError as exc:
        if path_obj is not None and path_obj.is_file() and "unable to open" in str(exc):
            return _open_read_only(path_obj)  # a read-only folder: reading still works
        raise HistoryError(f"{path}: cannot open the history ({exc})") from exc
    return db


def _open_read_only(path: Path) -> Database:
    """The history in a folder SQLite cannot write to (no -wal/-shm files), read-only."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        db = Database(conn)
        if MIGRATIONS.pending(db) or _applied_names(db) - known_migration_names():
            raise HistoryError(
                f"{path}: the history's folder is read-only and the history needs an upgrade "
                "first; copy it somewhere writable"
            )
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: cannot open the history ({exc})") from exc
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE so it waits for other writers.

    A deferred transaction that reads first and writes later fails at once with "database is
    locked" (WAL snapshot conflict) when another process committed in between; taking the
    write lock up front makes it wait (busy timeout) instead. Nested calls join the outer one.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
