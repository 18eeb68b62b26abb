"""Phrases for the report: n-grams newly frequent this quarter, and each post's top evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import accumulate

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sqlite_utils import Database

from desktop_app.core.report.model import NewPhrase
from desktop_app.core.trends.corpus_measures import tokens_of

NGRAM_SIZES = (3, 4)
MIN_POSTS_NOW = 2
MIN_SHARE_NOW = 0.10
MAX_SHARE_BEFORE = 0.02
MAX_BEFORE_SAMPLE = 500
TOP_PHRASES = 15
#: Evidence kinds shown as a post's phrases, most telling first (single driving words of the
#: AI-style model and repeated sentence openings are left out: they read as noise alone).
EVIDENCE_ORDER = ("ai_marker", "cliche", "repeated", "recycled")


def _grams(tokens: Sequence[str]) -> set[str]:
    """Word 3- and 4-grams with at least two non-stopwords."""
    content = list(accumulate((t not in ENGLISH_STOP_WORDS for t in tokens), initial=0))
    out = set()
    for n in NGRAM_SIZES:
        for i in range(len(tokens) - n + 1):
            if content[i + n] - content[i] >= 2:
                out.add(" ".join(tokens[i : i + n]))
    return out


def _grams_among(tokens: Sequence[str], wanted: set[str]) -> set[str]:
    """The word 3- and 4-grams of `tokens` that are in `wanted`."""
    out = set()
    for n in NGRAM_SIZES:
        for i in range(len(tokens) - n + 1):
            gram = " ".join(tokens[i : i + n])
            if gram in wanted:
                out.add(gram)
    return out


def sample_before(ids: Sequence[str], seed: int = 7) -> list[str]:
    """At most MAX_BEFORE_SAMPLE earlier post ids, a seeded random sample."""
    pool = sorted(ids)
    if len(pool) <= MAX_BEFORE_SAMPLE:
        return pool
    rng = np.random.default_rng(seed)
    return [pool[i] for i in sorted(rng.choice(len(pool), MAX_BEFORE_SAMPLE, replace=False))]


def _drop_contained(phrases: list[NewPhrase]) -> list[NewPhrase]:
    kept: list[NewPhrase] = []
    for phrase in phrases:
        if not any(phrase.phrase in k.phrase or k.phrase in phrase.phrase for k in kept):
            kept.append(phrase)
    return kept


def new_phrases(now: Sequence[str], before: Sequence[str]) -> list[NewPhrase]:
    """N-grams in >= 2 posts and >= 10% of this quarter's posts but <= 2% of earlier posts."""
    if not now:
        return []
    df_now: Counter[str] = Counter()
    for text in now:
        df_now.update(_grams(tokens_of(text)))
    need = max(MIN_POSTS_NOW, int(np.ceil(MIN_SHARE_NOW * len(now))))
    candidates = {g for g, c in df_now.items() if c >= need}
    df_before: Counter[str] = Counter()
    for text in before:
        df_before.update(_grams_among(tokens_of(text), candidates))
    n_before = max(len(before), 1)
    found = [
        NewPhrase(g, df_now[g], df_now[g] / len(now), df_before[g] / n_before)
        for g in candidates
        if df_before[g] / n_before <= MAX_SHARE_BEFORE
    ]
    found.sort(key=lambda p: (-(p.share_now - p.share_before), -len(p.phrase), p.phrase))
    return _drop_contained(found)[:TOP_PHRASES]


def top_evidence(db: Database, post_ids: Sequence[str], limit: int = 3) -> Mapping[str, list[str]]:
    """Each post's most frequent evidence phrases, flagged kinds first."""
    out: dict[str, list[str]] = {}
    rank = {kind: i for i, kind in enumerate(EVIDENCE_ORDER)}
    for post_id in post_ids:
        rows = db.execute("select kind, text from evidence where post_id = ?", [post_id]).fetchall()
        counts = Counter(
            (rank[kind], text.strip().lower()) for kind, text in rows if text and kind in rank
        )
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        out[post_id] = [t if c == 1 else f"{t} ×{c}" for (_, t), c in ordered[:limit]]
    return out
