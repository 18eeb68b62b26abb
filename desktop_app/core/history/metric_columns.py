"""Streamed, column-wise reads of the metric values (one query per metric and producer).

Reading 850,000 (post, metric, value) rows one tuple at a time costs seconds at 50,000 posts;
here each metric's post ids arrive as one concatenated string (split once, and shared between
metrics analysed for the same posts) and its values as bare floats, both in the order of the
covering index of migration m006. That read is then kept packed inside the history
(column_cache.py, m009) until the values change, so the next process reads three blobs. A
small in-process memo, keyed by the history's change counters, lets trends, the report and
the summary share one read.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Generic, TypeVar

import numpy as np
from sqlite_utils import Database

from desktop_app.core.history import column_cache

_SEP = "\x1f"
_INDEX = "indexed by idx_metric_values_columns"
_SQL_RUNS = f"""
select metric, pipeline, pipeline_version, analyzer_version, count(*),
       group_concat(post_id, char(31))
from metric_values {_INDEX}
group by metric, pipeline, pipeline_version, analyzer_version
"""
_SQL_VALUES = f"""
select value from metric_values {_INDEX}
where metric = ? and pipeline is ? and pipeline_version is ? and analyzer_version is ?
"""
_SQL_ROWS = """
select metric, pipeline, pipeline_version, analyzer_version, post_id, value from metric_values
"""


@dataclass(frozen=True)
class Run:
    """The values of one metric produced by one pipeline/analyzer: post ids and values (NaN
    where the row holds no value, e.g. too little text)."""

    metric: str
    pipeline: str
    pipeline_version: str
    analyzer_version: str
    post_ids: Sequence[str]
    values: np.ndarray


def change_stamp(db: Database) -> tuple[object, ...] | None:
    """The history's file and change counters (equal stamps: unchanged posts and values);
    None for an in-memory DB or one without counters, which are never memoised."""
    files = tuple(row[2] for row in db.execute("pragma database_list"))
    if not all(files):
        return None
    known = db.execute("select 1 from sqlite_master where name = 'change_counters'").fetchone()
    if known is None:
        return None
    return (files, tuple(db.execute("select name, n from change_counters order by name")))


def _has_index(db: Database) -> bool:
    sql = "select 1 from sqlite_master where type = 'index' and name = 'idx_metric_values_columns'"
    return db.execute(sql).fetchone() is not None


def _read(db: Database) -> list[Run]:
    if not _has_index(db):  # opened without migrations: row by row, the order is the rows'
        return _read_rows(db)
    counter = column_cache.values_counter(db)
    packed = column_cache.load(db, counter)
    if packed:
        return [Run(*key, ids, values) for key, ids, values in packed]
    counter, runs = _read_snapshot(db)
    column_cache.save(db, counter, [(_key(r), r.post_ids, r.values) for r in runs])
    return runs


def _key(run: Run) -> column_cache.Key:
    return (run.metric, run.pipeline, run.pipeline_version, run.analyzer_version)


def _read_snapshot(db: Database) -> tuple[int | None, list[Run]]:
    """The runs and the values counter, read in one transaction (one snapshot)."""
    own = not db.conn.in_transaction
    if own:
        db.execute("begin")
    try:
        return column_cache.values_counter(db), _read_columns(db)
    finally:
        if own:
            db.execute("commit")


def _read_columns(db: Database) -> list[Run]:
    shared: dict[str, list[str]] = {}
    out = []
    for metric, pipeline, version, analyzer, count, joined in db.execute(_SQL_RUNS).fetchall():
        ids = shared.setdefault(joined, joined.split(_SEP))
        # the same index range in the same order as the group_concat above
        cursor = db.execute(_SQL_VALUES, [metric, pipeline, version, analyzer])
        values = np.array(list(chain.from_iterable(cursor)), dtype=float)  # None -> NaN
        if len(values) != count:
            raise RuntimeError("metric values changed while they were read")
        out.append(Run(metric, pipeline, version, analyzer, ids, values))
    return out


def _read_rows(db: Database) -> list[Run]:
    groups: dict[tuple[str, str, str, str], tuple[list[str], list[float]]] = {}
    for metric, pipeline, version, analyzer, post_id, value in db.execute(_SQL_ROWS):
        ids, values = groups.setdefault((metric, pipeline, version, analyzer), ([], []))
        ids.append(post_id)
        values.append(value)
    return [
        Run(*key, ids, np.asarray(values, dtype=float)) for key, (ids, values) in groups.items()
    ]


class MetricRuns(list[Run]):
    """Every run of the history, and the ids of the posts holding any metric row."""

    def __init__(self, runs: Sequence[Run]) -> None:
        super().__init__(runs)
        self._analysed: set[str] | None = None

    @property
    def analysed(self) -> set[str]:
        """Ids of the posts with at least one metric row (a value or not)."""
        if self._analysed is None:
            lists = {id(run.post_ids): run.post_ids for run in self}
            self._analysed = set().union(*lists.values())
        return self._analysed


_MEMO: dict[str, tuple[tuple[object, ...], MetricRuns]] = {}


def metric_runs(db: Database) -> MetricRuns:
    """Every stored metric row's value, grouped by metric and producer (memoised until the
    history changes)."""
    stamp = change_stamp(db)
    found = _MEMO.get("runs")
    if stamp is not None and found is not None and found[0] == stamp:
        return found[1]
    runs = MetricRuns(_read(db))
    if stamp is not None:
        _MEMO["runs"] = (stamp, runs)
    return runs


#: Other memos keyed by change_stamp register their clear function here.
CLEARERS: list[Callable[[], None]] = []

T = TypeVar("T")


class StampMemo(Generic[T]):
    """Values computed from a history, kept until its change stamp moves (one history at a
    time; at most `size` keys). Callers must not change what they get back."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.stamp: tuple[object, ...] | None = None
        self.items: dict[Hashable, T] = {}
        CLEARERS.append(self.clear)

    def get(self, db: Database, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, computed now if the history changed since it was kept."""
        stamp = change_stamp(db)
        if stamp is None:  # in memory or without counters: never kept
            return compute()
        found = self.items.get(key) if stamp == self.stamp else None
        if found is not None:
            return found
        value = compute()  # returned from here: another thread may clear the memo meanwhile
        if stamp != self.stamp or len(self.items) >= self.size:
            self.items.clear()
            self.stamp = stamp
        self.items[key] = value
        return value

    def clear(self) -> None:
        """Forget everything kept."""
        self.items.clear()
        self.stamp = None


def clear_memo() -> None:
    """Forget the memoised reads (benchmarks time cold reads)."""
    _MEMO.clear()
    for clear in CLEARERS:
        clear()
