"""Team baseline: metric distributions over a reference window, percentiles and freshness.

* Reference window: posts published in [Settings.baseline_start, Settings.baseline_end)
  (default: everything before 2023-01-01). When no analysed post falls in it, the oldest half
  of the analysed, dated history is used instead, and ``Baseline.note`` says so.
* Percentile of a value for a metric: share of baseline values it beats, oriented by the
  metric's direction (higher percentile = fresher), ties counted half (``kind='mean'``).
* Dimension percentile: mean of that dimension's available metric percentiles.
* Freshness index (0-100): weighted mean of the available dimension percentiles, with the
  weights of `core.baseline.freshness` (the one rule). Raw values always travel beside
  percentiles.

One rule in two forms: `score_values` scores a whole value matrix at once (dashboard, library,
report, CLI tables); `score` is the same rule for one post (check, analysis view).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlite_utils import Database

from desktop_app.core.baseline.freshness import freshness_rows
from desktop_app.core.history.metrics_repo import analyzed_dates, values_in_window
from desktop_app.core.records import Direction, MetricSpec
from desktop_app.core.settings import Settings

MIN_BASELINE_VALUES = 5  # fewer values than this: no percentile for that metric


def percentiles(dist: np.ndarray, values: np.ndarray, direction: Direction) -> np.ndarray:
    """Percentile (0-100, higher = fresher) of each value against the sorted baseline `dist`:
    the share of baseline values it beats, ties counted half. NaN for NaN values or when the
    baseline holds fewer than MIN_BASELINE_VALUES values."""
    out = np.full(values.shape, np.nan)
    if dist.size < MIN_BASELINE_VALUES:
        return out
    ok = ~np.isnan(values)
    below = np.searchsorted(dist, values[ok], side="left")
    upto = np.searchsorted(dist, values[ok], side="right")
    beaten = below if direction is Direction.HIGHER_BETTER else dist.size - upto
    out[ok] = 100.0 * (beaten + 0.5 * (upto - below)) / dist.size
    return out


@dataclass
class Baseline:
    """Sorted baseline values per metric, the window they came from and how it was chosen."""

    values: dict[str, np.ndarray]
    start: date | None
    end: date | None  # exclusive
    fallback: bool = False
    note: str = ""
    post_count: int = 0

    def percentile(self, spec: MetricSpec, value: float | None) -> float | None:
        """0-100, higher = fresher; None without a value or with too small a baseline."""
        dist = self.values.get(spec.name)
        if value is None or dist is None:
            return None
        pct = percentiles(dist, np.array([value], dtype=float), spec.direction)[0]
        return None if np.isnan(pct) else float(pct)

    def describe(self) -> str:
        """One line: the window and how many posts it holds (and the fallback note)."""
        start = self.start.isoformat() if self.start else "the beginning"
        end = self.end.isoformat() if self.end else "today"
        text = f"baseline: {self.post_count} post(s) from {start} to before {end}"
        return f"{text} ({self.note})" if self.note else text


@dataclass
class Scores:
    """Percentiles for one post: per metric, per dimension, and the freshness index."""

    metric: dict[str, float | None] = field(default_factory=dict)
    dimension: dict[str, float | None] = field(default_factory=dict)
    freshness: float | None = None


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _oldest_half(db: Database, pipeline: str | None) -> tuple[date | None, int]:
    dates = analyzed_dates(db, pipeline)
    if not dates:
        return None, 0
    last = date.fromisoformat(dates[(len(dates) - 1) // 2])
    return last + timedelta(days=1), sum(1 for d in dates if date.fromisoformat(d) <= last)


def _count_in(db: Database, start: date | None, end: date | None, pipeline: str | None) -> int:
    low, high = _iso(start), _iso(end)  # ISO dates compare as text
    return sum(
        1
        for d in analyzed_dates(db, pipeline)
        if (low is None or d >= low) and (high is None or d < high)
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def load_baseline(db: Database, settings: Settings, pipeline: str | None = None) -> Baseline:
    """The baseline from stored values (of `pipeline` when given) over the settings' window."""
    start, end = _parse(settings.baseline_start), _parse(settings.baseline_end)
    count = _count_in(db, start, end, pipeline)
    if count:
        values = values_in_window(db, start, end, pipeline)
        return Baseline(_sorted(values), start, end, post_count=count)
    half_end, half_count = _oldest_half(db, pipeline)
    values = values_in_window(db, None, half_end, pipeline) if half_end else {}
    window = f"{start or 'the beginning'} to {end or 'today'}"
    note = f"no analysed posts in the reference window {window}; " + (
        "using the oldest half of the history instead" if half_count else "history is empty"
    )
    return Baseline(_sorted(values), None, half_end, True, note, half_count)


def _sorted(values: Mapping[str, list[float]]) -> dict[str, np.ndarray]:
    return {name: np.sort(np.asarray(vals, dtype=float)) for name, vals in values.items()}


def baseline_from_values(values: Mapping[str, list[float]], note: str = "") -> Baseline:
    """A baseline from explicit value lists (evaluation scripts, tests, demo references)."""
    count = max((len(v) for v in values.values()), default=0)
    return Baseline(_sorted(values), None, None, note=note, post_count=count)


@dataclass
class Scoring:
    """Per-row metric and dimension percentiles, freshness, and each metric's baseline band."""

    bands: dict[str, tuple[float, float, float]]  # metric -> (p25, median, p75) of the baseline
    dimensions: dict[str, np.ndarray]  # dimension -> per-row percentile (NaN if unknown)
    freshness: np.ndarray  # per-row 0-100 (NaN if no dimension available)
    metrics: dict[str, np.ndarray] = field(default_factory=dict)  # metric -> per-row percentile


def _row_means(columns: Sequence[np.ndarray], n_rows: int) -> np.ndarray:
    if not columns:
        return np.full(n_rows, np.nan)
    stacked = np.vstack(columns)
    counts = (~np.isnan(stacked)).sum(axis=0)
    return np.where(counts > 0, np.nansum(stacked, axis=0) / np.maximum(counts, 1), np.nan)


def score_values(
    metrics: Sequence[str],
    values: np.ndarray,
    baseline: Baseline,
    specs: Mapping[str, MetricSpec],
    weights: Mapping[str, float] | None = None,
) -> Scoring:
    """Percentiles, dimension percentiles (mean of the metric percentiles) and freshness of
    every row of `values` (rows = posts, columns = `metrics`; NaN = no value)."""
    by_dim: dict[str, list[np.ndarray]] = {}
    bands, per_metric = {}, {}
    for j, metric in enumerate(metrics):
        spec = specs.get(metric)
        if spec is None:
            continue
        dist = baseline.values.get(metric, np.empty(0))
        if dist.size >= MIN_BASELINE_VALUES:
            p25, p50, p75 = np.percentile(dist, [25, 50, 75])
            bands[metric] = (float(p25), float(p50), float(p75))
        per_metric[metric] = percentiles(dist, values[:, j], spec.direction)
        by_dim.setdefault(spec.dimension, []).append(per_metric[metric])
    dims = {d: _row_means(cols, len(values)) for d, cols in by_dim.items()}
    return Scoring(bands, dims, freshness_rows(dims, len(values), weights), per_metric)


def nanmean(values: np.ndarray) -> float | None:
    """Mean ignoring NaN; None when nothing is left."""
    ok = values[~np.isnan(values)]
    return float(ok.mean()) if ok.size else None


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def score(
    baseline: Baseline,
    specs: Mapping[str, MetricSpec],
    values: Mapping[str, float | None],
    weights: Mapping[str, float] | None = None,
) -> Scores:
    """`score_values` for one post's raw values (`weights`: another composition, for
    evaluations; default the shipped one)."""
    names = [name for name in specs if name in values]
    row = np.array([[np.nan if values[n] is None else values[n] for n in names]], dtype=float)
    scoring = score_values(names, row.reshape(1, len(names)), baseline, specs, weights)
    return Scores(
        {n: _optional(p[0]) for n, p in scoring.metrics.items()},
        {d: _optional(p[0]) for d, p in scoring.dimensions.items()},
        _optional(scoring.freshness[0]),
    )
