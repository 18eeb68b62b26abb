"""Deterministic text features of the AI-style model: word n-grams and structure measures.

Training (scripts/train_ai_style.py) and scoring both call these functions, so a text always
gets the same features whatever spaCy pipeline is installed (no spaCy here at all).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from typing import NamedTuple

#: Lower-cased alphabetic word tokens (the project's frozen word rule).
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Sentence ends: . ! ? (optionally closed by quotes/brackets) followed by space, or blank lines.
SENT_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*\n")
DIGIT_RE = re.compile(r"\d+")
PUNCT = {
    "comma_rate": ",",
    "semicolon_rate": ";",
    "colon_rate": ":",
    "dash_rate": "—–",
    "paren_rate": "(",
    "question_rate": "?",
    "exclaim_rate": "!",
    "quote_rate": '"“”',
}
#: Names of the dense structure features, in model order.
DENSE_NAMES: tuple[str, ...] = (
    "sentence_len_mean",
    "sentence_len_cv",
    "word_len_mean",
    "long_word_share",
    "marker_rate",
    "contraction_rate",
    "digit_rate",
    *PUNCT,
)
#: Target chunk length in words: about the length of the labelled training passages.
CHUNK_WORDS = 120


class Token(NamedTuple):
    """A lower-cased word token with its character offsets."""

    text: str
    start: int
    end: int


def fold(word: str) -> str:
    """A word token as the model sees it: lower-cased, curly apostrophe folded to '."""
    return word.lower().replace("’", "'")


def words_of(text: str) -> list[str]:
    """Lower-cased word tokens (curly apostrophes folded to '): the model's tokens."""
    return [fold(w) for w in WORD_RE.findall(text)]


def tokens(text: str) -> list[Token]:
    """The same tokens as `words_of`, with their character offsets (for evidence spans)."""
    return [
        Token(m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in WORD_RE.finditer(text)
    ]


def ngram_terms(words: list[str]) -> list[str]:
    """Word unigrams and bigrams (bigram = 'w1 w2'), the TF-IDF terms."""
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def sentence_lengths(text: str) -> list[int]:
    """Word counts of the sentences found by a regex splitter (empty sentences dropped)."""
    lengths = (len(WORD_RE.findall(part)) for part in SENT_END_RE.split(text))
    return [n for n in lengths if n > 0]


def mean_cv(values: list[int]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    mean = sum(values) / len(values)
    if len(values) < 2 or mean == 0:
        return mean, 0.0
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var) / mean


def dense_features(
    text: str, words: list[str], markers: frozenset[str], lengths: list[int] | None = None
) -> list[float]:
    """Structure features of one passage, in DENSE_NAMES order (rates are per word).

    `lengths`: the passage's sentence lengths when the caller already has them (scoring
    splits a whole text once); else they are computed here with `sentence_lengths`.
    """
    n = max(len(words), 1)
    sent_mean, sent_cv = mean_cv(sentence_lengths(text) if lengths is None else lengths)
    word_lengths = list(map(len, words))
    values = [
        sent_mean,
        sent_cv,
        sum(word_lengths) / n,
        sum(1 for size in word_lengths if size >= 7) / n,
        sum(map(markers.__contains__, words)) / n,
        sum(1 for w in words if "'" in w) / n,
        len(DIGIT_RE.findall(text)) / n,
    ]
    values += [sum(text.count(ch) for ch in chars) / n for chars in PUNCT.values()]
    return values


def chunk_bounds(text: str, target_words: int = CHUNK_WORDS) -> list[tuple[int, int]]:
    """Split text at sentence ends into passages of about `target_words` words (char bounds)."""
    bounds: list[tuple[int, int]] = []
    start, count = 0, 0
    pos = 0
    for match in SENT_END_RE.finditer(text):
        count += len(WORD_RE.findall(text, pos, match.start()))
        pos = match.end()
        if count >= target_words:
            bounds.append((start, match.start()))
            start, count = match.end(), 0
    count += len(WORD_RE.findall(text, pos))
    if count or not bounds:
        if bounds and count < target_words // 2:
            bounds[-1] = (bounds[-1][0], len(text))  # fold a short tail into the last chunk
        else:
            bounds.append((start, len(text)))
    return bounds


def tf_idf_row(
    terms: Iterable[str], vocab: dict[str, int], idf: list[float] | None = None
) -> dict[int, float]:
    """Sublinear TF-IDF weights of in-vocabulary terms, L2-normalised (sklearn's formula)."""
    counts: dict[int, int] = {}
    for term in terms:
        index = vocab.get(term)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    row = {i: (1.0 + math.log(c)) * (idf[i] if idf is not None else 1.0) for i, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in row.values()))
    return {i: v / norm for i, v in row.items()} if norm else {}
