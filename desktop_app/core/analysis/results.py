"""Result records of the analysis engine (check and stored post analysis) and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database

from desktop_app.core.aistyle.team import METRIC as AI_STYLE_METRIC
from desktop_app.core.aistyle.team import AIStyleFlag, TeamThreshold, flag_for
from desktop_app.core.baseline.scoring import Baseline, score
from desktop_app.core.history.metrics_repo import StoredSpan, StoredValue
from desktop_app.core.history.repository import StoredPost
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.nlp.pipeline import PipelineInfo
from desktop_app.core.records import MetricResult, count_words

JSON_SCHEMA_VERSION = 1


@dataclass
class MetricReport:
    """One metric: raw value beside its percentile against the baseline."""

    name: str
    label: str
    dimension: str
    unit: str
    direction: str
    value: float | None
    confidence: str
    percentile: float | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class SpanReport:
    """One evidence span, with the earlier post it recurs from (recycled phrasing)."""

    metric: str | None
    kind: str
    start: int
    end: int
    text: str
    ref_post_id: str | None = None
    ref_title: str | None = None
    ref_published: str | None = None


@dataclass
class CheckResult:
    """A draft measured against the history (nothing stored)."""

    title: str | None
    word_count: int
    pipeline: PipelineInfo
    metrics: list[MetricReport]
    dimensions: dict[str, float | None]
    freshness: float | None
    spans: list[SpanReport]
    baseline_note: str
    history_posts: int
    ai_style: AIStyleFlag | None = None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form documented in docs/check-json.md."""
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "title": self.title,
            "word_count": self.word_count,
            "pipeline": pipeline_json(self.pipeline),
            "baseline": self.baseline_note,
            "history_posts": self.history_posts,
            "freshness": _round(self.freshness),
            "dimensions": {k: _round(v) for k, v in self.dimensions.items()},
            "metrics": [_metric_json(m) for m in self.metrics],
            "spans": [asdict(s) for s in self.spans],
            "ai_style": self.ai_style.to_json() if self.ai_style else None,
        }


@dataclass
class PostAnalysis:
    """A stored post's values (with provenance), percentiles and evidence."""

    post: StoredPost
    values: dict[str, StoredValue]
    metrics: list[MetricReport]
    dimensions: dict[str, float | None]
    freshness: float | None
    spans: list[SpanReport]
    baseline_note: str
    ai_style: AIStyleFlag | None = None


def ai_style_flag(
    value: float | None, present: bool, team: TeamThreshold | None
) -> AIStyleFlag | None:
    """The value flagged at the team threshold (None without a team or without the metric)."""
    return flag_for(value, team) if team is not None and present else None


def pipeline_json(info: PipelineInfo) -> dict[str, Any]:
    """The pipeline as JSON: name, version, fallback flag and reason."""
    return {
        "name": info.name,
        "version": info.version,
        "is_fallback": info.is_fallback,
        "reason": info.reason or None,
        "capabilities": sorted(info.capabilities),
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _metric_json(m: MetricReport) -> dict[str, Any]:
    data = asdict(m)
    data["value"] = _round(m.value, 4)
    data["percentile"] = _round(m.percentile, 1)
    return data


def _metric_reports(
    values: Mapping[str, tuple[float | None, str, dict[str, Any]]], baseline: Baseline
) -> tuple[list[MetricReport], dict[str, float | None], float | None]:
    specs = {name: REGISTRY[name] for name in values if name in REGISTRY}
    scores = score(baseline, specs, {n: v[0] for n, v in values.items()})
    reports = [
        MetricReport(
            spec.name,
            spec.label,
            spec.dimension,
            spec.unit,
            str(spec.direction),
            values[name][0],
            values[name][1],
            scores.metric.get(name),
            values[name][2],
        )
        for name, spec in specs.items()
    ]
    return reports, scores.dimension, scores.freshness


def _ref_info(db: Database, ids: set[str]) -> dict[str, tuple[str, str | None]]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(f"select id, title, published from posts where id in ({marks})", list(ids))
    return {row[0]: (row[1], row[2]) for row in rows}


def _with_refs(db: Database, spans: Sequence[SpanReport]) -> list[SpanReport]:
    refs = _ref_info(db, {s.ref_post_id for s in spans if s.ref_post_id})
    for span in spans:
        if span.ref_post_id in refs:
            span.ref_title, span.ref_published = refs[span.ref_post_id]
    return sorted(spans, key=lambda s: (s.start, s.end, s.kind))


def build_check(
    db: Database,
    text: str,
    title: str | None,
    info: PipelineInfo,
    results: Mapping[str, MetricResult],
    baseline: Baseline,
    history_posts: int,
    team: TeamThreshold | None = None,
) -> CheckResult:
    """Assemble a CheckResult from freshly computed metric results."""
    values = {n: (r.value, str(r.confidence), r.detail) for n, r in results.items()}
    metrics, dims, fresh = _metric_reports(values, baseline)
    spans = [
        SpanReport(name, s.kind, s.start, s.end, s.text, s.ref_post_id)
        for name, r in results.items()
        for s in r.spans
    ]
    return CheckResult(
        title,
        count_words(text),
        info,
        metrics,
        dims,
        fresh,
        _with_refs(db, spans),
        baseline.describe(),
        history_posts,
        ai_style_flag(values.get(AI_STYLE_METRIC, (None,))[0], AI_STYLE_METRIC in values, team),
    )


def build_post_analysis(
    db: Database,
    post: StoredPost,
    values: Mapping[str, StoredValue],
    spans: Sequence[StoredSpan],
    baseline: Baseline,
    team: TeamThreshold | None = None,
) -> PostAnalysis:
    """Assemble a PostAnalysis from stored values and evidence."""
    raw = {n: (v.value, v.confidence, v.detail) for n, v in values.items()}
    metrics, dims, fresh = _metric_reports(raw, baseline)
    reports = [SpanReport(s.metric, s.kind, s.start, s.end, s.text, s.ref_post_id) for s in spans]
    stored = values.get(AI_STYLE_METRIC)
    flag = ai_style_flag(stored.value if stored else None, stored is not None, team)
    return PostAnalysis(
        post, dict(values), metrics, dims, fresh, _with_refs(db, reports), baseline.describe(),
        flag,
    )  # fmt: skip
