"""The per-table change counters of migration m004: how caches tell the history changed."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database


def change_counter(db: Database, table: str) -> int:
    """Writes so far to `table` (trigger-maintained, migration m004): one indexed read; -1 in
    a history without counters."""
    try:
        row = db.execute("select n from change_counters where name = ?", [table]).fetchone()
    except sqlite3.OperationalError:  # no counters table (opened without migrations)
        return -1
    return int(row[0]) if row else -1
