"""Extend a corpus index with posts that sort after every indexed one (equal to a fresh build).

Appended posts take the next positions, new words the next vocabulary ids and new 4-grams
are merged into the sorted hash table, exactly as a fresh build over the longer history
assigns them; the TF-IDF weights (whose idf depends on every post) are refitted from the
kept raw counts, which is O(nnz) instead of re-tokenising every text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

from desktop_app.core.metrics.corpus_index import (
    CorpusIndex,
    IndexedPost,
    _counts,
    fit_tfidf,
    order,
    word_ids,
)
from desktop_app.core.metrics.index_build import hash_ngrams, sorted_unique


def can_append(index: CorpusIndex, current: Sequence[IndexedPost]) -> bool:
    """Whether `current` (in index order) is the indexed posts followed by new ones only."""
    old = len(index.posts)
    if index.counts is None or old == 0 or len(current) <= old:
        return False
    return list(current[:old]) == list(index.posts)


def append_posts(index: CorpusIndex, new: Sequence[tuple[IndexedPost, str]]) -> CorpusIndex:
    """A new index: `index` plus `new` posts, which must all sort after the indexed ones."""
    if index.counts is None:
        raise ValueError("the index has no raw counts to extend")
    ordered = order(new)
    out = CorpusIndex(
        posts=[*index.posts, *(p for p, _ in ordered)],
        reference_posts=index.reference_posts,
        vocab=dict(index.vocab),
    )
    out.position = {p.id: i for i, p in enumerate(out.posts)}
    out.dated_dates = [p.published for p in out.posts if p.published is not None]
    id_lists = [word_ids(out, text) for _, text in ordered]
    new_words = sorted(out.vocab, key=out.vocab.__getitem__)[len(index.vocab) :]
    flags = np.array([w not in STOP_WORDS for w in new_words], dtype=bool)
    out.is_content = np.concatenate([np.asarray(index.is_content), flags])
    _merge_ngrams(index, out, id_lists)
    _extend_tfidf(index, out, id_lists, new_words)
    return out


def _merge_ngrams(old: CorpusIndex, out: CorpusIndex, id_lists: Sequence[np.ndarray]) -> None:
    n_old, stride_old, stride = len(old.posts), len(old.posts) + 1, len(out.posts) + 1
    hashes = [hash_ngrams(ids) for ids in id_lists]
    owners = [np.full(len(h), n_old + i, dtype=np.int64) for i, h in enumerate(hashes)]
    new_hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    old_hashes = np.asarray(old.gram_hashes)
    out.gram_hashes = np.union1d(old_hashes, new_hashes).astype(np.uint64)
    remap = np.searchsorted(out.gram_hashes, old_hashes).astype(np.int64)
    postings = np.asarray(old.postings)
    # Old keys stay sorted: the gram remap and the (gram, post) order are both monotone.
    old_keys = remap[postings // stride_old] * stride + postings % stride_old
    gram = np.searchsorted(out.gram_hashes, new_hashes).astype(np.int64)
    new_keys = sorted_unique(gram * stride + np.concatenate(owners or [np.zeros(0, np.int64)]))
    keys = np.concatenate([old_keys, new_keys])
    keys.sort(kind="stable")  # two sorted runs: timsort merges them in O(n)
    out.postings = keys


def _extend_tfidf(
    old: CorpusIndex, out: CorpusIndex, id_lists: Sequence[np.ndarray], new_words: list[str]
) -> None:
    first = len(old.vocab)
    keep = np.array([len(w) > 1 for w in new_words], dtype=bool) & out.is_content[first:]
    out.tfidf_columns = np.concatenate(
        [np.asarray(old.tfidf_columns), first + np.flatnonzero(keep)]
    ).astype(np.int64)
    out.column_of = np.full(len(out.vocab) + 1, -1, dtype=np.int64)
    out.column_of[out.tfidf_columns] = np.arange(len(out.tfidf_columns))
    assert old.counts is not None
    width = len(out.tfidf_columns)
    prior = old.counts
    prior = sparse.csr_matrix(
        (np.asarray(prior.data), np.asarray(prior.indices), np.asarray(prior.indptr)),
        shape=(prior.shape[0], width),
    )
    added = _counts(id_lists, len(out.vocab))[:, out.tfidf_columns]
    fit_tfidf(out, sparse.vstack([prior, added], format="csr"))
