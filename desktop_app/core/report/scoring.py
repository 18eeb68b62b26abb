"""Vectorised baseline percentiles and freshness for a whole table (same rules as core.baseline)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from desktop_app.core.baseline import MIN_BASELINE_VALUES, Baseline, percentiles
from desktop_app.core.baseline_freshness import FRESHNESS_WEIGHTS
from desktop_app.core.metrics.base import MetricSpec
from desktop_app.core.trends.data import MetricTable


@dataclass
class Scoring:
    """Per-row dimension percentiles and freshness, and the baseline band of each metric."""

    bands: dict[str, tuple[float, float, float]]  # metric -> (p25, median, p75) of the baseline
    dimensions: dict[str, np.ndarray]  # dimension -> per-row percentile (NaN if unknown)
    freshness: np.ndarray  # per-row 0-100 (NaN if no dimension available)


def _row_means(columns: Sequence[np.ndarray], n_rows: int) -> np.ndarray:
    if not columns:
        return np.full(n_rows, np.nan)
    stacked = np.vstack(columns)
    counts = (~np.isnan(stacked)).sum(axis=0)
    return np.where(counts > 0, np.nansum(stacked, axis=0) / np.maximum(counts, 1), np.nan)


def score_table(table: MetricTable, baseline: Baseline, specs: Mapping[str, MetricSpec]) -> Scoring:
    """Dimension percentiles (mean of metric percentiles) and freshness for every row."""
    return score_values(table.metrics, table.values, baseline, specs)


def score_values(
    metrics: Sequence[str], values: np.ndarray, baseline: Baseline, specs: Mapping[str, MetricSpec]
) -> Scoring:
    """`score_table` for a bare value matrix (rows = posts, columns = `metrics`)."""
    by_dim: dict[str, list[np.ndarray]] = {}
    bands = {}
    n_rows = len(values)
    for j, metric in enumerate(metrics):
        spec = specs.get(metric)
        dist = baseline.values.get(metric, np.empty(0))
        if spec is None:
            continue
        if dist.size >= MIN_BASELINE_VALUES:
            p25, p50, p75 = np.percentile(dist, [25, 50, 75])
            bands[metric] = (float(p25), float(p50), float(p75))
        by_dim.setdefault(spec.dimension, []).append(
            percentiles(dist, values[:, j], spec.direction)
        )
    dims = {d: _row_means(cols, n_rows) for d, cols in by_dim.items()}
    return Scoring(bands, dims, freshness_rows(dims, n_rows))


def freshness_rows(dims: Mapping[str, np.ndarray], n_rows: int) -> np.ndarray:
    """`baseline_freshness.freshness_index` for every row: weighted mean of the available
    dimension percentiles (NaN where none is available)."""
    total, norm = np.zeros(n_rows), np.zeros(n_rows)
    for dimension, weight in FRESHNESS_WEIGHTS.items():
        if weight > 0 and dimension in dims:
            ok = ~np.isnan(dims[dimension])
            total += np.where(ok, dims[dimension], 0.0) * weight
            norm += ok * weight
    return np.where(norm > 0, total / np.maximum(norm, 1e-12), np.nan)


def nanmean(values: np.ndarray) -> float | None:
    """Mean ignoring NaN; None when nothing is left."""
    ok = values[~np.isnan(values)]
    return float(ok.mean()) if ok.size else None
