"""The shipped AI-style linear model: load it from JSON + NPZ and score a text with numpy only."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.core import paths
from desktop_app.core.aistyle import features as ft
from desktop_app.core.aistyle.terms import content_bearing, name_like, span_term
from desktop_app.core.aistyle.vectorised import TermTable, split_passages
from desktop_app.core.records import Span

MODEL_FORMAT = "content-drift-ai-style/1"
LABEL = "AI-styled prose (estimated)"
TOP_TERMS = 8
MAX_SPANS = 40

#: Below this many words a text gets no AI-style score (too little text to say anything).
MIN_SCORED_WORDS = 20


class AIStyleModelError(Exception):
    """The model files are missing or damaged; the message names the file."""


@dataclass
class AIStyleResult:
    """A post's AI-style score: calibrated probability, evidence spans and the terms behind it."""

    probability: float
    spans: list[Span] = field(default_factory=list)
    top_terms: list[tuple[str, float]] = field(default_factory=list)
    words: int = 0
    chunks: int = 0


@dataclass
class AIStyleModel:
    """Weights of the linear model plus its metadata (vocabulary, calibration, provenance)."""

    meta: dict[str, Any]
    vocab: dict[str, int]
    terms: list[str]
    idf: list[float]
    coef_terms: np.ndarray
    coef_dense: np.ndarray
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    markers: frozenset[str]
    arrays: dict[str, np.ndarray]
    coef_list: list[float] = field(default_factory=list)
    #: Probabilities of stored posts by post id (the id is a hash of the text, so it is safe).
    post_cache: dict[str, float] = field(default_factory=dict)
    _table: TermTable | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Plain-float copy of the term weights (indexing a list is faster than numpy)."""
        self.coef_list = [float(x) for x in self.coef_terms]

    @property
    def version(self) -> str:
        """Model version string (changes whenever the model is retrained differently)."""
        return str(self.meta["version"])

    def passage_terms(self, text: str) -> tuple[dict[int, float], list[float], int]:
        """TF-IDF row, raw dense features and word count of one passage."""
        words = ft.words_of(text)
        row = ft.tf_idf_row(ft.ngram_terms(words), self.vocab, self.idf)
        return row, ft.dense_features(text, words, self.markers), len(words)

    def decision(self, text: str) -> float:
        """Uncalibrated linear score (log-odds) of one passage."""
        row, dense, _ = self.passage_terms(text)
        return self._decision(row, dense)

    def _decision(self, row: dict[int, float], dense: list[float]) -> float:
        coef = self.coef_list
        linear = sum(coef[i] * v for i, v in row.items())
        return linear + float(self._dense_scores([dense])[0]) + self.intercept

    def calibrate(self, decision: float) -> float:
        """Platt-calibrated probability of a decision value."""
        z = self.platt_a * decision + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0

    @property
    def table(self) -> TermTable:
        """Integer lookup tables of the vocabulary (built on first use)."""
        if self._table is None:
            self._table = TermTable(self.terms, self.idf, self.markers)
        return self._table

    def _dense_scores(self, dense: list[list[float]]) -> np.ndarray:
        """Linear score of the standardised dense features, one per row (passage)."""
        return (np.asarray(dense) - self.dense_mean) / self.dense_scale @ self.coef_dense

    def score(self, text: str) -> AIStyleResult:
        """Score a text: mean calibrated probability over ~120-word passages, with evidence.

        Same values as `decision` per passage (the training path), computed with numpy.
        """
        passages = split_passages(text)
        vectors = self.table.text_vectors(text, passages)
        parts = self.coef_terms[vectors.terms] * vectors.weights
        linear = np.bincount(vectors.passage, weights=parts, minlength=len(passages))
        decisions = linear + self._dense_scores(vectors.dense) + self.intercept
        probs = [self.calibrate(float(d)) for d in decisions]
        ranked = _ranked(vectors.terms, parts / len(passages))
        top_terms, spans = _evidence(text, ranked, self.terms)
        return AIStyleResult(
            sum(probs) / len(probs), spans, top_terms, vectors.words, len(passages)
        )


def _ranked(terms: np.ndarray, values: np.ndarray) -> list[tuple[int, float]]:
    """(term index, summed value over all passages), positive sums only, largest first."""
    ids, inverse = np.unique(terms, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=len(ids))
    order = np.lexsort((-ids, -sums))  # ties: the later term first, as sorting (c, term) did
    return [(int(ids[k]), float(sums[k])) for k in order if sums[k] > 0]


def _evidence_terms(ranked: list[tuple[int, float]], terms: list[str], limit: int) -> list[str]:
    """The strongest positive terms that carry content: function words alone ('the', 'a')
    move the score but highlight nothing a writer could act on."""
    shown: list[str] = []
    for index, _ in ranked:
        if content_bearing(terms[index]):
            shown.append(terms[index])
            if len(shown) == limit:
                break
    return shown


def _evidence(
    text: str, ranked: list[tuple[int, float]], terms: list[str]
) -> tuple[list[tuple[str, float]], list[Span]]:
    """The top content terms with their weights and their spans, name-like occurrences left
    out (a term whose every occurrence is name-like is not listed): see `aistyle.evidence`."""
    candidates = _evidence_terms(ranked, terms, 3 * TOP_TERMS)
    found_all = evidence_spans(text, candidates, limit=None)
    spans = [s for s in found_all if not name_like(text, s.start)]
    found = {span_term(s) for s in spans}
    weights = {terms[i]: c for i, c in ranked}
    shown = [t for t in candidates if t in found][:TOP_TERMS]
    kept = set(shown)
    top = [(t, round(weights[t], 6)) for t in shown]
    return top, [s for s in spans if span_term(s) in kept][:MAX_SPANS]


def evidence_spans(text: str, terms: list[str], limit: int | None = MAX_SPANS) -> list[Span]:
    """Spans (kind 'ai_style') of every occurrence of the given uni/bigrams, in text order.

    Tokens are `features.WORD_RE` matches, as in scoring. Rather than walking every token,
    a regex finds where a wanted first word may start and each candidate is then checked
    against the exact token rule.
    """
    wanted = set(terms)
    firsts = sorted({t.split(" ")[0] for t in terms}, key=len, reverse=True)
    if not firsts:
        return []
    alternatives = "|".join(re.escape(w).replace("'", "['’]") for w in firsts)
    candidates = re.compile(rf"(?<![^\W\d_])(?:{alternatives})", re.IGNORECASE)
    spans: list[Span] = []
    for found in candidates.finditer(text):
        token = _token_at(text, found.start())
        if token is None:
            continue
        word = ft.fold(token.group())
        if word in wanted:
            spans.append(Span("ai_style", token.start(), token.end(), token.group()))
        following = ft.WORD_RE.search(text, token.end())
        if following is not None and f"{word} {ft.fold(following.group())}" in wanted:
            end = following.end()
            spans.append(Span("ai_style", token.start(), end, text[token.start() : end]))
    spans.sort(key=lambda s: (s.start, s.end))
    return spans[:limit]


def _token_at(text: str, pos: int) -> re.Match[str] | None:
    """The WORD_RE token starting at `pos`, or None when no token starts there (it would be
    the continuation of the previous token through an apostrophe: rock'n'roll)."""
    if pos >= 2 and text[pos - 1] in "'’" and ft.WORD_RE.match(text[pos - 2]):
        return None
    return ft.WORD_RE.match(text, pos)


def default_model_dir() -> Path:
    """Where the shipped model lives: models/ai_style/ (see paths.ai_style_model_dir)."""
    return paths.ai_style_model_dir()


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AIStyleModelError(f"{path}: cannot read the AI-style model ({exc.strerror})") from exc
    except ValueError as exc:
        raise AIStyleModelError(f"{path}: the AI-style model is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise AIStyleModelError(f"{path}: not a {MODEL_FORMAT} model file")
    return meta


def _read_arrays(path: Path, expected_sha: str) -> dict[str, np.ndarray]:
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise AIStyleModelError(f"{path}: cannot read the model weights ({exc.strerror})") from exc
    if hashlib.sha256(blob).hexdigest() != expected_sha:
        raise AIStyleModelError(f"{path}: the model weights do not match model.json (sha256)")
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def load_model_from(model_dir: Path) -> AIStyleModel:
    """Load model.json + weights.npz from a folder (plain data, no pickles)."""
    meta = _read_meta(model_dir / "model.json")
    try:
        return _build(meta, _read_arrays(model_dir / meta["weights_file"], meta["weights_sha256"]))
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise AIStyleModelError(f"{model_dir}: incomplete AI-style model ({exc!r})") from exc


def _build(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> AIStyleModel:
    terms = list(meta["vocabulary"])
    if len(terms) != len(arrays["coef_terms"]) or len(terms) != len(arrays["idf"]):
        raise ValueError("vocabulary and weights have different sizes")
    calibration = meta["calibration"]
    return AIStyleModel(
        meta=meta,
        vocab={t: i for i, t in enumerate(terms)},
        terms=terms,
        idf=[float(x) for x in arrays["idf"]],
        coef_terms=arrays["coef_terms"],
        coef_dense=arrays["coef_dense"],
        dense_mean=arrays["dense_mean"],
        dense_scale=arrays["dense_scale"],
        intercept=float(arrays["intercept"][0]),
        platt_a=float(calibration["a"]),
        platt_b=float(calibration["b"]),
        markers=frozenset(meta["features"]["marker_words"]),
        arrays=arrays,
    )


@lru_cache(maxsize=4)
def _cached(model_dir: str) -> AIStyleModel:
    return load_model_from(Path(model_dir))


def load_model(model_dir: Path | None = None) -> AIStyleModel:
    """The shipped model (cached after the first load)."""
    return _cached(str(model_dir or default_model_dir()))


def score_text(text: str, model: AIStyleModel | None = None) -> AIStyleResult:
    """Score one text with the shipped model."""
    return (model or load_model()).score(text)
