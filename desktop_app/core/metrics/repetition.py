"""Repetition inside one post: repeated word n-grams, repeated sentence openings, POS templates.

All three are shares in 0-1 where lower is better (less repetitive / less formulaic).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import IS_SPACE, POS, SENT_START
from spacy.symbols import IDS
from spacy.tokens import Doc

from desktop_app.core import paths
from desktop_app.core.metrics.context import (
    C_LOWER,
    C_PUNCT,
    C_SPACE,
    DocContext,
    sentence_numbers,
)
from desktop_app.core.records import MIN_WORDS, Confidence, MetricResult, Span

NGRAM_SIZES = (3, 4, 5)
POS_N = 5
POS_TEMPLATES_FILE = "pos_templates.json"
MIN_SENTENCES = 3
_MIX = np.uint64(1_000_003)


def _confidence(ctx: DocContext) -> Confidence:
    return Confidence.LOW if ctx.n_words < MIN_WORDS else Confidence.OK


def repeated_ngram_rate(ctx: DocContext) -> MetricResult:
    """Share of content-bearing word 3-, 4- and 5-gram occurrences whose n-gram occurs >= 2 times.

    n-grams are taken over the lexical word tokens (lower-cased alphabetic) inside each sentence;
    an n-gram made only of stop words ("one of the") is not content-bearing and is left out of
    both counts. The rate pools n = 3, 4, 5: (occurrences of repeated n-grams) / (all
    occurrences). Lower = less repetitive. Spans cover each maximal run of tokens belonging to
    a repeated n-gram, in character offsets of the post text.
    """
    arr = ctx.arrays
    keys, starts, sizes = _content_ngrams(arr.lower, arr.stop, arr.sentence)
    if len(keys) == 0:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"ngrams": 0})
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    repeated = counts[inverse] >= 2
    first = arr.word_index[starts[repeated]]
    last = arr.word_index[starts[repeated] + sizes[repeated] - 1]
    ranges = list(zip(first.tolist(), last.tolist(), strict=True))
    spans = _merge_spans(ctx, ranges, "repeated")
    detail = {"ngrams": len(keys), "repeated": int(repeated.sum()), "top": _top(ctx, spans)}
    return MetricResult(float(repeated.mean()), _confidence(ctx), spans, detail)


def _content_ngrams(
    lower: np.ndarray, stop: np.ndarray, sentence: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hash key, first word position, size) of every content-bearing in-sentence 3-5-gram."""
    keys, starts, sizes = [], [], []
    content = np.concatenate([[0], np.cumsum(~stop)])
    for n in NGRAM_SIZES:
        m = len(lower) - n + 1
        if m <= 0:
            continue
        key = np.full(m, n, dtype=np.uint64)
        for k in range(n):  # order-sensitive mix of the n word hashes (wrap-around arithmetic)
            key = key * _MIX + lower[k : k + m]
        ok = (sentence[:m] == sentence[n - 1 :]) & (content[n:] - content[:m] > 0)
        keys.append(key[ok])
        starts.append(np.flatnonzero(ok))
        sizes.append(np.full(int(ok.sum()), n))
    if not keys:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(keys), np.concatenate(starts), np.concatenate(sizes)


def _top(ctx: DocContext, spans: list[Span], limit: int = 10) -> list[str]:
    """The most frequent repeated phrases (lower-cased span texts)."""
    counts = Counter(" ".join(s.text.lower().split()) for s in spans)
    return [text for text, _ in counts.most_common(limit)]


def _merge_spans(ctx: DocContext, ranges: list[tuple[int, int]], kind: str) -> list[Span]:
    """Merge overlapping token ranges (inclusive) into character spans of the post text."""
    spans: list[Span] = []
    for start, end in _merge_ranges(ranges):
        a, b = ctx.char_span(start, end)
        spans.append(Span(kind, a, b, ctx.text[a:b]))
    return spans


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted inclusive ranges, each group that overlaps (or touches) a previous one merged."""
    if not ranges:
        return []
    pairs = np.array(sorted(ranges), dtype=np.int64)
    starts, ends = pairs[:, 0], np.maximum.accumulate(pairs[:, 1])
    new = np.flatnonzero(np.r_[True, starts[1:] > ends[:-1]])
    last = np.r_[new[1:] - 1, len(pairs) - 1]
    return list(zip(starts[new].tolist(), ends[last].tolist(), strict=True))


def opening_repetition(ctx: DocContext) -> MetricResult:
    """Share of sentences whose first two words (lower-cased) also open another sentence.

    Words here are the sentence's tokens other than punctuation and whitespace (numbers count).
    Sentences with fewer than two such tokens are not counted. Needs at least 3 counted
    sentences; lower = more varied openings. Spans ('opening') cover each repeated opening.
    """
    openings = _openings(ctx)
    n = len(openings)
    if n < MIN_SENTENCES:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"sentences": n})
    counts = Counter(key for key, _, _ in openings)
    hits = [(a, b) for key, a, b in openings if counts[key] >= 2]
    spans = [Span("opening", a, b, ctx.text[a:b]) for a, b in hits]
    strings = ctx.doc.vocab.strings
    top = [f"{strings[k[0]]} {strings[k[1]]}" for k, c in counts.most_common(5) if c >= 2]
    detail = {"sentences": n, "repeated": len(hits), "top": top}
    conf = Confidence.LOW if ctx.n_words < MIN_WORDS or n < 5 else Confidence.OK
    return MetricResult(len(hits) / n, conf, spans, detail)


def _openings(ctx: DocContext) -> list[tuple[tuple[int, int], int, int]]:
    """Per sentence with 2+ words: (lower hashes of its first two words, char start, char end)."""
    cols = ctx.columns
    words = np.flatnonzero((cols[:, C_PUNCT] == 0) & (cols[:, C_SPACE] == 0))
    if len(words) < 2:
        return []
    sent_of = sentence_numbers(cols)[words]
    first = np.flatnonzero(np.r_[True, sent_of[1:] != sent_of[:-1]])
    first = first[(first + 1 < len(words))]
    first = first[sent_of[first + 1] == sent_of[first]]
    i, j = words[first].tolist(), words[first + 1].tolist()
    lower = cols[:, C_LOWER]
    keys = zip(lower[i].tolist(), lower[j].tolist(), strict=True)
    return [(key, *ctx.char_span(a, b)) for key, a, b in zip(keys, i, j, strict=True)]


@lru_cache(maxsize=2)
def load_pos_templates(path: Path | None = None) -> frozenset[tuple[str, ...]]:
    """The shipped reference set of frequent POS 5-grams (models/pos_templates.json)."""
    path = path or paths.model_file(POS_TEMPLATES_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(tuple(t.split()) for t in data["templates"])


@lru_cache(maxsize=2)
def _template_keys(templates: frozenset[tuple[str, ...]]) -> np.ndarray:
    """The templates as mixed hashes of spaCy POS symbol ids (same mixing as `_pos_keys`)."""
    tags = np.array([[IDS[tag] for tag in tpl] for tpl in templates], dtype=np.uint64)
    if len(tags) == 0:
        return np.zeros(0, dtype=np.uint64)
    keys = np.full(len(tags), POS_N, dtype=np.uint64)
    for k in range(POS_N):  # array arithmetic wraps around silently, as in `_pos_keys`
        keys = keys * _MIX + tags[:, k]
    return np.sort(keys)


def _pos_keys(doc: Doc) -> np.ndarray:
    """Mixed hashes of every in-sentence POS 5-gram of the doc's non-space tokens."""
    cols = doc.to_array([POS, IS_SPACE, SENT_START]).astype(np.int64)
    if len(cols) == 0:
        return np.zeros(0, dtype=np.uint64)
    starts = cols[:, 2] == 1
    starts[0] = True
    sentence = (np.cumsum(starts) - 1)[cols[:, 1] == 0]
    tags = cols[cols[:, 1] == 0, 0].astype(np.uint64)
    m = len(tags) - POS_N + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    key = np.full(m, POS_N, dtype=np.uint64)
    for k in range(POS_N):
        key = key * _MIX + tags[k : k + m]
    return key[sentence[:m] == sentence[POS_N - 1 :]]


def pos_template_rate(ctx: DocContext) -> MetricResult:
    """Share of the post's POS 5-grams that are in the shipped list of frequent templates.

    POS = spaCy's coarse universal tags (``pos_``) of every non-space token, 5-grams inside a
    sentence. The reference list (models/pos_templates.json, built by
    scripts/build_pos_templates.py) holds the most frequent 5-grams of the bundled demo blog
    corpora. Lower = less formulaic syntax. Needs a tagger.
    """
    try:
        templates = load_pos_templates()
    except (OSError, ValueError, KeyError) as exc:
        reason = f"{POS_TEMPLATES_FILE} unreadable ({exc})"
        return MetricResult(None, Confidence.UNAVAILABLE, detail={"missing": [reason]})
    keys = _pos_keys(ctx.doc)
    if len(keys) == 0:
        return MetricResult(None, Confidence.INSUFFICIENT, detail={"pos_ngrams": 0})
    hits = int(np.isin(keys, _template_keys(templates)).sum())
    detail = {"pos_ngrams": len(keys), "template_hits": hits, "templates": len(templates)}
    return MetricResult(hits / len(keys), _confidence(ctx), detail=detail)
