"""Read metric values joined with post metadata from the history DB into one table."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlite_utils import Database

_SQL_POSTS = """
select p.id, p.published, p.authors, p.tags, p.ai_assisted, p.title, p.word_count
from posts p
where p.superseded_by is null and p.published is not null
  and exists (select 1 from metric_values m where m.post_id = p.id)
order by p.published, p.id
"""
_SQL_UNDATED = """
select p.id from posts p
where p.superseded_by is null and p.published is null
  and exists (select 1 from metric_values m where m.post_id = p.id)
order by p.title, p.id
"""
_SQL_VALUES = """
select m.post_id, m.metric, m.value, m.pipeline, m.pipeline_version, m.analyzer_version
from metric_values m
where m.value is not null
"""


@dataclass
class MetricTable:
    """Dated posts (rows) x metrics (columns); NaN where a value is missing."""

    post_ids: list[str]
    dates: list[date]
    titles: list[str]
    authors: list[list[str]]
    tags: list[list[str]]
    ai_assisted: list[bool | None]
    metrics: list[str]
    values: np.ndarray
    pipelines: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)

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
            [self.authors[i] for i in pick],
            [self.tags[i] for i in pick],
            [self.ai_assisted[i] for i in pick],
            self.metrics,
            self.values[idx],
            self.pipelines,
        )

    def date_mask(self, start: date | None = None, end: date | None = None) -> np.ndarray:
        """Rows with start <= date <= end (either bound optional)."""
        return np.array(
            [(start is None or d >= start) and (end is None or d <= end) for d in self.dates],
            dtype=bool,
        )

    def __len__(self) -> int:
        return len(self.post_ids)


def _metric_order(found: set[str], preferred: Sequence[str]) -> list[str]:
    ordered = [m for m in preferred if m in found]
    return ordered + sorted(found - set(ordered))


def load_table(
    db: Database, metrics: Sequence[str] | None = None, preferred: Sequence[str] = ()
) -> MetricTable:
    """Every dated, current, analysed post with its metric values (optionally only `metrics`)."""
    posts = db.execute(_SQL_POSTS).fetchall()
    index = {row[0]: i for i, row in enumerate(posts)}
    values = db.execute(_SQL_VALUES).fetchall()
    found = {row[1] for row in values if row[0] in index}
    names = _metric_order(found & set(metrics) if metrics else found, preferred)
    matrix, runs = _fill(values, index, {name: j for j, name in enumerate(names)}, len(posts))
    return MetricTable(
        post_ids=[r[0] for r in posts],
        dates=[date.fromisoformat(r[1][:10]) for r in posts],
        titles=[r[5] for r in posts],
        authors=[json.loads(r[2] or "[]") for r in posts],
        tags=[json.loads(r[3] or "[]") for r in posts],
        ai_assisted=[None if r[4] is None else bool(r[4]) for r in posts],
        metrics=names,
        values=matrix,
        pipelines=runs,
    )


def load_undated_values(db: Database) -> tuple[list[str], list[str], np.ndarray]:
    """(post ids, metric names, value matrix) of current analysed posts WITHOUT a date.

    They have no place in a trend, but their values still score against the baseline (the
    Library shows their percentiles like any other post's).
    """
    ids = [row[0] for row in db.execute(_SQL_UNDATED)]
    index = {post_id: i for i, post_id in enumerate(ids)}
    values = db.execute(_SQL_VALUES).fetchall()
    names = _metric_order({row[1] for row in values if row[0] in index}, ())
    matrix, _ = _fill(values, index, {name: j for j, name in enumerate(names)}, len(ids))
    return ids, names, matrix


def _fill(
    values: list[tuple[Any, ...]], index: dict[str, int], col: dict[str, int], n_rows: int
) -> tuple[np.ndarray, dict[str, list[tuple[str, str, str, int]]]]:
    """The value matrix and, per metric, how many values each pipeline/analyzer produced."""
    matrix = np.full((n_rows, len(col)), np.nan)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for post_id, metric, value, pipeline, version, analyzer in values:
        j = col.get(metric)
        i = index.get(post_id)
        if j is not None and i is not None:
            matrix[i, j] = value
            counts[(metric, pipeline, version, analyzer)] += 1
    runs: dict[str, list[tuple[str, str, str, int]]] = {}
    for (metric, pipeline, version, analyzer), count in counts.most_common():
        runs.setdefault(metric, []).append((pipeline, version, analyzer, count))
    return matrix, runs


def mixed_pipelines(table: MetricTable) -> dict[str, list[tuple[str, str, str, int]]]:
    """Metrics whose values come from more than one pipeline/analyzer version."""
    return {m: found for m, found in table.pipelines.items() if len(found) > 1}
