"""Corpus-level measures per period, on equal-size seeded random samples of posts."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from desktop_app.core.trends.series import MIN_POSTS, SEED, seed_for

MAX_SAMPLE = 20
MAX_TOKENS = 20_000  # per period, after equalising
NGRAM = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

#: Which way is fresher for each corpus measure (for the explanations).
MEASURES = {
    "gzip_ratio": ("Compression ratio (gzip)", "lower is fresher: repetitive text compresses more"),
    "ngram_diversity": ("Word 4-gram diversity", "higher is fresher: distinct / all 4-grams"),
    "homogenization": ("Homogenization", "lower is fresher: mean pairwise TF-IDF cosine of posts"),
}


@dataclass(frozen=True)
class CorpusStat:
    """Corpus measures of one period's sample (None when the period has too few posts)."""

    period: str
    n_posts: int
    sample_size: int
    tokens: int
    gzip_ratio: float | None
    ngram_diversity: float | None
    homogenization: float | None

    @property
    def status(self) -> str:
        """'ok' or why the period has no values."""
        if self.gzip_ratio is not None:
            return "ok"
        return f"too few posts for a sample of {self.sample_size} (n={self.n_posts})"


def tokens_of(text: str) -> list[str]:
    """Lower-cased alphabetic word tokens (the lexical-metrics rule)."""
    return _WORD.findall(text.lower())


def choose_sample_size(counts: Sequence[int]) -> int:
    """Posts per period sample: the 25th percentile of period sizes (>= 3), capped at 20."""
    eligible = [c for c in counts if c >= MIN_POSTS]
    if not eligible:
        return MIN_POSTS
    return int(max(MIN_POSTS, min(MAX_SAMPLE, np.percentile(eligible, 25))))


def sample_ids(period: str, ids: Sequence[str], size: int, seed: int = SEED) -> list[str]:
    """A seeded random sample of `size` ids (sorted first, so reruns agree)."""
    pool = sorted(ids)
    rng = np.random.default_rng(seed_for(period, seed))
    return [pool[i] for i in sorted(rng.choice(len(pool), size=size, replace=False))]


def gzip_ratio(text: str) -> float:
    """Raw bytes / gzip-compressed bytes (mtime fixed so it is reproducible)."""
    raw = text.encode("utf-8")
    return len(raw) / len(gzip.compress(raw, compresslevel=9, mtime=0))


def ngram_diversity(tokens: Sequence[str], n: int = NGRAM) -> float | None:
    """Distinct word n-grams / all word n-grams."""
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return len(set(grams)) / len(grams) if grams else None


def homogenization(matrix: np.ndarray) -> float | None:
    """Mean pairwise cosine similarity between the rows (posts) of a TF-IDF matrix."""
    rows = matrix.shape[0]
    if rows < 2:
        return None
    sims = cosine_similarity(matrix)
    return float((sims.sum() - np.trace(sims)) / (rows * (rows - 1)))


def _equal_budget(samples: Mapping[str, list[list[str]]]) -> int:
    totals = [sum(len(t) for t in posts) for posts in samples.values()]
    return min([MAX_TOKENS, *totals]) if totals else 0


def _truncate(posts: list[list[str]], budget: int) -> list[str]:
    joined = [tok for post in posts for tok in post]
    return joined[:budget]


def corpus_measures(
    ids_by_period: Mapping[str, Sequence[str]],
    fetch_texts: Callable[[list[str]], Mapping[str, str]],
    sample_size: int | None = None,
    seed: int = SEED,
) -> list[CorpusStat]:
    """Measures for every period; periods with fewer posts than the sample size get None."""
    size = sample_size or choose_sample_size([len(v) for v in ids_by_period.values()])
    chosen = {
        p: sample_ids(p, ids, size, seed) for p, ids in ids_by_period.items() if len(ids) >= size
    }
    texts = fetch_texts(sorted({i for ids in chosen.values() for i in ids}))
    docs = {p: [texts.get(i, "") for i in ids] for p, ids in chosen.items()}
    tokens = {p: [tokens_of(t) for t in d] for p, d in docs.items()}
    budget = _equal_budget(tokens)
    tfidf = _tfidf_by_period(docs)
    out = []
    for period, ids in ids_by_period.items():
        if period not in chosen:
            out.append(CorpusStat(period, len(ids), size, 0, None, None, None))
            continue
        words = _truncate(tokens[period], budget)
        out.append(
            CorpusStat(
                period,
                len(ids),
                size,
                len(words),
                gzip_ratio(" ".join(words)),
                ngram_diversity(words),
                homogenization(tfidf[period]),
            )
        )
    return out


def _tfidf_by_period(docs: Mapping[str, list[str]]) -> dict[str, np.ndarray]:
    """TF-IDF rows per period from one vectorizer fitted on every sampled post."""
    order = [(p, i) for p, texts in docs.items() for i in range(len(texts))]
    if not order:
        return {}
    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    try:
        matrix = vectorizer.fit_transform([docs[p][i] for p, i in order])
    except ValueError:  # every sampled text empty
        return {p: np.zeros((len(d), 1)) for p, d in docs.items()}
    rows: dict[str, list[int]] = {}
    for row, (period, _) in enumerate(order):
        rows.setdefault(period, []).append(row)
    return {p: matrix[r] for p, r in rows.items()}
