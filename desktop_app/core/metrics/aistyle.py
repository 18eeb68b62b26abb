"""Registry entry of the "AI-styled prose (estimated)" metric (a calibrated probability)."""

from __future__ import annotations

from desktop_app.core.aistyle import LABEL, AIStyleModelError, load_model
from desktop_app.core.aistyle.model import MIN_SCORED_WORDS
from desktop_app.core.metrics.context import DocContext
from desktop_app.core.records import (
    MIN_WORDS,
    Confidence,
    Direction,
    MetricResult,
    MetricSpec,
)


def ai_style_probability(ctx: DocContext) -> MetricResult:
    """Calibrated probability that the prose is AI-styled (0-1); lower is better."""
    try:
        model = load_model()
    except AIStyleModelError as exc:
        return MetricResult(None, Confidence.UNAVAILABLE, detail={"reason": str(exc)})
    result = model.score(ctx.text)
    if result.words < MIN_SCORED_WORDS:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"words": result.words})
    confidence = Confidence.LOW if result.words < MIN_WORDS else Confidence.OK
    detail = {
        "top_terms": [list(t) for t in result.top_terms],
        "chunks": result.chunks,
        "model_version": model.version,
    }
    return MetricResult(result.probability, confidence, result.spans, detail)


SPEC = MetricSpec(
    name="ai_style_probability",
    label=LABEL,
    dimension="ai_style",
    unit="probability 0-1",
    direction=Direction.LOWER_BETTER,
    description="Estimated probability that the prose reads as AI-styled, from a linear "
    "model trained on human passages and their GPT-4o rewrites; lower is better. Evidence "
    "for a team's own trend, not a verdict on a writer.",
    compute=ai_style_probability,
)
