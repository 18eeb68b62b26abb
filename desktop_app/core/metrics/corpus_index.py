"""In-memory index of the history for corpus-relative metrics: 4-gram postings and TF-IDF.

Design (see docs/verdicts.md for why the reference has a fixed size):

* Posts are ordered oldest first, undated last (the same order as ``iter_posts``). A post's
  "earlier posts" are then always a prefix ``[0, cutoff)`` of that order: the dated posts with
  a strictly earlier date; for an undated post, every dated post; for a draft, everything.
* The reference a post is compared with is the ``reference_posts`` (default 50) posts just
  before it: ``[cutoff - R, cutoff)``. A fixed-size reference keeps the expected value of
  recycled phrasing and sameness independent of how many earlier posts exist (comparing with
  *all* earlier posts makes them rise as the archive grows, on any blog). Posts with fewer
  than R earlier posts get no value.
* 4-grams: words are the ``posts.count_words`` tokens (regex, lower-cased, fast), mapped to
  integer ids; a 4-gram is a 64-bit polynomial hash of four ids. The index keeps every
  (4-gram, post) pair as one sorted ``int64`` key ``gram * (n + 1) + post``; whether a 4-gram
  occurs in a window of posts, and the first post of the window that used it, is then one
  ``np.searchsorted`` per query 4-gram.
* Sameness: a TF-IDF matrix (scikit-learn, English stop words, sublinear tf, L2 rows) over the
  same order. Similarities to every post are one sparse product; the centroid cosine of a
  window is ``sum(sims[window]) / |sum(X[window])|`` with the window-sum norms precomputed
  for every cutoff in O(nnz).
* Built from the stored texts; core/metrics/index_cache.py persists it (numpy files, never
  trusted: checked against the history's posts) and extends it when posts are appended.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

from desktop_app.core.metrics.index_build import (
    CHUNK,
    WORD_RE,
    N,
    build_parts,
    hash_ngrams,
    vocab_ids,
)

#: Size of the fixed reference: the posts just before the one being measured.
REFERENCE_POSTS = 50
_UNKNOWN = -1


class FittedIdf(Protocol):
    """What a query needs of the fitted TF-IDF weighting: the IDF of each TF-IDF column."""

    @property
    def idf_(self) -> np.ndarray:
        """The IDF of each TF-IDF column."""


@dataclass(frozen=True)
class IdfWeights:
    """A fitted IDF read back from the cache (no scikit-learn import needed to check a draft)."""

    idf_: np.ndarray


@dataclass(frozen=True)
class IndexedPost:
    """The identity of one indexed post."""

    id: str
    title: str
    published: date | None


@dataclass
class Tokens:
    """Word tokens of one text; character offsets are found only when evidence needs them."""

    words: list[str]
    text: str = field(repr=False)
    _ids: np.ndarray | None = field(default=None, repr=False)
    _offsets: tuple[list[int], list[int]] | None = field(default=None, repr=False)

    def ids(self, vocab: dict[str, int]) -> np.ndarray:
        """Vocabulary id of each word, -1 when unknown (computed once per Tokens)."""
        if self._ids is None:
            get = vocab.get
            self._ids = np.fromiter((get(w, _UNKNOWN) for w in self.words), np.int64)
        return self._ids

    @property
    def starts(self) -> list[int]:
        """Start offset of each word in the text."""
        return self._spans()[0]

    @property
    def ends(self) -> list[int]:
        """End offset of each word in the text."""
        return self._spans()[1]

    def _spans(self) -> tuple[list[int], list[int]]:
        if self._offsets is None:
            found = [m.span() for m in WORD_RE.finditer(self.text)]
            self._offsets = ([a for a, _ in found], [b for _, b in found])
        return self._offsets


def tokenize(text: str) -> Tokens:
    """Lower-cased alphabetic word tokens (apostrophes normalised); offsets on demand."""
    words = [w.lower() for w in WORD_RE.findall(text)]
    if "’" in text:
        words = [w.replace("’", "'") for w in words]
    return Tokens(words, text)


@dataclass
class NgramLookup:
    """Per 4-gram of a query text: whether content-bearing, its source post, its offsets."""

    tokens: Tokens
    content: np.ndarray
    #: Position (in the date order) of the first post of the looked-up window that used the
    #: 4-gram, or -1 when no post of the window used it.
    source: np.ndarray

    def span(self, gram: int) -> tuple[int, int]:
        """Character offsets (start, end) of 4-gram number `gram` in the query text."""
        return self.tokens.starts[gram], self.tokens.ends[gram + N - 1]


@dataclass
class CorpusIndex:
    """The history's 4-gram postings and TF-IDF matrix, in date order.

    `posts`, `position` and `dated_dates` are lists and a dict when built, and read on demand
    from the blobs when loaded from the cache (core/metrics/index_posts.py).
    """

    posts: Sequence[IndexedPost]
    reference_posts: int = REFERENCE_POSTS
    vocab: dict[str, int] = field(default_factory=dict)
    is_content: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    gram_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    #: Sorted keys gram * (len(posts) + 1) + post, one per (4-gram, post that used it).
    postings: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    transformer: FittedIdf | None = None
    tfidf_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: TF-IDF column of each vocabulary id (-1: not a TF-IDF term), plus a last -1 for unknown.
    column_of: np.ndarray = field(default_factory=lambda: np.full(1, -1, dtype=np.int64))
    matrix: sparse.csr_matrix | None = None
    #: Raw term counts behind `matrix` (kept only to persist and extend the index; may be None).
    counts: sparse.csr_matrix | None = None
    #: |sum of the rows of the reference window before cutoff c|^2 for c = 0..n (0: no window).
    window_sq_norm: np.ndarray = field(default_factory=lambda: np.zeros(1))
    dated_dates: Sequence[date] = field(default_factory=list)
    position: Mapping[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.posts)

    def cutoff(self, published: date | None, post_id: str | None = None) -> int:
        """Length of the prefix of posts that count as 'earlier' for a post.

        A stored post uses its stored date; a dated post sees the posts dated strictly before
        it; a stored undated post sees every dated post; an undated draft sees everything.
        """
        stored = post_id is not None and post_id in self.position
        if stored and published is None:
            published = self.posts[self.position[str(post_id)]].published
        if published is not None:
            return bisect.bisect_left(self.dated_dates, published)
        return len(self.dated_dates) if stored else len(self.posts)

    def window(self, cutoff: int) -> tuple[int, int] | None:
        """The reference window [start, cutoff) before `cutoff`, or None when it is not full."""
        if cutoff < self.reference_posts or cutoff <= 0:
            return None
        return cutoff - self.reference_posts, cutoff

    def lookup_ngrams(self, tokens: Tokens, start: int, end: int) -> NgramLookup:
        """For every 4-gram of `tokens`, the first post in positions [start, end) that used it."""
        ids = tokens.ids(self.vocab)
        count = max(len(ids) - N + 1, 0)
        known = ids >= 0
        content = _query_content(tokens.words, count)
        hashes = hash_ngrams(np.where(known, ids, 0))
        source = np.full(count, -1, dtype=np.int64)
        if count and len(self.gram_hashes) and end > start:
            slot = np.searchsorted(self.gram_hashes, hashes).clip(0, len(self.gram_hashes) - 1)
            hit = (self.gram_hashes[slot] == hashes) & _window_all(known, count)
            stride = np.int64(len(self.posts) + 1)
            base = slot.astype(np.int64) * stride
            at = np.searchsorted(self.postings, base + start).clip(0, len(self.postings) - 1)
            found = self.postings[at]
            hit &= (found >= base + start) & (found < base + end)
            source[hit] = found[hit] % stride
        return NgramLookup(tokens, content, source)

    def similarities(self, tokens: Tokens) -> np.ndarray:
        """TF-IDF cosine of a tokenised text to every indexed post (index order).

        The query row is weighted as the fitted TfidfTransformer would (sublinear tf x idf,
        L2-normalised; a test checks equality) but built directly as a dense vector, so a
        query costs one sparse-matrix x vector product.
        """
        if self.transformer is None or self.matrix is None:
            return np.zeros(len(self.posts))
        columns = self.column_of[tokens.ids(self.vocab)]
        columns = columns[columns >= 0]
        if not len(columns):
            return np.zeros(len(self.posts))
        used, counts = np.unique(columns, return_counts=True)
        weights = (1.0 + np.log(counts)) * self.transformer.idf_[used]
        query = np.zeros(self.matrix.shape[1], dtype=np.float32)
        query[used] = weights / np.linalg.norm(weights)
        return np.asarray(self.matrix @ query, dtype=np.float64)

    def centroid_cosine(self, sims: np.ndarray, cutoff: int) -> float | None:
        """Cosine between the query and the centroid of the reference window before `cutoff`."""
        span = self.window(cutoff)
        norm = float(np.sqrt(self.window_sq_norm[cutoff])) if span else 0.0
        if span is None or norm == 0.0:
            return None
        return float(sims[span[0] : span[1]].sum() / norm)


def _window_all(flags: np.ndarray, count: int) -> np.ndarray:
    out = flags[:count].copy()
    for offset in range(1, N):
        out &= flags[offset : offset + count]
    return out


def _query_content(words: Sequence[str], count: int) -> np.ndarray:
    flags = np.array([w not in STOP_WORDS for w in words], dtype=bool)
    if count == 0:
        return np.empty(0, dtype=bool)
    return ~_window_all(~flags, count)


def order_key(post: IndexedPost) -> tuple[bool, date, str, str]:
    """Sort key of the index order: oldest first, undated last, then by title and id."""
    return post.published is None, post.published or date.min, post.title, post.id


def order(posts: Sequence[tuple[IndexedPost, str]]) -> list[tuple[IndexedPost, str]]:
    """Oldest first, undated last, then by title and id (stable, deterministic)."""
    return sorted(posts, key=lambda p: order_key(p[0]))


def word_ids(index: CorpusIndex, text: str) -> np.ndarray:
    """Vocabulary ids of the text's words; new words get the next ids, in order of appearance."""
    return vocab_ids(index.vocab, text)


def _counts(id_lists: Sequence[np.ndarray], width: int) -> sparse.csr_matrix:
    rows = np.concatenate([np.full(len(ids), i, dtype=np.int32) for i, ids in enumerate(id_lists)])
    cols = np.concatenate(id_lists) if id_lists else np.zeros(0, dtype=np.int64)
    data = np.ones(len(cols), dtype=np.float32)
    shape = (len(id_lists), width)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)  # duplicates are summed


def fit_tfidf(index: CorpusIndex, counts: sparse.csr_matrix) -> None:
    """Weight the raw counts (rows in index order, TF-IDF columns) and window norms."""
    from sklearn.feature_extraction.text import TfidfTransformer  # a check never needs it

    counts.sort_indices()  # canonical order: a fresh and an extended build sum alike
    index.counts = counts
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    index.transformer = transformer
    # Weighted in place on a copy of the values only: the matrix shares the counts' indices.
    shared = sparse.csr_matrix((counts.data.copy(), counts.indices, counts.indptr),
                               shape=counts.shape, copy=False)  # fmt: skip
    matrix = transformer.transform(shared, copy=False).tocsr()
    index.matrix = matrix if matrix.dtype == np.float32 else matrix.astype(np.float32)
    index.window_sq_norm = window_sq_norms(index.matrix, index.reference_posts)


def window_sq_norms(matrix: sparse.csr_matrix, size: int) -> np.ndarray:
    """|sum of rows [c - size, c)|^2 for c = 0..n (0 where c < size), in O(nnz).

    A running window sum S moves one row at a time: |S + x|^2 = |S|^2 + 2 S.x + |x|^2 when a
    row enters and |S - y|^2 = |S|^2 - 2 S.y + |y|^2 when one leaves.
    """
    running = np.zeros(matrix.shape[1], dtype=np.float64)
    out = np.zeros(matrix.shape[0] + 1, dtype=np.float64)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    norm = 0.0
    for row in range(matrix.shape[0]):
        for sign, r in ((1.0, row), (-1.0, row - size)):
            if r < 0:
                continue
            cols = indices[indptr[r] : indptr[r + 1]]
            vals = data[indptr[r] : indptr[r + 1]].astype(np.float64)  # row by row: no full copy
            norm += sign * 2.0 * float(running[cols] @ vals) + float(vals @ vals)
            running[cols] += sign * vals
        if row + 1 >= size:
            out[row + 1] = max(norm, 0.0)
    return out


def build_index(
    posts: Sequence[tuple[IndexedPost, str]], reference_posts: int = REFERENCE_POSTS
) -> CorpusIndex:
    """Build the index from (post, text) pairs (any order; sorted here)."""
    ordered = order(posts)
    texts = [t for _, t in ordered]
    chunks = (texts[start : start + CHUNK] for start in range(0, len(texts), CHUNK))
    return build_streamed([p for p, _ in ordered], chunks, reference_posts)


def build_streamed(
    posts: Sequence[IndexedPost], chunks: Iterable[Sequence[str]], reference_posts: int
) -> CorpusIndex:
    """The index of `posts` (already in index order, see `order`) from their texts, given as
    consecutive chunks in the same order (core/metrics/index_build.py: bounded memory)."""
    index = CorpusIndex(posts=list(posts), reference_posts=max(1, reference_posts))
    index.position = {p.id: i for i, p in enumerate(index.posts)}
    index.dated_dates = [p.published for p in index.posts if p.published is not None]
    parts = build_parts(index.vocab, chunks, len(index.posts), lambda c: fit_tfidf(index, c))
    index.is_content, index.column_of = parts.is_content, parts.column_of
    index.tfidf_columns = parts.tfidf_columns
    index.gram_hashes, index.postings = parts.gram_hashes, parts.postings
    return index


class HistoryView:
    """The index as one post sees it: the reference window of posts just before `cutoff`.

    This is what the analysis puts in ``DocContext.history``; the query's tokens and
    similarities are computed once and shared by the recycled and sameness metrics.
    """

    def __init__(self, index: CorpusIndex, cutoff: int) -> None:
        self.index = index
        self.cutoff = cutoff
        #: [start, end) positions of the reference posts, or None when fewer than R exist.
        self.window = index.window(cutoff)
        self._tokens: Tokens | None = None
        self._text: str | None = None
        self._sims: np.ndarray | None = None

    def tokens(self, text: str) -> Tokens:
        """Word tokens of `text` (cached for the last text)."""
        if self._tokens is None or self._text != text:
            self._tokens, self._text, self._sims = tokenize(text), text, None
        return self._tokens

    def similarities(self, text: str) -> np.ndarray:
        """TF-IDF cosine of `text` to every indexed post (cached for the last text)."""
        tokens = self.tokens(text)
        if self._sims is None:
            self._sims = self.index.similarities(tokens)
        return self._sims

    def post(self, position: int) -> IndexedPost:
        """The indexed post at a position of the date order."""
        return self.index.posts[position]


def too_few_earlier(view: HistoryView) -> str:
    """Why a history measure has no value: 'needs 50 earlier posts (has 12)'."""
    return f"needs {view.index.reference_posts} earlier posts (has {view.cutoff})"
