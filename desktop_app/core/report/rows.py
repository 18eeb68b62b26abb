"""Flat rows for the report CSVs: every post of the quarter, and the period series."""

from __future__ import annotations

import numpy as np

from desktop_app.core.baseline.scoring import Scoring
from desktop_app.core.trends.compute import GroupTrends
from desktop_app.core.trends.data import MetricTable


def _num(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)


def post_rows(table: MetricTable, scoring: Scoring, mask: np.ndarray) -> list[dict[str, object]]:
    """One row per post of the quarter: metadata, freshness, dimension percentiles, raw values."""
    idx = np.flatnonzero(mask)
    rows = []
    for k, i in enumerate(idx):
        row: dict[str, object] = {
            "post_id": table.post_ids[k],
            "published": table.dates[k].isoformat(),
            "title": table.titles[k],
            "authors": "; ".join(table.authors[k]),
            "tags": "; ".join(table.tags[k]),
            "ai_assisted": {True: "yes", False: "no", None: ""}[table.ai_assisted[k]],
            "freshness": _num(scoring.freshness[i]),
        }
        for dim, values in scoring.dimensions.items():
            row[f"pct_{dim}"] = _num(values[i])
        for j, metric in enumerate(table.metrics):
            row[metric] = _num(table.values[k, j])
        rows.append(row)
    return rows


def series_rows(group: GroupTrends) -> list[dict[str, object]]:
    """One row per metric and quarter: n, mean, median, 90% interval, status."""
    return [
        {
            "group": group.name,
            "metric": trend.info.name,
            "period": p.period,
            "n": p.n,
            "mean": p.mean,
            "median": p.median,
            "ci90_low": p.ci_low,
            "ci90_high": p.ci_high,
            "status": p.status,
        }
        for trend in group.metrics
        for p in trend.series
    ]
