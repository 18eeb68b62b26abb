"""Sameness: TF-IDF cosine of a post to its k nearest earlier posts and to the team centroid.

TF-IDF over the history (lower-cased alphabetic words, English stop words removed, sublinear
tf, L2-normalised rows; see ``corpus_index``). "Earlier" follows the published date. Both are
cosines on a 0-1 scale; lower is fresher (less like what the team already wrote).
"""

from __future__ import annotations

import numpy as np

from desktop_app.core.corpus_index import HistoryView
from desktop_app.core.metrics.base import MIN_WORDS, Confidence, Direction, MetricResult, MetricSpec
from desktop_app.core.metrics.context import DocContext

K = 5


def _view(ctx: DocContext) -> HistoryView:
    if not isinstance(ctx.history, HistoryView):
        raise TypeError("sameness needs a corpus_index.HistoryView as ctx.history")
    return ctx.history


def _insufficient(view: HistoryView, ctx: DocContext) -> MetricResult | None:
    if view.cutoff == 0:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": "no earlier posts"})
    if ctx.n_words == 0:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": "no words"})
    return None


def _nearest(view: HistoryView, earlier: np.ndarray, k: int) -> list[dict[str, object]]:
    order = np.argsort(-earlier, kind="stable")[:k]
    return [
        {"post_id": view.post(int(i)).id, "similarity": round(float(earlier[i]), 4)} for i in order
    ]


def sameness_knn(ctx: DocContext) -> MetricResult:
    """Mean TF-IDF cosine to the k=5 most similar earlier posts; lower is fresher."""
    view = _view(ctx)
    early = _insufficient(view, ctx)
    if early is not None:
        return early
    earlier = view.similarities(ctx.text)[: view.cutoff]
    k = min(K, len(earlier))
    value = float(np.partition(earlier, len(earlier) - k)[-k:].mean())
    low = k < K or ctx.n_words < MIN_WORDS
    detail = {"k": k, "earlier_posts": view.cutoff, "nearest": _nearest(view, earlier, k)}
    return MetricResult(value, Confidence.LOW if low else Confidence.OK, detail=detail)


def sameness_centroid(ctx: DocContext) -> MetricResult:
    """TF-IDF cosine to the centroid of all earlier posts; lower is fresher."""
    view = _view(ctx)
    early = _insufficient(view, ctx)
    if early is not None:
        return early
    value = view.index.centroid_cosine(view.similarities(ctx.text), view.cutoff)
    if value is None:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"reason": "empty centroid"})
    confidence = Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK
    return MetricResult(value, confidence, detail={"earlier_posts": view.cutoff})


KNN_SPEC = MetricSpec(
    "sameness_knn",
    "Sameness to nearest posts",
    "genericness",
    "cosine 0-1",
    Direction.LOWER_BETTER,
    f"Mean TF-IDF cosine similarity to the {K} most similar earlier posts; lower means the "
    "post says something the team has not already said.",
    frozenset({"history"}),
    sameness_knn,
)
CENTROID_SPEC = MetricSpec(
    "sameness_centroid",
    "Sameness to the team average",
    "genericness",
    "cosine 0-1",
    Direction.LOWER_BETTER,
    "TF-IDF cosine similarity to the average of all earlier posts; lower means less like the "
    "team's typical post.",
    frozenset({"history"}),
    sameness_centroid,
)


def _register() -> None:
    from desktop_app.core.metrics.registry import register

    register(KNN_SPEC)
    register(CENTROID_SPEC)


_register()
