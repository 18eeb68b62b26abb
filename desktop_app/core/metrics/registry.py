"""The metric registry: an ordered entry per metric, and `compute_all` honouring their needs.

Every metric module exports its spec(s); this module lists them, in the order the window and
reports show them: the per-post measures, then the history-based ones (recycled phrasing,
sameness), then the AI-style model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from desktop_app.core.metrics import (
    aistyle,
    diversity,
    genericness,
    readability,
    recycled,
    repetition,
    sameness,
)
from desktop_app.core.metrics.context import DocContext
from desktop_app.core.metrics.dimensions import DIMENSIONS
from desktop_app.core.metrics.lexicons import Lexicons
from desktop_app.core.records import Confidence, Direction, MetricResult, MetricSpec

__all__ = [
    "ANALYZER_VERSION",
    "REGISTRY",
    "DocContext",
    "Lexicons",
    "compute_all",
    "get_spec",
    "specs_by_dimension",
]

#: Bump whenever any metric's definition or implementation changes (stored with every value).
ANALYZER_VERSION = "1.2.0"

PIPELINE_CAPABILITIES = frozenset({"tagger", "ner", "parser"})

log = logging.getLogger(__name__)
HIGHER, LOWER = Direction.HIGHER_BETTER, Direction.LOWER_BETTER


def _checked(specs: Iterable[MetricSpec]) -> dict[str, MetricSpec]:
    """The registry table of `specs`, each with a compute function and a known dimension."""
    table: dict[str, MetricSpec] = {}
    for spec in specs:
        if spec.compute is None:
            raise ValueError(f"metric {spec.name!r} has no compute function")
        if spec.dimension not in DIMENSIONS:
            raise ValueError(f"metric {spec.name!r}: unknown dimension {spec.dimension!r}")
        if spec.name in table:
            raise ValueError(f"metric {spec.name!r} listed twice")
        table[spec.name] = spec
    return table


def _builtin(
    name: str,
    label: str,
    dimension: str,
    unit: str,
    direction: Direction,
    description: str,
    compute: Callable[[DocContext], MetricResult],
    needs: Iterable[str] = (),
) -> MetricSpec:
    return MetricSpec(
        name, label, dimension, unit, direction, description, frozenset(needs), compute
    )


_BUILTIN = (
    _builtin(
        "mtld",
        "MTLD",
        "diversity",
        "tokens",
        HIGHER,
        "Average run of words before vocabulary starts repeating (threshold 0.72); "
        "higher means more varied wording.",
        diversity.mtld,
    ),
    _builtin(
        "mattr",
        "MATTR",
        "diversity",
        "ratio 0-1",
        HIGHER,
        "Share of distinct words in every 50-word window, averaged; "
        "higher means more varied wording.",
        diversity.mattr,
    ),
    _builtin(
        "hdd",
        "HD-D",
        "diversity",
        "0-1",
        HIGHER,
        "Expected share of distinct words in a random 42-word sample; "
        "higher means more varied wording.",
        diversity.hdd,
    ),
    _builtin(
        "repeated_ngram_rate",
        "Repeated phrases",
        "repetition",
        "share 0-1",
        LOWER,
        "Share of the post's 3-5-word sequences that occur more than once in the same post; "
        "lower means less repetitive.",
        repetition.repeated_ngram_rate,
    ),
    _builtin(
        "opening_repetition",
        "Repeated sentence openings",
        "repetition",
        "share 0-1",
        LOWER,
        "Share of sentences that start with the same two words as another sentence; "
        "lower means more varied openings.",
        repetition.opening_repetition,
    ),
    _builtin(
        "pos_template_rate",
        "Syntactic templates",
        "repetition",
        "share 0-1",
        LOWER,
        "Share of the post's part-of-speech 5-grams that are among the most common sentence "
        "patterns of blog prose; lower means less formulaic syntax.",
        repetition.pos_template_rate,
        needs={"tagger"},
    ),
    _builtin(
        "ai_marker_density",
        "AI-marker words",
        "genericness",
        "per 1,000 words",
        LOWER,
        "Words that became far more frequent after ChatGPT (e.g. 'delve', 'showcase'), "
        "per 1,000 words; lower is better.",
        genericness.ai_marker_density,
    ),
    _builtin(
        "cliche_density",
        "Stock phrases",
        "genericness",
        "per 1,000 words",
        LOWER,
        "Marketing clichés and stock phrases (e.g. 'game-changer'), per 1,000 words; "
        "lower is better.",
        genericness.cliche_density,
    ),
    _builtin(
        "specificity",
        "Specificity",
        "genericness",
        "per 100 words",
        HIGHER,
        "Numbers, named entities and proper nouns per 100 words; "
        "higher means more concrete, specific writing.",
        genericness.specificity,
        needs={"tagger"},
    ),
    _builtin(
        "flesch_reading_ease",
        "Flesch reading ease",
        "readability",
        "score",
        HIGHER,
        "Flesch reading ease (0-100, higher is easier to read) from sentence length and "
        "syllables per word.",
        readability.flesch_reading_ease,
    ),
    _builtin(
        "fk_grade",
        "Flesch-Kincaid grade",
        "readability",
        "US school grade",
        LOWER,
        "US school grade needed to follow the text; lower is easier to read.",
        readability.fk_grade,
    ),
    _builtin(
        "mean_sentence_length",
        "Mean sentence length",
        "readability",
        "words",
        LOWER,
        "Average number of words per sentence; lower is easier to read.",
        readability.mean_sentence_length,
    ),
    _builtin(
        "sentence_length_cv",
        "Sentence-length variation",
        "readability",
        "ratio",
        HIGHER,
        "How much sentence lengths vary (standard deviation / mean, 'burstiness'); higher "
        "means a more varied, human-like rhythm.",
        readability.sentence_length_cv,
    ),
)


def get_spec(name: str) -> MetricSpec:
    """The registry entry of `name` (KeyError naming the metric if unknown)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}") from None


def specs_by_dimension() -> dict[str, list[MetricSpec]]:
    """Registered specs grouped by dimension, in dimension order then registration order."""
    groups: dict[str, list[MetricSpec]] = {d: [] for d in DIMENSIONS}
    for spec in REGISTRY.values():
        groups.setdefault(spec.dimension, []).append(spec)
    return {d: specs for d, specs in groups.items() if specs}


def missing_needs(spec: MetricSpec, ctx: DocContext) -> set[str]:
    """What `spec` needs that this context lacks (pipeline capabilities, history)."""
    missing = set(spec.needs & PIPELINE_CAPABILITIES) - set(ctx.pipeline.capabilities)
    if "history" in spec.needs and ctx.history is None:
        missing.add("history")
    return missing


def compute_one(spec: MetricSpec, ctx: DocContext) -> MetricResult:
    """One metric on one post: UNAVAILABLE when a need is missing, else its compute function."""
    missing = missing_needs(spec, ctx)
    if missing:
        return MetricResult(None, Confidence.UNAVAILABLE, detail={"missing": sorted(missing)})
    assert spec.compute is not None
    return spec.compute(ctx)


def compute_all(ctx: DocContext, names: Iterable[str] | None = None) -> dict[str, MetricResult]:
    """Every registered metric (or just `names`) on one post, in registry order."""
    specs = REGISTRY.values() if names is None else [get_spec(n) for n in names]
    return {spec.name: compute_one(spec, ctx) for spec in specs}


#: Every metric, in display order.
REGISTRY: dict[str, MetricSpec] = _checked(
    (*_BUILTIN, recycled.SPEC, sameness.KNN_SPEC, sameness.CENTROID_SPEC, aistyle.SPEC)
)
