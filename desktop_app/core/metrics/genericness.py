"""Genericness: AI-marker words and stock phrases per 1,000 words, and specificity per 100 words.

Lexicon matching works on word forms, identically with and without a trained pipeline:
a marker word matches its regular inflections (delve, delves, delved, delving), compared
lower-cased with straightened apostrophes; a stock phrase matches the same token sequence
(so "game-changer" matches "Game-Changer" and "game - changer"), longest phrase first,
without overlaps. A match on a name, a code identifier or a symbol's name ("Delve" the
debugger, `delve_mode`, "dots to underscores") is neither counted nor shown: see
`lexicon_guard`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import LIKE_NUM, POS
from spacy.symbols import PROPN
from spacy.tokens import Doc

from desktop_app.core.metrics.context import C_LOWER, C_SPACE, DocContext
from desktop_app.core.metrics.lexicon_guard import excluded, phrase_excluded
from desktop_app.core.metrics.lexicons import Lexicons, normalise_form
from desktop_app.core.records import MIN_WORDS, Confidence, MetricResult, Span

#: Entity labels that are numbers in disguise: counted through their number tokens instead.
NUMERIC_ENTITIES = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)


def _rate(ctx: DocContext, count: int, per: int) -> tuple[float | None, Confidence]:
    n = ctx.n_words
    if n == 0:
        return None, Confidence.INSUFFICIENT
    return count * per / n, Confidence.LOW if n < MIN_WORDS else Confidence.OK


def marker_spans(ctx: DocContext) -> list[Span]:
    """Every lexical word whose form is in the AI-marker lexicon, as an 'ai_marker' span
    (names, code identifiers and symbols' names excepted)."""
    forms = ctx.lexicons.marker_forms
    is_marker = np.array([w in forms for w in ctx.type_words], dtype=bool)
    if not is_marker.any():  # looked up once per distinct word, not per occurrence
        return []
    index = ctx.arrays.word_index
    caps = ctx.pipeline.capabilities
    spans = []
    for pos in np.flatnonzero(is_marker[ctx.types.codes]).tolist():
        if not excluded(ctx.doc, int(index[pos]), ctx.text, caps):
            tok = ctx.doc[int(index[pos])]
            spans.append(Span("ai_marker", tok.idx, tok.idx + len(tok.text), tok.text))
    return spans


def ai_marker_density(ctx: DocContext) -> MetricResult:
    """AI-marker lexicon hits per 1,000 lexical words; lower is better."""
    spans = marker_spans(ctx)
    value, conf = _rate(ctx, len(spans), 1000)
    forms = ctx.lexicons.marker_forms
    words = sorted({forms[normalise_form(s.text)] for s in spans})
    return MetricResult(value, conf, spans, {"hits": len(spans), "words": words})


def phrase_spans(ctx: DocContext) -> list[Span]:
    """Non-overlapping stock-phrase matches (longest first) as 'cliche' spans; a match inside
    code or a longer name is dropped (its words may start another match)."""
    doc: Doc = ctx.doc
    lex = ctx.lexicons
    cols = ctx.columns
    if not lex.phrase_index or len(cols) == 0:
        return []
    keep = np.flatnonzero(cols[:, C_SPACE] == 0)  # phrases are matched ignoring whitespace
    spans: list[Span] = []
    after = -1
    for pos in _candidates(cols[keep, C_LOWER].tolist(), lex):
        if pos <= after:
            continue
        match = _match_at(doc, keep, pos, lex.phrase_index)
        ends = int(keep[pos]), int(keep[pos + match - 1]) if match else 0
        if match and not phrase_excluded(doc, *ends, ctx.text, ctx.pipeline.capabilities):
            first, last = doc[ends[0]], doc[ends[1]]
            a, b = first.idx, last.idx + len(last.text)
            spans.append(Span("cliche", a, b, ctx.text[a:b]))
            after = pos + match - 1
    return spans


def _candidates(hashes: list[int], lex: Lexicons) -> list[int]:
    """Positions whose token (one-token phrases) or token pair could start a phrase."""
    heads, pairs = lex.head_hashes, lex.pair_hashes
    nxt = [*hashes[1:], 0] if hashes else []
    return [
        i for i, (h, n) in enumerate(zip(hashes, nxt, strict=True)) if h in heads or (h, n) in pairs
    ]


def _match_at(doc: Doc, keep: np.ndarray, pos: int, index: dict[str, list[tuple[str, ...]]]) -> int:
    """Length (in non-space tokens) of the longest phrase starting at `pos`, or 0."""
    window = max(len(p) for p in index.get(normalise_form(doc[int(keep[pos])].text), [()]))
    norms = tuple(normalise_form(doc[int(i)].text) for i in keep[pos : pos + window])
    for phrase in index.get(norms[0], ()):
        if norms[: len(phrase)] == phrase:
            return len(phrase)
    return 0


def cliche_density(ctx: DocContext) -> MetricResult:
    """Stock-phrase matches per 1,000 lexical words; lower is better."""
    spans = phrase_spans(ctx)
    value, conf = _rate(ctx, len(spans), 1000)
    phrases = sorted({" ".join(normalise_form(s.text).split()) for s in spans})
    return MetricResult(value, conf, spans, {"hits": len(spans), "phrases": phrases})


def specificity(ctx: DocContext) -> MetricResult:
    """Numbers + named entities + other proper nouns per 100 lexical words; higher is better.

    A number is a token that looks like one (``like_num``: 42, 3.5, "twelve"). With NER, each
    non-numeric entity (person, organisation, product, place, event, ...) counts once and
    proper nouns inside an entity are not counted again; numeric entity types (dates, money,
    percentages, ...) are counted through their number tokens. Without NER (tagger only):
    numbers + proper-noun tokens, and the detail says so.
    """
    doc: Doc = ctx.doc
    has_ner = "ner" in ctx.pipeline.capabilities
    cols = doc.to_array([LIKE_NUM, POS])
    is_num = cols[:, 0].astype(bool) if len(cols) else np.zeros(0, dtype=bool)
    propn_mask = (cols[:, 1] == PROPN) & ~is_num if len(cols) else is_num
    entities = 0
    if has_ner:
        for ent in doc.ents:
            if ent.label_ not in NUMERIC_ENTITIES:
                entities += 1
                propn_mask[ent.start : ent.end] = False  # the entity already counted once
    numbers, propn = int(is_num.sum()), int(propn_mask.sum())
    value, conf = _rate(ctx, numbers + entities + propn, 100)
    detail: dict[str, Any] = {"numbers": numbers, "entities": entities, "proper_nouns": propn}
    if not has_ner:
        detail["note"] = "no entity recogniser in this pipeline: numbers and proper nouns only"
    return MetricResult(value, conf, detail=detail)
