"""Sameness: TF-IDF cosine of a post to its k nearest recent posts and to their centroid.

TF-IDF over the history (lower-cased alphabetic words, English stop words removed, sublinear
tf, L2-normalised rows; see ``corpus_index``). The reference is the fixed number of posts
published just before the post (``corpus_index.REFERENCE_POSTS``, 50 by default), so the
expected value does not grow with the archive (the best of 5 matches among 1,000 posts is
closer than among 50). Both are cosines on a 0-1 scale; lower is fresher.
"""

from __future__ import annotations

import numpy as np

from desktop_app.core.metrics.context import DocContext
from desktop_app.core.metrics.corpus_index import HistoryView, too_few_earlier
from desktop_app.core.records import MIN_WORDS, Confidence, Direction, MetricResult, MetricSpec

K = 5


def _view(ctx: DocContext) -> HistoryView:
    if not isinstance(ctx.history, HistoryView):
        raise TypeError("sameness needs a corpus_index.HistoryView as ctx.history")
    return ctx.history


def _reference(view: HistoryView, ctx: DocContext) -> tuple[int, int] | MetricResult:
    """The reference window, or the INSUFFICIENT result saying why there is none."""
    if view.window is None:
        reason = too_few_earlier(view)
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": reason})
    if ctx.n_words == 0:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": "no words"})
    return view.window


def _nearest(
    view: HistoryView, reference: np.ndarray, start: int, k: int
) -> list[dict[str, object]]:
    order = np.argsort(-reference, kind="stable")[:k]
    return [
        {"post_id": view.post(start + int(i)).id, "similarity": round(float(reference[i]), 4)}
        for i in order
    ]


def sameness_knn(ctx: DocContext) -> MetricResult:
    """Mean TF-IDF cosine to the k=5 most similar reference posts; lower is fresher."""
    view = _view(ctx)
    window = _reference(view, ctx)
    if isinstance(window, MetricResult):
        return window
    start, end = window
    reference = view.similarities(ctx.text)[start:end]
    k = min(K, len(reference))
    value = float(np.partition(reference, len(reference) - k)[-k:].mean())
    low = k < K or ctx.n_words < MIN_WORDS
    detail = {
        "k": k,
        "earlier_posts": view.cutoff,
        "reference_posts": end - start,
        "nearest": _nearest(view, reference, start, k),
    }
    return MetricResult(value, Confidence.LOW if low else Confidence.OK, detail=detail)


def sameness_centroid(ctx: DocContext) -> MetricResult:
    """TF-IDF cosine to the centroid of the reference posts; lower is fresher."""
    view = _view(ctx)
    window = _reference(view, ctx)
    if isinstance(window, MetricResult):
        return window
    value = view.index.centroid_cosine(view.similarities(ctx.text), view.cutoff)
    if value is None:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": "empty centroid"})
    confidence = Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK
    detail = {"earlier_posts": view.cutoff, "reference_posts": view.index.reference_posts}
    return MetricResult(value, confidence, detail=detail)


KNN_SPEC = MetricSpec(
    "sameness_knn",
    "Sameness to nearest posts",
    "genericness",
    "cosine 0-1",
    Direction.LOWER_BETTER,
    f"Mean TF-IDF cosine similarity to the {K} most similar of the team's 50 posts published "
    "just before it (a fixed-size reference, so a growing archive does not raise it); lower "
    "means the post says something the team has not just said.",
    frozenset({"history"}),
    sameness_knn,
)
CENTROID_SPEC = MetricSpec(
    "sameness_centroid",
    "Sameness to the team average",
    "genericness",
    "cosine 0-1",
    Direction.LOWER_BETTER,
    "TF-IDF cosine similarity to the average of the team's 50 posts published just before it "
    "(a fixed-size reference); lower means less like the team's typical recent post.",
    frozenset({"history"}),
    sameness_centroid,
)
