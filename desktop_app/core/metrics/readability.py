"""Readability: Flesch reading ease, Flesch-Kincaid grade, mean sentence length and its variation.

Why not call textstat: textstat 0.7.13 imports NLTK on import (3 s start-up) and, for
English, downloads the CMU pronouncing dictionary through ``nltk.download`` -- a network call
we never make at run time. We use textstat's published formulas and its syllable rule: the
CMU Pronouncing Dictionary where the word is in it (a compact table shipped in
``models/syllables/``, BSD-style license), else pyphen's en_US hyphenation points + 1
(pyphen's bundled dictionary, LGPL/MPL). Sentences are spaCy's (which end at every line
break, see ``nlp.hard_breaks``); as in textstat, a "sentence" of one or two words (a heading,
a label) is not counted as a sentence, but its words are counted as words. Tests check the
values against textstat with the CMU dictionary on the same words and sentences.
"""

from __future__ import annotations

import gzip
import statistics
from functools import lru_cache

import numpy as np
import pyphen

from desktop_app.core import paths
from desktop_app.core.metrics.context import DocContext
from desktop_app.core.records import MIN_WORDS, Confidence, MetricResult

PYPHEN_LANG = "en_US"
#: Coefficients as in textstat 0.7.13 (Flesch 1948; Kincaid et al. 1975).
FRE_BASE, FRE_SENTENCE, FRE_SYLLABLE = 206.835, 1.015, 84.6
FKG_SENTENCE, FKG_SYLLABLE, FKG_BASE = 0.39, 11.8, 15.59
MIN_SENTENCES_CV = 3
#: textstat's rule: a sentence of fewer words is not counted as a sentence.
MIN_SENTENCE_WORDS = 3
SYLLABLE_TABLE = "syllables/cmudict-syllables.txt.gz"


class HyphenationPoints:
    """Counts ``pyphen.Pyphen(lang).positions(word)`` exactly, about 2x faster.

    pyphen (Liang's algorithm) looks up every substring of '.word.' up to the longest pattern
    length and builds a list of objects per word. Counting only, and stopping a scan as soon
    as the substring is no pattern's prefix (no longer substring from there can match), gives
    the same points; new words are the cold cost of every analysis worker. A test compares
    the counts with pyphen on every word of the demo corpora.
    """

    def __init__(self, dictionary: pyphen.Pyphen) -> None:
        """Take the patterns and the left/right minimums of a pyphen dictionary."""
        hd = dictionary.hd
        self.patterns: dict[str, tuple[int, tuple[int, ...]]] = hd.patterns
        self.maxlen: int = hd.maxlen
        self.prefixes = {key[:k] for key in self.patterns for k in range(1, len(key) + 1)}
        self.left, self.right = dictionary.left, dictionary.right

    def count(self, word: str) -> int:
        """Number of hyphenation points of `word` (pyphen's ``len(positions(word))``)."""
        pointed = f".{word.lower()}."
        size = len(pointed)
        refs = [0] * (size + 1)
        patterns, prefixes = self.patterns, self.prefixes
        for i in range(size - 1):
            for j in range(i + 1, min(i + self.maxlen, size) + 1):
                piece = pointed[i:j]
                if piece not in prefixes:
                    break
                found = patterns.get(piece)
                if found:
                    start = i + found[0]
                    for k, value in enumerate(found[1], start):
                        if value > refs[k]:
                            refs[k] = value
        last = len(word) - self.right
        return sum(1 for i, ref in enumerate(refs) if ref % 2 and self.left <= i - 1 <= last)


@lru_cache(maxsize=1)
def _points() -> HyphenationPoints:
    return HyphenationPoints(pyphen.Pyphen(lang=PYPHEN_LANG))


@lru_cache(maxsize=1)
def cmu_syllables() -> dict[str, int]:
    """The shipped CMU-dictionary table: lower-case word -> syllables."""
    table: dict[str, int] = {}
    with gzip.open(paths.model_file(SYLLABLE_TABLE), "rt", encoding="ascii") as handle:
        for line in handle:
            count, _, words = line.rstrip("\n").partition("\t")
            table.update(dict.fromkeys(words.split(), int(count)))
    return table


@lru_cache(maxsize=1 << 18)
def syllables(word: str) -> int:
    """Syllables of one lower-cased word: the CMU dictionary, else pyphen points + 1 (textstat)."""
    found = cmu_syllables().get(word)
    return found if found is not None else _points().count(word) + 1


def sentence_lengths(ctx: DocContext) -> list[int]:
    """Lexical words per spaCy sentence, for sentences of at least MIN_SENTENCE_WORDS words."""
    if "sentence_lengths" not in ctx.memo:  # three measures use them
        counts = np.bincount(ctx.arrays.sentence)
        ctx.memo["sentence_lengths"] = counts[counts >= MIN_SENTENCE_WORDS].tolist()
    lengths: list[int] = ctx.memo["sentence_lengths"]
    return list(lengths)


def words_per_sentence(ctx: DocContext) -> float | None:
    """All lexical words / sentences of 3+ words (textstat's words_per_sentence); None if none."""
    lengths = sentence_lengths(ctx)
    return ctx.n_words / len(lengths) if lengths else None


def _basics(ctx: DocContext) -> tuple[float, float, Confidence] | None:
    """(words per sentence, syllables per word, confidence), or None without any word."""
    if "readability" not in ctx.memo:
        wps = words_per_sentence(ctx)
        if not ctx.words or wps is None:
            ctx.memo["readability"] = None
        else:
            counts = ctx.types.counts.tolist()
            total = sum(syllables(w) * c for w, c in zip(ctx.type_words, counts, strict=True))
            conf = Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK
            ctx.memo["readability"] = (wps, total / len(ctx.words), conf)
    result: tuple[float, float, Confidence] | None = ctx.memo["readability"]
    return result


def flesch_reading_ease(ctx: DocContext) -> MetricResult:
    """Flesch reading ease: 206.835 - 1.015 words/sent. - 84.6 syllables/word; higher = easier."""
    basics = _basics(ctx)
    if basics is None:
        return MetricResult(None, Confidence.INSUFFICIENT)
    wps, spw, conf = basics
    value = FRE_BASE - FRE_SENTENCE * wps - FRE_SYLLABLE * spw
    return MetricResult(value, conf, detail={"words_per_sentence": wps, "syllables_per_word": spw})


def fk_grade(ctx: DocContext) -> MetricResult:
    """Flesch-Kincaid grade: 0.39 words/sentence + 11.8 syllables/word - 15.59; lower = easier."""
    basics = _basics(ctx)
    if basics is None:
        return MetricResult(None, Confidence.INSUFFICIENT)
    wps, spw, conf = basics
    value = FKG_SENTENCE * wps + FKG_SYLLABLE * spw - FKG_BASE
    return MetricResult(value, conf, detail={"words_per_sentence": wps, "syllables_per_word": spw})


def mean_sentence_length(ctx: DocContext) -> MetricResult:
    """Lexical words per sentence (textstat's words_per_sentence); lower = easier to read."""
    wps = words_per_sentence(ctx)
    if wps is None:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"sentences": 0})
    conf = Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK
    return MetricResult(wps, conf, detail={"sentences": len(sentence_lengths(ctx))})


def sentence_length_cv(ctx: DocContext) -> MetricResult:
    """Coefficient of variation (population sd / mean) of sentence lengths; higher = more varied."""
    lengths = sentence_lengths(ctx)
    if len(lengths) < MIN_SENTENCES_CV:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"sentences": len(lengths)})
    value = statistics.pstdev(lengths) / statistics.fmean(lengths)
    conf = Confidence.LOW if ctx.n_words < MIN_WORDS or len(lengths) < 5 else Confidence.OK
    return MetricResult(value, conf, detail={"sentences": len(lengths)})
