"""Library score columns: freshness and each dimension's percentile, computed by the core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.core.baseline.freshness import FRESHNESS_DIMENSIONS, FRESHNESS_WEIGHTS
from desktop_app.core.metrics.dimensions import DIMENSION_LABELS

if TYPE_CHECKING:  # scoring loads numpy and the metrics; the engine loads spaCy
    from sqlite_utils import Database

    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.baseline.scoring import Scoring

SCORE_KEYS = ["freshness", *FRESHNESS_DIMENSIONS]


@dataclass(frozen=True)
class MetricColumn:
    """A numeric column: header, the stored metric name, and how many decimals to show."""

    header: str
    metric: str
    decimals: int = 1
    tooltip: str = ""


def library_metric_columns() -> list[MetricColumn]:
    """Freshness then one percentile column per dimension (0-100, higher = fresher)."""
    columns = [MetricColumn("Freshness", "freshness", 0, f"0-100: {_composition()}")]
    for dimension in FRESHNESS_DIMENSIONS:
        label = DIMENSION_LABELS[dimension]
        tip = f"{label}: percentile against your baseline (higher = fresher)"
        columns.append(MetricColumn(dimension.capitalize(), dimension, 0, tip))
    return columns


def _composition() -> str:
    """The index's composition in words, from the core's weights."""
    parts = [f"{DIMENSION_LABELS.get(d, d)} ×{w:g}" for d, w in FRESHNESS_WEIGHTS.items() if w > 0]
    return "weighted mean of the dimension percentiles: " + ", ".join(parts)


def _clean(value: float) -> float | None:
    return None if value != value else float(value)  # NaN is the only value unequal to itself


def compute_scores(db: Database, engine: AnalysisEngine) -> dict[str, list[float | None]]:
    """post id -> [freshness, diversity, repetition, genericness, readability] percentiles,
    for dated and undated posts alike (a percentile does not depend on the date)."""
    from desktop_app.core.baseline.scoring import score_values
    from desktop_app.core.metrics.registry import REGISTRY
    from desktop_app.core.trends.data import load_table, load_undated_values

    baseline = engine.baseline(db)
    table = load_table(db)
    undated = load_undated_values(db)
    scores: dict[str, list[float | None]] = {}
    for post_ids, metrics, values in ((table.post_ids, table.metrics, table.values), undated):
        if post_ids:
            scoring = score_values(metrics, values, baseline, REGISTRY)
            scores.update(_rows(post_ids, scoring))
    return scores


def _rows(post_ids: list[str], scoring: Scoring) -> dict[str, list[float | None]]:
    import numpy as np

    nan = np.full(len(post_ids), np.nan)
    columns = [scoring.freshness] + [scoring.dimensions.get(d, nan) for d in FRESHNESS_DIMENSIONS]
    return {post_id: [_clean(col[i]) for col in columns] for i, post_id in enumerate(post_ids)}
