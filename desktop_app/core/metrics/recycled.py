"""Recycled phrasing: share of a post's content-bearing 4-grams already used in earlier posts.

A 4-gram is content-bearing when at least one of its words is not a stop word (spaCy's English
list); words are lower-cased alphabetic tokens. "Earlier" follows the published date (see
``corpus_index.HistoryView``). Lower is fresher. Evidence: one 'recycled' span per run of
overlapping recycled 4-grams, linked to the earlier post most of the run recurs from.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from desktop_app.core.corpus_index import HistoryView, NgramLookup
from desktop_app.core.metrics.base import (
    MIN_WORDS,
    Confidence,
    Direction,
    MetricResult,
    MetricSpec,
    Span,
)
from desktop_app.core.metrics.context import DocContext


def _runs(recycled: np.ndarray, lookup: NgramLookup) -> list[tuple[int, int, list[int]]]:
    """Merge overlapping recycled 4-grams into (start, end, first-post positions) runs."""
    runs: list[tuple[int, int, list[int]]] = []
    for i in np.flatnonzero(recycled):
        (start, end), first = lookup.span(int(i)), int(lookup.first_post[i])
        if runs and start < runs[-1][1]:
            prev = runs[-1]
            runs[-1] = (prev[0], max(prev[1], end), [*prev[2], first])
        else:
            runs.append((start, end, [first]))
    return runs


def _source(positions: list[int]) -> int:
    """The post a run recurs from: the most frequent first-user, ties to the earliest."""
    counts = Counter(positions)
    return min(counts, key=lambda p: (-counts[p], p))


def recycled_spans(
    view: HistoryView, text: str, lookup: NgramLookup, mask: np.ndarray
) -> list[Span]:
    """Spans of recycled phrasing, each linked to the earlier post it recurs from."""
    spans = []
    for start, end, positions in _runs(mask, lookup):
        ref = view.post(_source(positions)).id
        spans.append(Span("recycled", start, end, text[start:end], ref_post_id=ref))
    return spans


def _view(ctx: DocContext) -> HistoryView:
    if not isinstance(ctx.history, HistoryView):
        raise TypeError("recycled phrasing needs a corpus_index.HistoryView as ctx.history")
    return ctx.history


def recycled_phrasing(ctx: DocContext) -> MetricResult:
    """Share (0-1) of content-bearing 4-grams first used in an earlier post; lower is fresher."""
    view = _view(ctx)
    lookup = view.index.lookup_ngrams(view.tokens(ctx.text))
    total = int(lookup.content.sum())
    detail: dict[str, object] = {"earlier_posts": view.cutoff, "content_4grams": total}
    if total == 0 or view.cutoff == 0:
        detail["reason"] = "no earlier posts" if total else "no content-bearing 4-grams"
        return MetricResult(None, Confidence.INSUFFICIENT, detail=detail)
    mask = lookup.content & (lookup.first_post >= 0) & (lookup.first_post < view.cutoff)
    spans = recycled_spans(view, ctx.text, lookup, mask)
    detail["recycled_4grams"] = int(mask.sum())
    detail["sources"] = dict(Counter(s.ref_post_id for s in spans if s.ref_post_id))
    confidence = Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK
    return MetricResult(float(mask.sum()) / total, confidence, spans, detail)


SPEC = MetricSpec(
    "recycled_phrasing",
    "Recycled phrasing",
    "repetition",
    "share 0-1",
    Direction.LOWER_BETTER,
    "Share of the post's content-bearing 4-word sequences already used in the team's earlier "
    "posts; lower means fresher wording.",
    frozenset({"history"}),
    recycled_phrasing,
)


def _register() -> None:
    from desktop_app.core.metrics.registry import register

    register(SPEC)


_register()
