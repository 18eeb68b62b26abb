"""What an analysis looks like on screen: rows and spans built from the engine's results (no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine's records; importing them at run time would load spaCy
    from desktop_app.core.analysis.results import (
        CheckResult,
        MetricReport,
        PostAnalysis,
        SpanReport,
    )

#: Evidence kinds: (legend label, RGBA highlight readable on light and dark backgrounds).
SPAN_KINDS: dict[str, tuple[str, tuple[int, int, int, int]]] = {
    "ai_marker": ("AI-marker word", (255, 170, 0, 110)),
    "cliche": ("Stock phrase / cliché", (236, 64, 150, 100)),
    "repeated": ("Repeated phrase", (40, 140, 255, 100)),
    "opening": ("Repeated sentence opening", (0, 170, 190, 95)),
    "recycled": ("Recycled from an earlier post", (30, 180, 90, 110)),
    "ai_style": ("AI-style cue", (150, 90, 230, 105)),
}


@dataclass
class MetricRow:
    """One metric as shown: raw value with unit beside its percentile."""

    name: str
    label: str
    dimension: str
    value: float | None
    unit: str
    percentile: float | None
    better: str
    description: str
    confidence: str = "ok"

    def value_text(self) -> str:
        """The raw value, or why there is none."""
        if self.value is None:
            return self.confidence if self.confidence != "ok" else "–"
        digits = 3 if abs(self.value) < 1 else (1 if abs(self.value) < 100 else 0)
        return f"{self.value:.{digits}f}"


@dataclass
class AnalysisDisplay:
    """Everything the analysis view shows for one text."""

    title: str
    text: str
    freshness: float | None = None
    dimensions: dict[str, float | None] = field(default_factory=dict)
    rows: list[MetricRow] = field(default_factory=list)
    spans: list[SpanReport] = field(default_factory=list)
    pipeline: str = ""
    notes: list[str] = field(default_factory=list)
    word_count: int = 0


def metric_rows(reports: Sequence[MetricReport]) -> list[MetricRow]:
    """Rows from the engine's MetricReport records (registry descriptions as tooltips)."""
    from desktop_app.core.metrics.registry import REGISTRY as registry

    rows = []
    for m in reports:
        spec = registry.get(m.name)
        better = "higher" if str(m.direction).startswith("higher") else "lower"
        rows.append(
            MetricRow(m.name, m.label, m.dimension, m.value, m.unit, m.percentile, better,
                      spec.description if spec else "", str(m.confidence))
        )  # fmt: skip
    return rows


def span_views(spans: Sequence[SpanReport]) -> list[SpanReport]:
    """The engine's spans sorted by position (recycled ones carry the earlier post's title)."""
    return sorted(spans, key=lambda s: (s.start, s.end))


def from_result(
    result: CheckResult | PostAnalysis, title: str, text: str, pipeline: str = ""
) -> AnalysisDisplay:
    """An AnalysisDisplay from a CheckResult or PostAnalysis of the engine."""
    info = getattr(result, "pipeline", None)
    notes = [n for n in [getattr(result, "baseline_note", "")] if n]
    words = getattr(result, "word_count", None)
    return AnalysisDisplay(
        title=title,
        text=text,
        freshness=result.freshness,
        dimensions=dict(result.dimensions),
        rows=metric_rows(result.metrics),
        spans=span_views(result.spans),
        pipeline=info.label if info is not None else pipeline,
        notes=notes,
        word_count=words if words is not None else len(text.split()),
    )


def percentile_text(pct: float | None) -> str:
    """'73rd pct' style label, or a dash."""
    if pct is None:
        return "–"
    n = round(pct)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
