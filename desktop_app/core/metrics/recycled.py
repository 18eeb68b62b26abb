"""Recycled phrasing: share of a post's content-bearing 4-grams already used in recent posts.

A 4-gram is content-bearing when at least one of its words is not a stop word (spaCy's English
list); words are lower-cased alphabetic tokens. The reference is a fixed number of posts
published just before this one (``corpus_index.REFERENCE_POSTS``, 50 by default; see
``corpus_index.HistoryView``), so the expected value does not grow with the archive; a post
with fewer earlier posts gets no value. Lower is fresher. Evidence: one 'recycled' span per run
of overlapping recycled 4-grams, linked to the reference post most of the run recurs from.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from desktop_app.core.metrics.context import DocContext
from desktop_app.core.metrics.corpus_index import HistoryView, N, NgramLookup, too_few_earlier
from desktop_app.core.records import (
    MIN_WORDS,
    Confidence,
    Direction,
    MetricResult,
    MetricSpec,
    Span,
)


def _runs(recycled: np.ndarray, lookup: NgramLookup) -> list[tuple[int, int, list[int]]]:
    """Merge overlapping recycled 4-grams into (start, end, first-post positions) runs."""
    grams = np.flatnonzero(recycled)
    if not len(grams):
        return []
    starts = np.array(lookup.tokens.starts, dtype=np.int64)[grams]
    ends = np.maximum.accumulate(np.array(lookup.tokens.ends, dtype=np.int64)[grams + N - 1])
    new = np.flatnonzero(np.r_[True, starts[1:] >= ends[:-1]])  # no overlap: a new run
    last = np.r_[new[1:], len(grams)]
    sources = lookup.source[grams].tolist()
    return [
        (int(starts[a]), int(ends[b - 1]), sources[a:b])
        for a, b in zip(new.tolist(), last.tolist(), strict=True)
    ]


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
    """Share (0-1) of content-bearing 4-grams used in the reference posts; lower is fresher."""
    view = _view(ctx)
    detail: dict[str, object] = {
        "earlier_posts": view.cutoff,
        "reference_posts": view.index.reference_posts,
    }
    if view.window is None:
        detail["reason"] = too_few_earlier(view)
        return MetricResult(None, Confidence.INSUFFICIENT, detail=detail)
    lookup = view.index.lookup_ngrams(view.tokens(ctx.text), *view.window)
    total = int(lookup.content.sum())
    detail["content_4grams"] = total
    if total == 0:
        detail["reason"] = "no content-bearing 4-grams"
        return MetricResult(None, Confidence.INSUFFICIENT, detail=detail)
    mask = lookup.content & (lookup.source >= 0)
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
    "Share of the post's content-bearing 4-word sequences already used in the team's 50 posts "
    "published just before it (a fixed-size reference, so a growing archive does not raise it); "
    "lower means fresher wording.",
    frozenset({"history"}),
    recycled_phrasing,
)
