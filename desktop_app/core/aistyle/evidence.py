"""AI-style evidence a person would accept: content words, no names, nothing the team wrote as
often before it used AI.

* **Content words only.** A term shows when at least one of its words is longer than two
  letters and not one of spaCy's English stop words; tokens are alphabetic, so numbers and
  symbols never show. An occurrence capitalised in the middle of a sentence is name-like
  ("Go", "Docker") and is not highlighted; a term left without occurrences is not listed.
* **Not the team's own habit.** A term whose document frequency in the team's pre-AI posts is
  at least its document frequency in the labelled AI passages is not evidence of a change
  ("thanks to", "join us" in a blog's boilerplate). Both frequencies are per ~120-word passage
  (`vectorised.split_passages`, the unit the model scores; the labelled passages are ~125
  words), so a long post does not count as more likely to contain a term than a short one.
  The pre-AI posts are those of `team.pre_ai_posts` (before the AI-adoption date), at most
  MAX_PRE_AI_POSTS of them evenly spread over time; with fewer than MIN_REFERENCE_PASSAGES
  passages nothing is dropped. The labelled AI frequencies ship in
  ``models/ai_style/evidence_df.npz`` (built by ``scripts/train_ai_style.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from desktop_app.core.aistyle import features as ft
from desktop_app.core.aistyle.terms import E, Evidence, span_term
from desktop_app.core.aistyle.vectorised import split_passages
from desktop_app.core.settings import Settings

EVIDENCE_DF_FILE = "evidence_df.npz"
MAX_PRE_AI_POSTS = 500
MIN_REFERENCE_PASSAGES = 20


@dataclass(frozen=True)
class TeamReference:
    """The team's pre-AI writing as ~120-word passages: ' w1 w2 ... ' strings, folded."""

    passages: tuple[str, ...]
    posts: int

    def frequency(self, term: str) -> float:
        """Share of passages that contain `term` (0 when there are none)."""
        if not self.passages:
            return 0.0
        needle = f" {term} "
        return sum(needle in p for p in self.passages) / len(self.passages)


def team_reference(texts: Iterable[str]) -> TeamReference:
    """The passages of some texts (pre-AI posts) as a reference for term frequencies."""
    passages: list[str] = []
    count = 0
    for text in texts:
        count += 1
        for passage in split_passages(text):
            if passage.words:
                passages.append(" " + " ".join(ft.fold(w) for w in passage.words) + " ")
    return TeamReference(tuple(passages), count)


def evenly(items: Sequence[str], limit: int) -> list[str]:
    """At most `limit` items spread evenly over the sequence (deterministic)."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(k * step)] for k in range(limit)]


def pre_ai_reference(db: Database, settings: Settings) -> TeamReference:
    """The reference built from the team's pre-AI posts (an even sample of at most 500)."""
    from desktop_app.core.aistyle.team import pre_ai_posts
    from desktop_app.core.history.repository import fetch_texts

    refs = sorted(pre_ai_posts(db, settings), key=lambda p: (p.published, p.id))
    ids = evenly([p.id for p in refs], MAX_PRE_AI_POSTS)
    texts = fetch_texts(db, ids)
    return team_reference(texts[i] for i in ids if i in texts)


@dataclass(frozen=True)
class AIFrequencies:
    """Document frequency of each model term over the labelled AI passages."""

    counts: dict[str, int]
    passages: int

    def frequency(self, term: str) -> float:
        """Share of labelled AI passages that contain `term`."""
        return self.counts.get(term, 0) / self.passages if self.passages else 0.0


_AI_CACHE: dict[str, AIFrequencies | None] = {}


def load_ai_frequencies(model_dir: Path, terms: Sequence[str]) -> AIFrequencies | None:
    """The AI passage frequencies shipped beside a model's vocabulary `terms` (cached per
    folder; None when the file is missing, damaged or does not fit the vocabulary)."""
    key = str(model_dir)
    if key not in _AI_CACHE:
        _AI_CACHE[key] = _read_ai_frequencies(model_dir / EVIDENCE_DF_FILE, terms)
    return _AI_CACHE[key]


def _read_ai_frequencies(path: Path, terms: Sequence[str]) -> AIFrequencies | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            counts, n = data["ai_df"], int(data["n_ai_passages"][0])
    except (OSError, KeyError, ValueError, IndexError):
        return None
    if len(counts) != len(terms):
        return None
    return AIFrequencies({t: int(c) for t, c in zip(terms, counts, strict=True) if c}, n)


def shipped_ai_frequencies() -> AIFrequencies | None:
    """The AI passage frequencies of the shipped model (None without the model or the file)."""
    from desktop_app.core.aistyle.model import AIStyleModelError, default_model_dir, load_model

    try:
        model = load_model()
    except AIStyleModelError:
        return None
    return load_ai_frequencies(default_model_dir(), model.terms)


def team_common(terms: Iterable[str], team: TeamReference, ai: AIFrequencies) -> set[str]:
    """The terms at least as frequent in the team's pre-AI passages as in labelled AI text."""
    if len(team.passages) < MIN_REFERENCE_PASSAGES:
        return set()
    return {t for t in terms if team.frequency(t) >= ai.frequency(t)}


def shown_terms(spans: Iterable[Evidence], detail: Mapping[str, Any]) -> set[str]:
    """The AI-style terms a result shows: its spans' terms and its listed top terms."""
    terms = {span_term(s) for s in spans if s.kind == "ai_style"}
    return terms | {str(t[0]) for t in detail.get("top_terms", []) if t}


def dropped_terms(terms: Iterable[str], team: TeamReference | None) -> set[str]:
    """The terms not to show as evidence for this team (empty without a reference)."""
    ai = shipped_ai_frequencies() if team is not None else None
    return team_common(terms, team, ai) if team is not None and ai is not None else set()


def without_terms(spans: Sequence[E], dropped: set[str]) -> list[E]:
    """The spans minus AI-style spans that show a dropped term."""
    return [s for s in spans if s.kind != "ai_style" or span_term(s) not in dropped]


def detail_without(detail: Mapping[str, Any], dropped: set[str]) -> dict[str, Any]:
    """An AI-style detail dict with the dropped terms out of ``top_terms`` and listed apart."""
    out = dict(detail)
    out["top_terms"] = [t for t in detail.get("top_terms", []) if t and t[0] not in dropped]
    out["team_common_terms"] = sorted(dropped)
    return out
