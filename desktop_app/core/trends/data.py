"""Read metric values joined with post metadata from the history DB into one table.

The values come column-wise (history.metric_columns), so 50,000 posts x 17 metrics load in a
fraction of a second instead of one Python tuple per value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

import numpy as np
from sqlite_utils import Database

from desktop_app.core.history.metric_columns import Run, StampMemo, metric_runs
from desktop_app.core.trends.periods import Granularity, period_key

#: Current dated posts in date order, from the covering index of migration m006; only those
#: with a metric row (metric_columns) enter the table.
_SQL_POSTS = """
select p.id, p.published, p.authors, p.tags, p.ai_assisted, p.title
from posts p
where p.superseded_by is null and p.published is not null
order by p.published, p.id
"""
_SQL_UNDATED = """
select p.id from posts p
where p.superseded_by is null and p.published is null
order by p.title, p.id
"""


class JSONLists(Sequence[list[str]]):
    """A column of JSON string lists (authors, tags), each distinct text decoded once, on use.

    The decoded lists are shared between rows with the same text: read them, never mutate.
    """

    def __init__(self, raw: Sequence[str | None], decoded: dict[str, list[str]] | None = None):
        self._raw = [text or "[]" for text in raw]
        self._decoded: dict[str, list[str]] = {} if decoded is None else decoded

    def __len__(self) -> int:
        return len(self._raw)

    def _decode(self, text: str) -> list[str]:
        found = self._decoded.get(text)
        if found is None:
            found = self._decoded[text] = json.loads(text)
        return found

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            return [self._decode(text) for text in self._raw[i]]
        return self._decode(self._raw[i])

    def __iter__(self) -> Iterator[list[str]]:
        return (self._decode(text) for text in self._raw)

    def pick(self, rows: Sequence[int]) -> JSONLists:
        """The items at `rows` (sharing this column's decoded texts)."""
        return JSONLists([self._raw[i] for i in rows], self._decoded)

    def members(self) -> dict[str, np.ndarray]:
        """Each name -> the rows (ascending) whose list holds it."""
        by_text: dict[str, list[int]] = {}
        for i, text in enumerate(self._raw):
            by_text.setdefault(text, []).append(i)
        rows: dict[str, list[int]] = {}
        for text, found in by_text.items():
            for name in set(self._decode(text)):
                rows.setdefault(name, []).extend(found)
        return {name: np.sort(np.asarray(r, dtype=np.int64)) for name, r in rows.items()}


def members_of(items: Sequence[list[str]]) -> dict[str, np.ndarray]:
    """`JSONLists.members` for any column of name lists."""
    if isinstance(items, JSONLists):
        return items.members()
    rows: dict[str, list[int]] = {}
    for i, names in enumerate(items):
        for name in set(names):
            rows.setdefault(name, []).append(i)
    return {name: np.asarray(r, dtype=np.int64) for name, r in rows.items()}


def _pick(items: Sequence[list[str]], rows: Sequence[int]) -> Sequence[list[str]]:
    return items.pick(rows) if isinstance(items, JSONLists) else [items[i] for i in rows]


@dataclass
class MetricTable:
    """Dated posts (rows) x metrics (columns); NaN where a value is missing."""

    post_ids: list[str]
    dates: list[date]
    titles: list[str]
    authors: Sequence[list[str]]
    tags: Sequence[list[str]]
    ai_assisted: list[bool | None]
    metrics: list[str]
    values: np.ndarray
    pipelines: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)
    _ordinals: np.ndarray | None = field(default=None, repr=False, compare=False)
    _keys: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def column(self, metric: str) -> np.ndarray:
        """All values of one metric (NaN for missing)."""
        return self.values[:, self.metrics.index(metric)]

    def rows(self, mask: np.ndarray) -> MetricTable:
        """A table restricted to the rows where `mask` is true."""
        idx = np.flatnonzero(mask)
        pick = [int(i) for i in idx]
        return MetricTable(
            [self.post_ids[i] for i in pick],
            [self.dates[i] for i in pick],
            [self.titles[i] for i in pick],
            _pick(self.authors, pick),
            _pick(self.tags, pick),
            [self.ai_assisted[i] for i in pick],
            self.metrics,
            self.values[idx],
            self.pipelines,
        )

    def date_mask(self, start: date | None = None, end: date | None = None) -> np.ndarray:
        """Rows with start <= date <= end (either bound optional)."""
        ordinals = self.ordinals()
        mask = np.ones(len(ordinals), dtype=bool)
        if start is not None:
            mask &= ordinals >= start.toordinal()
        if end is not None:
            mask &= ordinals <= end.toordinal()
        return mask

    def period_keys(self, by: Granularity) -> list[str]:
        """Each row's period key (periods.period_key), computed once per distinct date."""
        found = self._keys.get(by)
        if found is None or len(found) != len(self.dates):
            per_day: dict[date, str] = {}
            found = [per_day.get(d) or per_day.setdefault(d, period_key(d, by)) for d in self.dates]
            self._keys[by] = found
        return found

    def ordinals(self) -> np.ndarray:
        """The dates as day numbers (date.toordinal), for vectorised comparisons."""
        if self._ordinals is None or len(self._ordinals) != len(self.dates):
            self._ordinals = np.fromiter((d.toordinal() for d in self.dates), dtype=np.int64)
        return self._ordinals

    def __len__(self) -> int:
        return len(self.post_ids)


def _metric_order(found: set[str], preferred: Sequence[str]) -> list[str]:
    ordered = [m for m in preferred if m in found]
    return ordered + sorted(found - set(ordered))


def load_table(
    db: Database, metrics: Sequence[str] | None = None, preferred: Sequence[str] = ()
) -> MetricTable:
    """Every dated, current, analysed post with its metric values (optionally only `metrics`)."""
    runs = metric_runs(db)
    posts = [row for row in _dated_posts(db) if row[0] in runs.analysed]
    index = {row[0]: i for i, row in enumerate(posts)}
    matrix, names, tally = _fill(runs, index, metrics, preferred)
    return MetricTable(
        post_ids=[r[0] for r in posts],
        dates=[date.fromisoformat(r[1][:10]) for r in posts],
        titles=[r[5] for r in posts],
        authors=JSONLists([r[2] for r in posts]),
        tags=JSONLists([r[3] for r in posts]),
        ai_assisted=[None if r[4] is None else bool(r[4]) for r in posts],
        metrics=names,
        values=matrix,
        pipelines=tally,
    )


def _dated_posts(db: Database) -> list[tuple[Any, ...]]:
    """The rows of _SQL_POSTS, memoised until the history changes (report + summary)."""
    return _POSTS_MEMO.get(db, "posts", lambda: db.execute(_SQL_POSTS).fetchall())


_POSTS_MEMO: StampMemo[list[tuple[Any, ...]]] = StampMemo(size=1)


def load_undated_values(db: Database) -> tuple[list[str], list[str], np.ndarray]:
    """(post ids, metric names, value matrix) of current analysed posts WITHOUT a date.

    They have no place in a trend, but their values still score against the baseline (the
    Library shows their percentiles like any other post's).
    """
    runs = metric_runs(db)
    ids = [row[0] for row in db.execute(_SQL_UNDATED) if row[0] in runs.analysed]
    index = {post_id: i for i, post_id in enumerate(ids)}
    matrix, names, _ = _fill(runs, index, None, ())
    return ids, names, matrix


def _positions(
    ids: Sequence[str], index: dict[str, int], memo: dict[int, np.ndarray]
) -> np.ndarray:
    """Row of each id in `index` (-1 when absent); runs sharing one id list share the result."""
    found = memo.get(id(ids))
    if found is None:
        found = memo[id(ids)] = np.fromiter((index.get(i, -1) for i in ids), np.int64, len(ids))
    return found


def _fill(
    runs: Sequence[Run],
    index: dict[str, int],
    metrics: Sequence[str] | None,
    preferred: Sequence[str],
) -> tuple[np.ndarray, list[str], dict[str, list[tuple[str, str, str, int]]]]:
    """The value matrix of the rows in `index`, its metric names and, per metric, how many
    values each pipeline/analyzer produced (most first)."""
    memo: dict[int, np.ndarray] = {}
    placed = [(run, _positions(run.post_ids, index, memo)) for run in runs]
    counts = [(run, int(((rows >= 0) & ~np.isnan(run.values)).sum())) for run, rows in placed]
    found = {run.metric for run, n in counts if n}
    names = _metric_order(found & set(metrics) if metrics else found, preferred)
    col = {name: j for j, name in enumerate(names)}
    matrix = np.full((len(index), len(names)), np.nan)
    for run, rows in placed:
        if run.metric in col:
            ok = rows >= 0
            matrix[rows[ok], col[run.metric]] = run.values[ok]
    tally: dict[str, list[tuple[str, str, str, int]]] = {}
    for run, n in sorted(counts, key=lambda rc: -rc[1]):
        if n and run.metric in col:
            stamp = (run.pipeline, run.pipeline_version, run.analyzer_version, n)
            tally.setdefault(run.metric, []).append(stamp)
    return matrix, names, tally


def mixed_pipelines(table: MetricTable) -> dict[str, list[tuple[str, str, str, int]]]:
    """Metrics whose values come from more than one pipeline/analyzer version."""
    return {m: found for m, found in table.pipelines.items() if len(found) > 1}
