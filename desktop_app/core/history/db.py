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
        _check_is_sqlite(path_obj)
        path_obj.parent.mkdir(parents=True, exist_ok=True)
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
