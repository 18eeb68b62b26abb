"""Build the corpus index chunk by chunk: peak memory set by the index, not by the texts
(tokens, 4-gram hashing and counting; core/metrics/corpus_index.py assembles the index).

The result equals the one-pass build it replaced (tests compare it with an independent
reference): the same vocabulary ids, 4-gram table, postings and TF-IDF matrix.

* Pass 1 reads the texts a chunk at a time (``CHUNK`` posts), keeps only each post's word ids
  (int32), its term counts in the TF-IDF columns (float32 counts, int32 columns; a word's
  column is fixed when it first appears, since columns follow vocabulary ids) and the
  distinct 4-gram hashes seen so far (merged every few million).
* The TF-IDF weighting runs next (its temporary copies are gone before the postings exist),
  then pass 2 writes each post's distinct (4-gram, post) keys straight into one
  preallocated array and sorts it in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

#: Word n-gram size of the index (4-grams).
N = 4
#: A word token: letters, with inner apostrophes ("don't", "team’s").
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_PRIME = np.uint64(1_000_003)
CHUNK = 500
#: Distinct 4-gram hashes pending before they are merged into the sorted table.
_MERGE_AT = 4_000_000


@dataclass
class _Pass:
    """What pass 1 keeps between chunks."""

    #: Word ids of each chunk's posts, one flat int32 array and its split points per chunk
    #: (a few large arrays: freed memory goes back to the system, unlike 50,000 small ones).
    ids: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    posts: int = 0
    pairs: int = 0  # distinct (4-gram, post) pairs over all posts
    grams: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    pending: list[np.ndarray] = field(default_factory=list)
    pending_size: int = 0
    columns: list[int] = field(default_factory=list)  # TF-IDF column of each vocab id, or -1
    width: int = 0
    data: list[np.ndarray] = field(default_factory=list)
    indices: list[np.ndarray] = field(default_factory=list)
    row_nnz: list[np.ndarray] = field(default_factory=list)

    def merge(self) -> None:
        """Fold the pending hashes into the sorted distinct table."""
        if self.pending:
            self.grams = sorted_unique(np.concatenate([self.grams, *self.pending]))
            self.pending, self.pending_size = [], 0


def hash_ngrams(ids: np.ndarray) -> np.ndarray:
    """64-bit polynomial hashes of every 4-gram of an id array (wrapping arithmetic)."""
    if len(ids) < N:
        return np.empty(0, dtype=np.uint64)
    values = ids.astype(np.uint64) + np.uint64(1)
    h = values[: len(values) - N + 1].copy()
    for offset in range(1, N):
        h = h * _PRIME + values[offset : len(values) - N + 1 + offset]
    return h


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values (an in-place sort and a neighbour compare: several times
    quicker than np.unique's hash path on millions of int64 keys)."""
    keys.sort()
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def vocab_ids(vocab: dict[str, int], text: str) -> np.ndarray:
    """Vocabulary ids of the text's words; new words get the next ids, in order of appearance."""
    words = WORD_RE.findall(text.lower().replace("’", "'"))
    new = [w for w in dict.fromkeys(words) if w not in vocab]
    vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
    return np.fromiter(map(vocab.__getitem__, words), np.int64, len(words))


def _post_grams(ids: np.ndarray) -> np.ndarray:
    return sorted_unique(hash_ngrams(ids))


def _distinct_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, how often each occurs): np.unique by sorting (its hash path
    is several times slower on these small arrays)."""
    values = np.sort(values)
    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, len(values)))


def _new_columns(state: _Pass, vocab: dict[str, int]) -> None:
    """TF-IDF columns for the words added since the last chunk (content words, 2+ letters);
    `vocab` is in id order (``vocab_ids`` only appends)."""
    for word in islice(vocab, len(state.columns), None):
        if len(word) > 1 and word not in STOP_WORDS:
            state.columns.append(state.width)
            state.width += 1
        else:
            state.columns.append(-1)


def _count_chunk(state: _Pass, chunk_ids: Sequence[np.ndarray]) -> None:
    """Term counts of the chunk's posts in TF-IDF columns (sorted, duplicates summed)."""
    column_of = np.asarray(state.columns, dtype=np.int32)
    data, indices, nnz = [], [], np.zeros(len(chunk_ids), dtype=np.int64)
    for row, ids in enumerate(chunk_ids):
        cols = column_of[ids]
        used, counts = _distinct_counts(cols[cols >= 0])
        indices.append(used.astype(np.int32))
        data.append(counts.astype(np.float32))
        nnz[row] = len(used)
    empty = [np.zeros(0, np.int32)]
    state.indices.append(np.concatenate(indices or empty))
    state.data.append(np.concatenate(data or [np.zeros(0, np.float32)]))
    state.row_nnz.append(nnz)


def _first_pass(vocab: dict[str, int], chunks: Iterable[Sequence[str]]) -> _Pass:
    state = _Pass()
    for texts in chunks:
        chunk_ids = [vocab_ids(vocab, text).astype(np.int32) for text in texts]
        _new_columns(state, vocab)
        _count_chunk(state, chunk_ids)
        hashes = [_post_grams(ids) for ids in chunk_ids]
        state.pairs += sum(len(h) for h in hashes)
        if hashes:
            state.pending.append(sorted_unique(np.concatenate(hashes)))
            state.pending_size += len(state.pending[-1])
        if state.pending_size >= _MERGE_AT:
            state.merge()
        cuts = np.cumsum([len(ids) for ids in chunk_ids])[:-1]
        flat = np.concatenate(chunk_ids or [np.zeros(0, np.int32)])
        small = len(vocab) <= np.iinfo(np.uint16).max + 1
        state.ids.append((flat.astype(np.uint16) if small else flat, cuts))
        state.posts += len(chunk_ids)
    state.merge()
    return state


def _postings(state: _Pass, n_posts: int) -> np.ndarray:
    """Sorted keys gram * (n + 1) + post, one per (4-gram, post that used it)."""
    stride = np.int64(n_posts + 1)
    keys = np.empty(state.pairs, dtype=np.int64)
    at = 0
    first = 0
    for flat, cuts in state.ids:
        hashes = [_post_grams(ids) for ids in np.split(flat, cuts)]
        owners = [np.full(len(h), first + i, dtype=np.int64) for i, h in enumerate(hashes)]
        first += len(hashes)
        grams = np.searchsorted(state.grams, np.concatenate(hashes)).astype(np.int64)
        keys[at : at + len(grams)] = grams * stride + np.concatenate(owners)
        at += len(grams)
    keys.sort()
    return keys


def _take(parts: list[np.ndarray], total: int, dtype: type) -> np.ndarray:
    """Concatenate `parts` into one array, freeing each part once copied."""
    out: np.ndarray = np.empty(total, dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
    return out


@dataclass
class Parts:
    """The arrays of a built index, before the TF-IDF weighting (corpus_index.fit_tfidf)."""

    is_content: np.ndarray
    column_of: np.ndarray  # TF-IDF column of each vocabulary id (-1: none), plus a last -1
    tfidf_columns: np.ndarray
    gram_hashes: np.ndarray
    postings: np.ndarray
    counts: sparse.csr_matrix | None  # raw term counts, rows = posts (None: no TF-IDF term)


def _counts(state: _Pass, n: int) -> sparse.csr_matrix | None:
    if not n or not state.width:
        return None
    nnz = np.concatenate(state.row_nnz)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nnz, out=indptr[1:])
    total = int(indptr[-1])
    indptr = indptr.astype(np.int32) if total < 2**31 else indptr
    indices = _take(state.indices, total, np.int32)
    data = _take(state.data, total, np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, state.width), copy=False)


def build_parts(
    vocab: dict[str, int],
    chunks: Iterable[Sequence[str]],
    n_posts: int,
    weigh: Callable[[sparse.csr_matrix], None],
) -> Parts:
    """Index arrays of `n_posts` texts given as consecutive chunks (in index order). `vocab`
    (empty) receives the word ids; `weigh` gets the raw counts (rows = posts) before the
    postings are allocated, so its temporary copies are freed by then."""
    state = _first_pass(vocab, chunks)
    if state.posts != n_posts:
        raise ValueError(f"{state.posts} texts for {n_posts} posts")
    column_of = np.full(len(state.columns) + 1, -1, dtype=np.int64)  # [-1] = unknown word
    column_of[:-1] = state.columns
    counts = _counts(state, n_posts)
    if counts is not None:
        weigh(counts)
    empty = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    grams, postings = (state.grams, _postings(state, n_posts)) if state.pairs else empty
    return Parts(
        is_content=np.array([w not in STOP_WORDS for w in vocab], dtype=bool),
        column_of=column_of,
        tfidf_columns=np.flatnonzero(column_of[:-1] >= 0).astype(np.int64),
        gram_hashes=grams,
        postings=postings,
        counts=counts,
    )
