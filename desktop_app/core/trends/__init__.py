"""Period aggregation, Mann-Kendall + Theil-Sen verdicts, change points, corpus-level measures."""

from desktop_app.core.trends.compute import (
    SPLITS,
    GroupTrends,
    MetricTrend,
    TrendsResult,
    compute_trends,
    metric_info,
)
from desktop_app.core.trends.periods import GRANULARITIES, PeriodError
from desktop_app.core.trends.serialize import trends_to_dict

__all__ = [
    "GRANULARITIES",
    "SPLITS",
    "GroupTrends",
    "MetricTrend",
    "PeriodError",
    "TrendsResult",
    "compute_trends",
    "metric_info",
    "trends_to_dict",
]
