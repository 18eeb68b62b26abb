"""The metric values packed column-wise inside the history (migration m009), so a cold read
at 50,000 posts is three blobs instead of 850,000 rows.

The packed copy is derived data: it carries the `metric_values` change counter it was made
at, and it is used only while that counter is unchanged. Every write to `metric_values`, in
any process, bumps the counter in the same transaction (m004's triggers), so a stale copy is
never read; the next read re-packs it. Saving is best effort: a read-only or busy history
keeps working from the rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import numpy as np
from sqlite_utils import Database

from desktop_app.core.history.counters import change_counter

FORMAT = 1
_SEP = "\x1f"
_TABLE = "metric_columns_cache"

#: (metric, pipeline, pipeline version, analyzer version)
Key = tuple[str, str, str, str]
Packed = tuple[Key, Sequence[str], np.ndarray]


def create_table(db: Database) -> None:
    """The one-row table holding the packed copy (called by migration m009)."""
    db.execute(
        f"create table {_TABLE} (slot integer primary key check (slot = 1), format integer "
        "not null, counter integer not null, header text not null, ids blob not null, "
        "vals blob not null)"
    )


def values_counter(db: Database) -> int | None:
    """The `metric_values` change counter (None in a history without counters)."""
    counter = change_counter(db, "metric_values")
    return None if counter < 0 else counter


def load(db: Database, counter: int | None) -> list[Packed]:
    """The packed runs as (key, post ids, values), if a copy made at `counter` is stored; else
    an empty list."""
    if counter is None or not _has_table(db):
        return []
    row = db.execute(
        f"select header, ids, vals from {_TABLE} where slot = 1 and format = ? and counter = ?",
        [FORMAT, counter],
    ).fetchone()
    if row is None:
        return []
    header, ids_blob, vals_blob = row
    try:
        return _unpack(json.loads(header), ids_blob, vals_blob)
    except (ValueError, KeyError, TypeError):  # damaged: read the rows instead
        return []


def _unpack(header: dict[str, list], ids_blob: bytes, vals_blob: bytes) -> list[Packed]:
    texts = ids_blob.decode("utf-8").split("\0")
    lists = [text.split(_SEP) if text else [] for text in texts]
    values = np.frombuffer(vals_blob, dtype="<f8")
    out: list[Packed] = []
    start = 0
    for (metric, pipeline, version, analyzer), list_no in zip(
        header["keys"], header["lists"], strict=True
    ):
        ids = lists[list_no]
        stop = start + len(ids)
        if stop > len(values):
            raise ValueError("packed values are short")
        out.append(((metric, pipeline, version, analyzer), ids, values[start:stop]))
        start = stop
    if start != len(values):
        raise ValueError("packed values are long")
    return out


def save(
    db: Database,
    counter: int | None,
    runs: Sequence[Packed],
) -> bool:
    """Store `runs`, read at `counter`, as the packed copy; False when the history cannot take
    it (read-only, busy, inside a transaction, or opened without migrations)."""
    if counter is None or db.conn.in_transaction or not _has_table(db):
        return False  # inside the caller's transaction a commit here would end it early
    lists: dict[int, int] = {}
    texts: list[str] = []
    for _, ids, _ in runs:
        if id(ids) not in lists:
            lists[id(ids)] = len(texts)
            texts.append(_SEP.join(ids))
    header = {
        "keys": [list(key) for key, _, _ in runs],
        "lists": [lists[id(i)] for _, i, _ in runs],
    }
    vals = np.concatenate([np.asarray(v, dtype="<f8") for _, _, v in runs] or [np.empty(0)])
    try:
        with db.conn:
            db.conn.execute(
                f"insert or replace into {_TABLE} values (1, ?, ?, ?, ?, ?)",
                [FORMAT, counter, json.dumps(header), "\0".join(texts).encode(), vals.tobytes()],
            )
    except sqlite3.Error:
        return False
    return True


def _has_table(db: Database) -> bool:
    sql = "select 1 from sqlite_master where type = 'table' and name = ?"
    return db.execute(sql, [_TABLE]).fetchone() is not None
