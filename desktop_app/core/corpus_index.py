"""In-memory index of the history for corpus-relative metrics: 4-gram first uses and TF-IDF.

Design (see docs/separation.md and the analysis report for figures):

* Posts are ordered oldest first, undated last (the same order as ``iter_posts``). A post's
  "earlier posts" are then always a prefix ``[0, cutoff)`` of that order: the dated posts with
  a strictly earlier date; for an undated post, every dated post; for a draft, everything.
* 4-grams: words are the ``posts.count_words`` tokens (regex, lower-cased, fast), mapped to
  integer ids; a 4-gram is a 64-bit polynomial hash of four ids. For every content-bearing
  4-gram (at least one non-stopword) the index keeps the position of the FIRST post that used
  it, as a sorted ``uint64`` array + ``int32`` array. A lookup is ``np.searchsorted``; a 4-gram
  is recycled when its first post lies inside the cutoff prefix.
* Sameness: a TF-IDF matrix (scikit-learn, English stop words, sublinear tf, L2 rows) over the
  same order. Similarities to every post are one sparse product; the centroid cosine of a
  prefix is ``sum(sims[:m]) / |sum(X[:m])|`` with the prefix-sum norms precomputed in O(nnz).
* Built once per session from the stored texts (the engine caches it and rebuilds when the
  posts change); nothing is persisted, so there is no second copy of the user's data to corrupt.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from spacy.lang.en.stop_words import STOP_WORDS

N = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_PRIME = np.uint64(1_000_003)
_UNKNOWN = -1


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
            found = [m.span() for m in _WORD.finditer(self.text)]
            self._offsets = ([a for a, _ in found], [b for _, b in found])
        return self._offsets


def tokenize(text: str) -> Tokens:
    """Lower-cased alphabetic word tokens (apostrophes normalised); offsets on demand."""
    words = [w.lower() for w in _WORD.findall(text)]
    if "’" in text:
        words = [w.replace("’", "'") for w in words]
    return Tokens(words, text)


def _hash_ngrams(ids: np.ndarray) -> np.ndarray:
    """64-bit polynomial hashes of every 4-gram of an id array (wrapping arithmetic)."""
    if len(ids) < N:
        return np.empty(0, dtype=np.uint64)
    values = ids.astype(np.uint64) + np.uint64(1)
    h = values[: len(values) - N + 1].copy()
    for offset in range(1, N):
        h = h * _PRIME + values[offset : len(values) - N + 1 + offset]
    return h


def _content_mask(ids: np.ndarray, is_content: np.ndarray) -> np.ndarray:
    """True for 4-grams that contain at least one content (non-stopword) token."""
    if len(ids) < N:
        return np.empty(0, dtype=bool)
    flags = is_content[ids]
    mask = flags[: len(ids) - N + 1].copy()
    for offset in range(1, N):
        mask |= flags[offset : len(ids) - N + 1 + offset]
    return mask


@dataclass
class NgramLookup:
    """Per 4-gram of a query text: whether content-bearing, its first post, its offsets."""

    tokens: Tokens
    content: np.ndarray
    first_post: np.ndarray  # index into the ordered posts, or -1 when never used

    def span(self, gram: int) -> tuple[int, int]:
        """Character offsets (start, end) of 4-gram number `gram` in the query text."""
        return self.tokens.starts[gram], self.tokens.ends[gram + N - 1]


@dataclass
class CorpusIndex:
    """The history's 4-gram first-use map and TF-IDF matrix, in date order."""

    posts: list[IndexedPost]
    vocab: dict[str, int] = field(default_factory=dict)
    is_content: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    gram_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    gram_first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    transformer: TfidfTransformer | None = None
    tfidf_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: TF-IDF column of each vocabulary id (-1: not a TF-IDF term), plus a last -1 for unknown.
    column_of: np.ndarray = field(default_factory=lambda: np.full(1, -1, dtype=np.int64))
    matrix: sparse.csr_matrix | None = None
    prefix_sq_norm: np.ndarray = field(default_factory=lambda: np.zeros(1))
    dated_dates: list[date] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)

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

    def lookup_ngrams(self, tokens: Tokens) -> NgramLookup:
        """Find, for every 4-gram of `tokens`, the first indexed post that used it."""
        ids = tokens.ids(self.vocab)
        count = max(len(ids) - N + 1, 0)
        known = ids >= 0
        safe = np.where(known, ids, 0)
        content = _query_content(tokens.words, count)
        hashes = _hash_ngrams(safe)
        first = np.full(count, -1, dtype=np.int64)
        if count and len(self.gram_hashes):
            all_known = _window_all(known, count)
            slot = np.searchsorted(self.gram_hashes, hashes).clip(0, len(self.gram_hashes) - 1)
            hit = (self.gram_hashes[slot] == hashes) & all_known
            first[hit] = self.gram_first[slot[hit]]
        return NgramLookup(tokens, content, first)

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
        """Cosine between the query and the centroid of the first `cutoff` posts."""
        norm = float(np.sqrt(self.prefix_sq_norm[cutoff])) if cutoff else 0.0
        if norm == 0.0:
            return None
        return float(sims[:cutoff].sum() / norm)


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


def _order(posts: Sequence[tuple[IndexedPost, str]]) -> list[tuple[IndexedPost, str]]:
    """Oldest first, undated last, then by title and id (stable, deterministic)."""
    return sorted(
        posts,
        key=lambda p: (p[0].published is None, p[0].published or date.min, p[0].title, p[0].id),
    )


def _word_ids(index: CorpusIndex, text: str) -> np.ndarray:
    """Vocabulary ids of the text's words; new words get the next ids, in order of appearance."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    vocab = index.vocab
    new = [w for w in dict.fromkeys(words) if w not in vocab]
    vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
    return np.fromiter(map(vocab.__getitem__, words), np.int64, len(words))


def _build_ngrams(index: CorpusIndex, id_lists: Sequence[np.ndarray]) -> None:
    words_by_id = sorted(index.vocab, key=index.vocab.__getitem__)
    index.is_content = np.array([w not in STOP_WORDS for w in words_by_id], dtype=bool)
    if not id_lists:
        return
    hashes = np.concatenate([_hash_ngrams(ids) for ids in id_lists])
    owners = np.concatenate(
        [np.full(max(len(ids) - N + 1, 0), i, dtype=np.int32) for i, ids in enumerate(id_lists)]
    )
    unique, first = np.unique(hashes, return_index=True)  # first index = earliest post
    index.gram_hashes = unique
    index.gram_first = owners[first]


def _counts(id_lists: Sequence[np.ndarray], width: int) -> sparse.csr_matrix:
    rows = np.concatenate([np.full(len(ids), i, dtype=np.int32) for i, ids in enumerate(id_lists)])
    cols = np.concatenate(id_lists) if id_lists else np.zeros(0, dtype=np.int64)
    data = np.ones(len(cols), dtype=np.float32)
    shape = (len(id_lists), width)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)  # duplicates are summed


def _build_tfidf(index: CorpusIndex, id_lists: Sequence[np.ndarray]) -> None:
    words_by_id = sorted(index.vocab, key=index.vocab.__getitem__)
    keep = np.array([len(w) > 1 for w in words_by_id], dtype=bool) & index.is_content
    index.tfidf_columns = np.flatnonzero(keep)
    index.column_of = np.full(len(words_by_id) + 1, -1, dtype=np.int64)  # [-1] = unknown word
    index.column_of[index.tfidf_columns] = np.arange(len(index.tfidf_columns))
    if not id_lists or not len(index.tfidf_columns):
        return
    counts = _counts(id_lists, len(words_by_id))[:, index.tfidf_columns]
    index.transformer = TfidfTransformer(sublinear_tf=True)
    index.matrix = index.transformer.fit_transform(counts).tocsr().astype(np.float32)
    index.prefix_sq_norm = _prefix_sq_norms(index.matrix)


def _prefix_sq_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """|sum of rows [0, m)|^2 for m = 0..n, in O(nnz) via |S+x|^2 = |S|^2 + 2 S.x + |x|^2."""
    running = np.zeros(matrix.shape[1], dtype=np.float64)
    out = np.zeros(matrix.shape[0] + 1, dtype=np.float64)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data.astype(np.float64)
    for row in range(matrix.shape[0]):
        cols = indices[indptr[row] : indptr[row + 1]]
        vals = data[indptr[row] : indptr[row + 1]]
        out[row + 1] = out[row] + 2.0 * float(running[cols] @ vals) + float(vals @ vals)
        running[cols] += vals
    return out


def build_index(posts: Sequence[tuple[IndexedPost, str]]) -> CorpusIndex:
    """Build the index from (post, text) pairs (any order; sorted here)."""
    ordered = _order(posts)
    index = CorpusIndex(posts=[p for p, _ in ordered])
    texts = [t for _, t in ordered]
    index.position = {p.id: i for i, p in enumerate(index.posts)}
    index.dated_dates = [p.published for p in index.posts if p.published is not None]
    id_lists = [_word_ids(index, text) for text in texts]
    _build_ngrams(index, id_lists)
    _build_tfidf(index, id_lists)
    return index


class HistoryView:
    """The index as one post sees it: only the first `cutoff` posts count as earlier.

    This is what the analysis puts in ``DocContext.history``; the query's tokens and
    similarities are computed once and shared by the recycled and sameness metrics.
    """

    def __init__(self, index: CorpusIndex, cutoff: int) -> None:
        self.index = index
        self.cutoff = cutoff
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
