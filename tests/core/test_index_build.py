"""The chunked index build equals the one-pass build it replaced, and an independent reference.

The one-pass build (commit eb77448, `build_ngrams` / `_build_tfidf` in corpus_index) is kept
below verbatim as the reference: every array of the chunked build must equal it exactly,
whatever the chunk size. A second reference recomputes postings and TF-IDF from plain
Python sets and counters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from spacy.lang.en.stop_words import STOP_WORDS

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.metrics.corpus_index import (
    CorpusIndex,
    IndexedPost,
    N,
    _counts,
    build_streamed,
    fit_tfidf,
    order,
    tokenize,
    word_ids,
)
from desktop_app.core.metrics.index_build import hash_ngrams as _hash_ngrams
from desktop_app.core.metrics.index_build import sorted_unique as _sorted_unique
from tests.conftest import DEMO

REF = 10


@cache
def _pairs() -> tuple[tuple[IndexedPost, str], ...]:
    """The real demo posts (Let's Encrypt, OpenTelemetry), undated ones included, in order."""
    files, _ = discover_files([DEMO])
    posts = [p for f in files for p in read_file(f, ImportOptions()).posts]
    pairs = [(IndexedPost(p.id, p.title, p.published), p.text) for p in posts]
    pairs.append((IndexedPost("tiny", "Tiny", None), "Too short."))  # no 4-gram at all
    return tuple(order(pairs))


def _one_pass_build(pairs: Sequence[tuple[IndexedPost, str]], reference: int) -> CorpusIndex:
    """The build before the chunked one (verbatim logic)."""
    index = CorpusIndex(posts=[p for p, _ in pairs], reference_posts=reference)
    index.position = {p.id: i for i, p in enumerate(index.posts)}
    index.dated_dates = [p.published for p in index.posts if p.published is not None]
    id_lists = [word_ids(index, text) for _, text in pairs]
    words_by_id = sorted(index.vocab, key=index.vocab.__getitem__)
    index.is_content = np.array([w not in STOP_WORDS for w in words_by_id], dtype=bool)
    hashes = np.concatenate([_hash_ngrams(ids) for ids in id_lists])
    owners = np.concatenate(
        [np.full(max(len(ids) - N + 1, 0), i, dtype=np.int64) for i, ids in enumerate(id_lists)]
    )
    index.gram_hashes, gram = np.unique(hashes, return_inverse=True)
    index.postings = _sorted_unique(gram.astype(np.int64) * (len(id_lists) + 1) + owners)
    keep = np.array([len(w) > 1 for w in words_by_id], dtype=bool) & index.is_content
    index.tfidf_columns = np.flatnonzero(keep)
    index.column_of = np.full(len(words_by_id) + 1, -1, dtype=np.int64)
    index.column_of[index.tfidf_columns] = np.arange(len(index.tfidf_columns))
    counts = _counts(id_lists, len(words_by_id))[:, index.tfidf_columns]
    fit_tfidf(index, counts.tocsr())
    return index


def _chunked(chunk: int) -> CorpusIndex:
    pairs = _pairs()
    texts = [t for _, t in pairs]
    chunks = (texts[s : s + chunk] for s in range(0, len(texts), chunk))
    return build_streamed([p for p, _ in pairs], chunks, REF)


def _same_sparse(a: sparse.csr_matrix | None, b: sparse.csr_matrix | None) -> bool:
    assert a is not None and b is not None
    a.sort_indices()
    b.sort_indices()
    parts = ("indptr", "indices", "data")
    same = all(np.array_equal(getattr(a, p), getattr(b, p)) for p in parts)
    return same and a.shape == b.shape and a.dtype == b.dtype


@pytest.mark.parametrize("chunk", [1, 7, 500])
def test_chunked_build_equals_the_one_pass_build_exactly(chunk: int) -> None:
    old, new = _one_pass_build(_pairs(), REF), _chunked(chunk)
    assert new.posts == old.posts and new.vocab == old.vocab
    assert new.position == old.position and new.dated_dates == old.dated_dates
    for name in ("is_content", "gram_hashes", "postings", "tfidf_columns", "column_of"):
        got, want = getattr(new, name), getattr(old, name)
        assert got.dtype == want.dtype and np.array_equal(got, want), name
    assert _same_sparse(new.counts, old.counts)
    assert _same_sparse(new.matrix, old.matrix)
    assert np.array_equal(new.window_sq_norm, old.window_sq_norm)
    assert new.transformer is not None and old.transformer is not None
    assert np.array_equal(new.transformer.idf_, old.transformer.idf_)


def test_chunked_build_matches_a_plain_python_reference() -> None:
    pairs, index = _pairs(), _chunked(7)
    words = [tokenize(text).words for _, text in pairs]
    # postings: per post, its distinct 4-grams (as word tuples)
    per_post = [{tuple(ws[i : i + N]) for i in range(len(ws) - N + 1)} for ws in words]
    assert len(set().union(*per_post)) == len(index.gram_hashes)  # no two 4-grams merged
    stride = len(pairs) + 1
    assert Counter(int(k) % stride for k in index.postings) == Counter(
        {post: len(grams) for post, grams in enumerate(per_post) if grams}
    )
    # TF-IDF: counts of content words of 2+ letters, weighted by sklearn directly
    vocab = sorted({w for ws in words for w in ws if len(w) > 1 and w not in STOP_WORDS})
    column = {w: i for i, w in enumerate(vocab)}
    rows = [Counter(column[w] for w in ws if w in column) for ws in words]
    dense = np.zeros((len(pairs), len(vocab)))
    for r, counts in enumerate(rows):
        for c, k in counts.items():
            dense[r, c] = k
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(dense).toarray()
    assert index.matrix is not None
    # columns follow first appearance, the reference sorts them: compare per word
    order_of = [column[w] for w in sorted(index.vocab, key=index.vocab.__getitem__)
                if w in column]  # fmt: skip
    assert np.allclose(index.matrix.toarray(), expected[:, order_of], atol=1e-6)


def test_chunked_build_of_nothing_and_of_short_texts() -> None:
    empty = build_streamed([], iter([]), REF)
    assert len(empty) == 0 and empty.matrix is None and not len(empty.postings)
    posts = [IndexedPost("a", "A", None), IndexedPost("b", "B", None)]
    short = build_streamed(posts, iter([["one two"], ["three"]]), REF)
    assert not len(short.postings) and short.postings.dtype == np.int64
    with pytest.raises(ValueError, match="1 texts for 2 posts"):
        build_streamed(posts, iter([["one two"]]), REF)
