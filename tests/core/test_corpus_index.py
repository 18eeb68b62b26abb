"""The corpus index: date-respecting 4-gram windows, TF-IDF similarities, centroid cosine."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from desktop_app.core.metrics.corpus_index import IndexedPost, build_index, tokenize
from tests.conftest import DEMO

A = "Certificates renew automatically every ninety days with the ACME client."
B = "The ACME client talks to our validation servers over HTTPS."
C = "Certificates renew automatically every ninety days, and nobody notices the outage."


def _demo_texts(count: int) -> list[str]:
    files = sorted((DEMO / "letsencrypt-blog").glob("*.markdown"))[:count]
    return [f.read_text(encoding="utf-8") for f in files]


def test_first_use_respects_dates_not_insertion_order() -> None:
    posts = [
        (IndexedPost("c", "C", date(2020, 3, 1)), C),
        (IndexedPost("a", "A", date(2020, 1, 1)), A),
        (IndexedPost("u", "U", None), B),
        (IndexedPost("b", "B", date(2020, 2, 1)), B),
    ]
    index = build_index(posts)
    assert [p.id for p in index.posts] == ["a", "b", "c", "u"]
    lookup = index.lookup_ngrams(tokenize(C), 0, 3)
    first = {int(f) for f in lookup.source if f >= 0}
    assert first == {0, 2}  # 'certificates renew automatically ...' first used by A
    assert index.cutoff(None, "c") == 2  # stored post: strictly earlier dates
    assert index.cutoff(None, "u") == 3  # stored undated post: every dated post
    assert index.cutoff(None, "draft") == 4  # undated draft: everything
    assert index.cutoff(date(2020, 2, 1)) == 1  # same date is not earlier


def test_stopword_only_ngrams_are_not_content_bearing() -> None:
    index = build_index([(IndexedPost("a", "A", date(2020, 1, 1)), A)])
    lookup = index.lookup_ngrams(tokenize("and it is the one that we are"), 0, 1)
    assert lookup.content.sum() == 0
    lookup = index.lookup_ngrams(tokenize("and it is the ACME client"), 0, 1)
    assert lookup.content.tolist() == [False, True, True]  # "and it is the" is all stop words


def test_similarities_match_sklearn_cosine_on_the_matrix() -> None:
    texts = _demo_texts(15)
    posts = [(IndexedPost(str(i), str(i), date(2015, 1, i + 1)), t) for i, t in enumerate(texts)]
    index = build_index(posts)
    assert index.matrix is not None
    sims = index.similarities(tokenize(texts[4]))
    expected = cosine_similarity(index.matrix, index.matrix[4]).ravel()
    assert sims == pytest.approx(expected, abs=1e-5)
    assert sims[4] == pytest.approx(1.0, abs=1e-5)


def test_centroid_cosine_equals_cosine_to_the_mean_vector_of_the_window() -> None:
    texts = _demo_texts(15)
    posts = [(IndexedPost(str(i), str(i), date(2015, 1, i + 1)), t) for i, t in enumerate(texts)]
    index = build_index(posts, reference_posts=4)
    assert index.matrix is not None
    query = tokenize(texts[-1])
    sims = index.similarities(query)
    for cutoff in (4, 5, 9, 14, 15):
        centroid = np.asarray(index.matrix[cutoff - 4 : cutoff].mean(axis=0))
        expected = cosine_similarity(centroid, index.matrix[14]).item()
        assert index.centroid_cosine(sims, cutoff) == pytest.approx(expected, abs=1e-5)
    assert index.centroid_cosine(sims, 3) is None  # fewer earlier posts than the window
    assert index.centroid_cosine(sims, 0) is None


def test_window_lookup_sees_only_the_reference_posts() -> None:
    posts = [
        (IndexedPost("a", "A", date(2020, 1, 1)), A),
        (IndexedPost("b", "B", date(2020, 2, 1)), B),
        (IndexedPost("c", "C", date(2020, 3, 1)), "Nothing in common with the others at all."),
    ]
    index = build_index(posts, reference_posts=2)
    assert index.window(1) is None and index.window(3) == (1, 3)
    query = tokenize("Certificates renew automatically every ninety days, we said.")
    assert (index.lookup_ngrams(query, 1, 3).source == -1).all()  # only A used it
    assert set(index.lookup_ngrams(query, 0, 2).source.tolist()) == {-1, 0}


def test_empty_history_is_harmless() -> None:
    index = build_index([])
    lookup = index.lookup_ngrams(tokenize(A), 0, 0)
    assert (lookup.source == -1).all() and len(index.similarities(tokenize(A))) == 0
