"""Library score columns: freshness and each dimension's percentile, computed by the core."""

from __future__ import annotations

from typing import Any

from desktop_app.gui.display import DIMENSION_LABELS
from desktop_app.gui.models.posts_model import MetricColumn

#: Same order as desktop_app.core.baseline.FRESHNESS_DIMENSIONS (imported lazily: start-up speed).
FRESHNESS_DIMENSIONS = ("diversity", "repetition", "genericness", "readability")
SCORE_KEYS = ["freshness", *FRESHNESS_DIMENSIONS]


def library_metric_columns() -> list[MetricColumn]:
    """Freshness then one percentile column per dimension (0-100, higher = fresher)."""
    columns = [
        MetricColumn("Freshness", "freshness", 0, "0-100: mean of the dimension percentiles")
    ]
    for dimension in FRESHNESS_DIMENSIONS:
        label = DIMENSION_LABELS[dimension]
        tip = f"{label}: percentile against your baseline (higher = fresher)"
        columns.append(MetricColumn(dimension.capitalize(), dimension, 0, tip))
    return columns


def _clean(value: float) -> float | None:
    return None if value != value else float(value)  # NaN is the only value unequal to itself


def compute_scores(db: Any, engine: Any) -> dict[str, list[float | None]]:
    """post id -> [freshness, diversity, repetition, genericness, readability] percentiles."""
    import numpy as np

    from desktop_app.core.metrics.registry import REGISTRY
    from desktop_app.core.report.scoring import score_table
    from desktop_app.core.trends.data import load_table

    table = load_table(db)
    if not len(table):
        return {}
    scoring = score_table(table, engine.baseline(db), REGISTRY)
    nan = np.full(len(table), np.nan)
    columns = [scoring.freshness] + [scoring.dimensions.get(d, nan) for d in FRESHNESS_DIMENSIONS]
    return {
        post_id: [_clean(col[i]) for col in columns] for i, post_id in enumerate(table.post_ids)
    }
