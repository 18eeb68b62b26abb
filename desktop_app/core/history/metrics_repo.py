"""Read and write per-post metric values and their evidence spans (one transaction per chunk)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlite_utils import Database

from desktop_app.core.history.metric_columns import Run, StampMemo, metric_runs
from desktop_app.core.records import MetricResult


@dataclass(frozen=True)
class AnalyzerStamp:
    """What produced a value: pipeline name + version and analyzer version."""

    pipeline: str
    pipeline_version: str
    analyzer_version: str


@dataclass
class StoredValue:
    """One stored metric value with its provenance."""

    metric: str
    value: float | None
    confidence: str
    pipeline: str
    pipeline_version: str
    analyzer_version: str
    computed_at: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredSpan:
    """One stored evidence span."""

    metric: str | None
    kind: str
    start: int
    end: int
    text: str
    ref_post_id: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_VALUE_COLUMNS = ("post_id", "metric", "value", "confidence", "pipeline", "pipeline_version",
                  "analyzer_version", "computed_at", "detail")  # fmt: skip
_SPAN_COLUMNS = ("post_id", "metric", "kind", "start", "end", "text", "ref_post_id")


def _value_rows(
    post_id: str, results: dict[str, MetricResult], stamp: AnalyzerStamp, now: str
) -> list[tuple[Any, ...]]:
    return [
        (
            post_id,
            name,
            None if result.value is None else float(result.value),
            str(result.confidence),
            stamp.pipeline,
            stamp.pipeline_version,
            stamp.analyzer_version,
            now,
            json.dumps(result.detail, default=str) if result.detail else None,
        )
        for name, result in results.items()
    ]


def _span_rows(post_id: str, results: dict[str, MetricResult]) -> list[tuple[Any, ...]]:
    return [
        (post_id, name, span.kind, int(span.start), int(span.end), span.text, span.ref_post_id)
        for name, result in results.items()
        for span in result.spans
    ]


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return f"insert into {table} ({names}) values ({', '.join('?' * len(columns))})"


@dataclass(frozen=True)
class ResultRows:
    """One post's metric values and evidence as table rows, ready to store.

    Worker processes build these (JSON encoding included) so the parent only inserts them.
    """

    post_id: str
    values: list[tuple[Any, ...]]
    spans: list[tuple[Any, ...]]


def result_rows(post_id: str, results: dict[str, MetricResult], stamp: AnalyzerStamp) -> ResultRows:
    """The rows that store `results` for `post_id`, stamped with the pipeline and analyzer."""
    return ResultRows(
        post_id, _value_rows(post_id, results, stamp, _now()), _span_rows(post_id, results)
    )


def write_rows(db: Database, batch: Sequence[ResultRows]) -> None:
    """Replace the values and evidence of every post in `batch`, in ONE transaction.

    Plain ``executemany`` rather than sqlite-utils' ``insert_all``: the rows have a fixed
    shape and this runs in the parent process while the workers analyse.
    """
    ids = [(rows.post_id,) for rows in batch]
    with db.conn:
        db.conn.executemany("delete from metric_values where post_id = ?", ids)
        db.conn.executemany("delete from evidence where post_id = ?", ids)
        values = [row for rows in batch for row in rows.values]
        db.conn.executemany(_insert_sql("metric_values", _VALUE_COLUMNS), values)
        spans = [row for rows in batch for row in rows.spans]
        db.conn.executemany(_insert_sql("evidence", _SPAN_COLUMNS), spans)


def post_ids_to_analyze(db: Database, stamp: AnalyzerStamp, mode: str) -> list[str]:
    """Current posts to (re)analyse, oldest first: mode 'missing', 'stale' or 'all'.

    'missing' = no stored value; 'stale' = missing, or any value made by another pipeline
    name/version or analyzer version; 'all' = every current post.
    """
    if mode == "all":
        cond = "1"
        params: list[Any] = []
    else:
        cond = "not exists (select 1 from metric_values v where v.post_id = p.id)"
        params = []
        if mode == "stale":
            cond += (
                " or exists (select 1 from metric_values v where v.post_id = p.id and "
                "(v.pipeline is not ? or v.pipeline_version is not ? "
                "or v.analyzer_version is not ?))"
            )
            params = [stamp.pipeline, stamp.pipeline_version, stamp.analyzer_version]
    sql = (
        f"select id from posts p where superseded_by is null and ({cond}) "
        "order by published is null, published, title"
    )
    return [row[0] for row in db.execute(sql, params)]


def stored_values(db: Database, post_id: str) -> dict[str, StoredValue]:
    """Every stored metric value of a post, by metric name."""
    cursor = db.execute(
        "select metric, value, confidence, pipeline, pipeline_version, analyzer_version, "
        "computed_at, detail from metric_values where post_id = ?",
        [post_id],
    )
    out = {}
    for row in cursor:
        detail = json.loads(row[7]) if row[7] else {}
        out[row[0]] = StoredValue(*row[:7], detail=detail)  # type: ignore[misc]
    return out


def stored_spans(db: Database, post_id: str) -> list[StoredSpan]:
    """Every stored evidence span of a post, in text order."""
    cursor = db.execute(
        'select metric, kind, start, "end", text, ref_post_id from evidence '
        'where post_id = ? order by start, "end"',
        [post_id],
    )
    return [StoredSpan(*row) for row in cursor]


def _dated_current(db: Database) -> dict[str, str]:
    """Published date (ISO text) of every current, dated post (memoised until the history
    changes: a baseline reads it twice). Callers must not change it."""
    sql = "select id, published from posts where superseded_by is null and published is not null"
    return _DATED.get(db, "posts", lambda: dict(db.execute(sql).fetchall()))


_DATED: StampMemo[dict[str, str]] = StampMemo()


def _runs_of(db: Database, pipeline: str | None) -> list[Run]:
    return [r for r in metric_runs(db) if not pipeline or r.pipeline == pipeline]


def values_in_window(
    db: Database,
    start: date | None,
    end: date | None,
    pipeline: str | None = None,
    metrics: Iterable[str] | None = None,
) -> dict[str, list[float]]:
    """Non-null values per metric for current posts published in [start, end).

    Read from the memoised column-wise values (history.metric_columns), not row by row.
    """
    low, high = start.isoformat() if start else None, end.isoformat() if end else None
    dated = _dated_current(db)
    inside = {
        i
        for i, day in dated.items()
        if (low is None or day >= low) and (high is None or day < high)
    }
    wanted = set(metrics) if metrics is not None else None
    masks: dict[int, np.ndarray] = {}
    out: dict[str, list[float]] = {}
    for run in _runs_of(db, pipeline):
        if wanted is not None and run.metric not in wanted:
            continue
        mask = masks.get(id(run.post_ids))
        if mask is None:
            mask = masks[id(run.post_ids)] = np.fromiter(
                (i in inside for i in run.post_ids), dtype=bool, count=len(run.post_ids)
            )
        picked = run.values[mask & ~np.isnan(run.values)]
        if picked.size:
            out.setdefault(run.metric, []).extend(picked.tolist())
    return out


def analyzed_dates(db: Database, pipeline: str | None = None) -> list[str]:
    """Published dates (ISO, sorted) of current, dated posts that have stored values."""
    dated = _dated_current(db)
    ids: set[str] = set()
    lists = {id(run.post_ids): run.post_ids for run in _runs_of(db, pipeline)}  # often shared
    for post_ids in lists.values():
        ids.update(post_ids)
    return sorted(dated[i] for i in ids if i in dated)
