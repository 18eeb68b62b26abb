"""The per-post input every metric receives: text, spaCy doc, lexical tokens, pipeline, lexicons."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LOWER, SENT_START
from spacy.tokens import Doc

from desktop_app.core.metrics.lexicons import Lexicons
from desktop_app.core.nlp.pipeline import PipelineInfo


@dataclass
class DocContext:
    """One post as the metrics see it (``history`` is the corpus index, used by history metrics)."""

    text: str
    doc: Doc
    words: list[str]
    pipeline: PipelineInfo
    lexicons: Lexicons
    history: Any | None = None
    #: Intermediate results shared between metrics of one post (e.g. syllable counts).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        doc: Doc,
        pipeline: PipelineInfo,
        lexicons: Lexicons,
        history: Any | None = None,
        text: str | None = None,
    ) -> DocContext:
        """Context for a processed doc; the lexical tokens follow `nlp.tokens_for_lexical`.

        The words are read from the token arrays (same tokens as `tokens_for_lexical(doc)`,
        which a test checks) because that is several times faster. `text` is the string the
        doc was made from when the caller has it: ``doc.text`` rebuilds it token by token.
        """
        columns = token_columns(doc)
        arrays = TokenArrays.from_columns(columns)
        types = WordTypes.of(arrays.lower)
        strings = doc.vocab.strings
        type_words = [strings[h] for h in types.hashes.tolist()]  # each distinct word once
        words = [type_words[c] for c in types.codes.tolist()]
        ctx = cls(doc.text if text is None else text, doc, words, pipeline, lexicons, history)
        ctx.__dict__.update(columns=columns, arrays=arrays, types=types, type_words=type_words)
        return ctx

    @cached_property
    def columns(self) -> np.ndarray:
        """Per-token attribute columns of the doc (`COLUMNS` order), read once for all metrics."""
        return token_columns(self.doc)

    @cached_property
    def arrays(self) -> TokenArrays:
        """Per-token numpy arrays of the doc, computed once and shared by the metrics."""
        return TokenArrays.from_columns(self.columns)

    @cached_property
    def types(self) -> WordTypes:
        """The distinct lexical words, in order of first occurrence, with their counts."""
        return WordTypes.of(self.arrays.lower)

    @cached_property
    def type_words(self) -> list[str]:
        """The text of each distinct lexical word (`types` order)."""
        strings = self.doc.vocab.strings
        return [strings[h] for h in self.types.hashes.tolist()]

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets (start, end) of the doc's tokens first..last (inclusive)."""
        end = self.doc[last]  # a few tokens per metric: cheaper than two more columns
        return self.doc[first].idx, end.idx + len(end)

    @property
    def n_words(self) -> int:
        """Number of lexical word tokens (the denominator of every 'per N words' rate)."""
        return len(self.words)


#: Token attributes read by `token_columns`, and the column of each.
COLUMNS = (IS_ALPHA, LOWER, IS_STOP, SENT_START, IS_PUNCT, IS_SPACE)
C_ALPHA, C_LOWER, C_STOP, C_SENT_START, C_PUNCT, C_SPACE = range(len(COLUMNS))


def token_columns(doc: Doc) -> np.ndarray:
    """`doc.to_array(COLUMNS)` as a (tokens, columns) uint64 array (SENT_START -1 wraps)."""
    if len(doc) == 0:
        return np.zeros((0, len(COLUMNS)), dtype=np.uint64)
    return doc.to_array(list(COLUMNS)).astype(np.uint64, copy=False)


def sentence_numbers(columns: np.ndarray) -> np.ndarray:
    """Sentence number (0-based) of every token, from the SENT_START column."""
    if len(columns) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = columns[:, C_SENT_START] == 1
    starts[0] = True
    return np.cumsum(starts) - 1


@dataclass(frozen=True)
class TokenArrays:
    """Column view of a doc restricted to lexical words (alphabetic tokens), for fast metrics."""

    word_index: np.ndarray  # token index (doc[i]) of each lexical word
    lower: np.ndarray  # uint64 hash of the lower-cased form of each word
    stop: np.ndarray  # bool: the word is a stop word
    sentence: np.ndarray  # sentence number of each word (0-based)

    @classmethod
    def of(cls, doc: Doc) -> TokenArrays:
        """Extract the arrays with one `Doc.to_array` call."""
        return cls.from_columns(token_columns(doc))

    @classmethod
    def from_columns(cls, cols: np.ndarray) -> TokenArrays:
        """The arrays of a doc's `token_columns`."""
        if len(cols) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty.astype(np.uint64), empty.astype(bool), empty)
        sentence = sentence_numbers(cols)
        alpha = np.flatnonzero(cols[:, C_ALPHA])
        return cls(alpha, cols[alpha, C_LOWER], cols[alpha, C_STOP].astype(bool), sentence[alpha])


@dataclass(frozen=True)
class WordTypes:
    """Distinct words of a token sequence, numbered in order of first occurrence."""

    codes: np.ndarray  # int64: the type number of each token (0, 1, 2, ... as types appear)
    hashes: np.ndarray  # uint64: the lower-case hash of each type, by type number
    counts: np.ndarray  # int64: occurrences of each type, by type number

    @classmethod
    def of(cls, lower: np.ndarray) -> WordTypes:
        """Types of a sequence of word hashes (equal hash = equal word)."""
        if len(lower) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty.astype(np.uint64), empty)
        uniq, first, inverse, counts = np.unique(
            lower, return_index=True, return_inverse=True, return_counts=True
        )
        order = np.argsort(first, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return cls(rank[inverse.ravel()], uniq[order], counts[order].astype(np.int64))
