"""The per-post input every metric receives: text, spaCy doc, lexical tokens, pipeline, lexicons."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from spacy.attrs import IS_ALPHA, IS_STOP, LOWER, SENT_START
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
        arrays = TokenArrays.of(doc)
        strings = doc.vocab.strings
        words = [strings[h] for h in arrays.lower.tolist()]
        ctx = cls(doc.text if text is None else text, doc, words, pipeline, lexicons, history)
        ctx.__dict__["arrays"] = arrays  # prime the cached property
        return ctx

    @cached_property
    def arrays(self) -> TokenArrays:
        """Per-token numpy arrays of the doc, computed once and shared by the metrics."""
        return TokenArrays.of(self.doc)

    @property
    def n_words(self) -> int:
        """Number of lexical word tokens (the denominator of every 'per N words' rate)."""
        return len(self.words)


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
        cols = doc.to_array([IS_ALPHA, LOWER, IS_STOP, SENT_START]).astype(np.uint64)
        if len(cols) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty.astype(np.uint64), empty.astype(bool), empty)
        starts = cols[:, 3].astype(np.int64) == 1
        starts[0] = True
        sentence = np.cumsum(starts) - 1
        alpha = np.flatnonzero(cols[:, 0])
        return cls(alpha, cols[alpha, 1], cols[alpha, 2].astype(bool), sentence[alpha])
