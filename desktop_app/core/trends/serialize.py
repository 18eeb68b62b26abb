"""Trend results as plain JSON-able dicts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from desktop_app.core.trends.compute import AdoptionTest, AIStyleShares, MetricTrend, TrendsResult


def _metric(trend: MetricTrend) -> dict[str, Any]:
    v = trend.verdict
    return {
        "metric": trend.info.name,
        "label": trend.info.label,
        "unit": trend.info.unit,
        "direction": str(trend.info.direction),
        "verdict": {
            "status": v.status,
            "judgement": v.judgement,
            "sentence": v.sentence,
            "periods_used": v.periods_used,
            "periods_total": v.periods_total,
            "test": asdict(v.test) if v.test else None,
            "p": v.p,
            "q_fdr": v.q,
            "fdr_family": v.family,
            "change_points": v.change_points,
            "run_length": v.run_length,
        },
        "series": [{**asdict(p), "status": p.status} for p in trend.series],
    }


def _adoption(test: AdoptionTest) -> dict[str, Any]:
    return {
        "metric": test.info.name,
        **asdict(test.comparison),
        "magnitude": test.comparison.magnitude,
        "q_fdr": test.q,
        "sentence": test.sentence,
    }


def trends_to_dict(result: TrendsResult) -> dict[str, Any]:
    """The whole result as a dict (for --json and the report CSV)."""
    return {
        "by": result.by,
        "split": result.split,
        "periods": result.periods,
        "groups": [
            {"name": g.name, "n_posts": g.n_posts, "metrics": [_metric(m) for m in g.metrics]}
            for g in result.groups
        ],
        "adoption_date": result.adoption_date.isoformat() if result.adoption_date else None,
        "adoption": [_adoption(a) for a in result.adoption],
        "corpus_sample_size": result.corpus_sample_size,
        "corpus": [{**asdict(c), "status": c.status} for c in result.corpus],
        "notes": result.notes,
        "fdr_tests": result.tests,
        "ai_style": _ai_style(result.ai_style) if result.ai_style else None,
    }


def _ai_style(shares: AIStyleShares) -> dict[str, Any]:
    """Per-quarter estimated shares (against the pre-AI posts), pre-AI level, threshold."""
    reference = shares.reference
    return {
        "label": "AI-styled prose (estimated)",
        "quarters": [q._asdict() for q in shares.quarters],
        "pre_ai_reference": reference._asdict() if reference else None,
        "team_threshold": shares.team._asdict(),
    }
