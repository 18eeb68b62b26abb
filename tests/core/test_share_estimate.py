"""The team-relative AI-styled share, the false-discovery control and the fixed-size reference.

Checked against worked examples and independent computations: scipy-free Benjamini-Hochberg
by hand, the method-of-moments period spread by hand, a brute-force 4-gram window, and mixtures
of the labelled set's own out-of-fold scores at known shares.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from desktop_app.core.aistyle.model import load_model
from desktop_app.core.aistyle.share import (
    Reference,
    between_period_spread,
    estimate_share,
    logits,
    pooled_share,
)
from desktop_app.core.metrics.corpus_index import IndexedPost, build_index, tokenize
from desktop_app.core.trends.verdicts import fdr_adjust
from tests.conftest import DEMO


def test_benjamini_hochberg_worked_example() -> None:
    # sorted p 0.01, 0.03, 0.04, 0.2 (m = 4): p*m/rank = 0.04, 0.06, 0.0533, 0.2, then the
    # running minimum from the top: 0.04, 0.0533, 0.0533, 0.2
    q = fdr_adjust([0.04, 0.01, 0.2, 0.03])
    assert q == pytest.approx([0.16 / 3, 0.04, 0.2, 0.16 / 3])
    assert fdr_adjust([]) == []


def test_between_period_spread_worked_example() -> None:
    scores = np.array([0.0, 2.0, 4.0, 6.0, 8.0, 10.0])
    keys = ["a", "a", "b", "b", "c", "c"]
    # period means 1, 5, 9: variance 16; within-period variance 2, mean 1/n = 1/2 -> 16 - 1
    assert between_period_spread(scores, keys) == pytest.approx(np.sqrt(15.0))
    assert between_period_spread(np.array([0.0, 2.0, 0.5, 1.5, 1.2, 0.8]), keys) == 0.0
    assert between_period_spread(scores[:4], keys[:4]) == 0.0  # fewer than 3 periods


@pytest.fixture(scope="module")
def labelled() -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of the labelled human and AI passages (shuffled, seeded)."""
    arrays = load_model().arrays
    rng = np.random.default_rng(7)
    return rng.permutation(arrays["oof_probability_human"]), arrays["oof_probability_ai"]


def test_posts_like_the_team_read_zero_and_ai_posts_read_high(
    labelled: tuple[np.ndarray, np.ndarray],
) -> None:
    human, ai = labelled
    reference = Reference.of(human[:400], ai)
    ordinary = estimate_share(human[400:440], reference)
    assert ordinary.share == 0.0 and ordinary.ci_low == 0.0 and ordinary.p_value > 0.05
    rewritten = estimate_share(np.random.default_rng(1).permutation(ai)[:40], reference)
    assert rewritten.share is not None and rewritten.share >= 0.8 and rewritten.p_value < 0.001
    assert rewritten.ci_low is not None and rewritten.ci_low > 0.5
    assert estimate_share(human[400:402], reference).share is None  # too few posts


def test_known_mixtures_are_recovered_within_the_interval(
    labelled: tuple[np.ndarray, np.ndarray],
) -> None:
    human, ai = labelled
    reference = Reference.of(human[:400], ai)
    rng = np.random.default_rng(3)
    errors, covered = [], []
    for trial in range(40):
        true = (0.0, 0.25, 0.5, 0.75)[trial % 4]
        k = round(true * 30)
        sample = np.concatenate([rng.choice(human[400:], 30 - k), rng.choice(ai, k)])
        est = estimate_share(sample, reference, seed=trial)
        assert est.share is not None and est.ci_low is not None and est.ci_high is not None
        errors.append(abs(est.share - k / 30))
        covered.append(est.ci_low <= k / 30 <= est.ci_high)
    assert float(np.mean(errors)) <= 0.12 and float(np.mean(covered)) >= 0.8


def test_a_quarter_that_only_shifts_in_style_is_not_read_as_ai(
    labelled: tuple[np.ndarray, np.ndarray],
) -> None:
    """A team whose quarters wander: a quarter shifted like the others is not AI use."""
    human, ai = labelled
    rng = np.random.default_rng(5)
    shifts = rng.normal(0, 1.0, 12)
    keys = [f"q{i}" for i in range(12) for _ in range(15)]
    scores = np.concatenate([logits(rng.choice(human, 15)) + s for s in shifts])
    probs = 1 / (1 + np.exp(-scores))
    wandering = Reference.of(probs, ai, keys)
    assert wandering.tau > 0.5
    shifted = 1 / (1 + np.exp(-(logits(rng.choice(human, 15)) + 1.0)))
    assert estimate_share(shifted, wandering).share == pytest.approx(0.0, abs=0.1)
    level = pooled_share(keys, probs, wandering, own_keys=keys)
    assert level.share is not None and level.share <= 0.05 and level.ci_low == 0.0


def _brute_force_recycled(texts: list[str], query: str, start: int, end: int) -> set[str]:
    """Content-bearing 4-grams of `query` that occur in texts[start:end] (plain Python sets)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    def grams(text: str) -> list[tuple[str, ...]]:
        words = tokenize(text).words
        return [tuple(words[i : i + 4]) for i in range(len(words) - 3)]

    window = {g for t in texts[start:end] for g in grams(t)}
    return {
        " ".join(g) for g in grams(query) if g in window and any(w not in STOP_WORDS for w in g)
    }


def test_recycled_window_equals_a_brute_force_count_over_the_reference_posts() -> None:
    files = sorted((DEMO / "letsencrypt-blog").glob("*.markdown"))[:30]
    texts = [f.read_text(encoding="utf-8") for f in files]
    posts = [(IndexedPost(str(i), str(i), date(2015, 1, 1 + i)), t) for i, t in enumerate(texts)]
    index = build_index(posts, reference_posts=10)
    query = tokenize(texts[25])
    window = index.window(25)
    assert window == (15, 25)
    lookup = index.lookup_ngrams(query, *window)
    words = query.words
    found = {
        " ".join(words[i : i + 4]) for i in np.flatnonzero(lookup.content & (lookup.source >= 0))
    }
    assert found == _brute_force_recycled(texts, texts[25], 15, 25)
    assert all(15 <= s < 25 for s in lookup.source[lookup.source >= 0])


def test_a_shift_is_dated_from_where_it_starts_not_mid_ramp() -> None:
    from desktop_app.core.trends.aistyle_verdict import change_onsets

    ramp = [0.0] * 6 + [0.2, 0.4, 0.6, 0.8] + [0.8] * 4
    assert change_onsets(ramp, [8]) == [6]  # the ramp starts at index 6
    assert change_onsets([0.0] * 8 + [0.5] * 8, [8]) == [8]  # a clean step stays put
    assert change_onsets([0.5] * 8 + [0.0] * 8, [8]) == [8]
    assert change_onsets([0.0] * 10 + [0.3] * 6, [10]) == [10]


def test_shift_weights_are_scipys_normal_log_density_exactly() -> None:
    """The shift prior is computed without importing scipy.stats: it must be bit for bit
    what scipy.stats.norm.logpdf gives (a different prior would move every share)."""
    from scipy import stats
    from scipy.special import logsumexp

    from desktop_app.core.aistyle import share

    expected = stats.norm.logpdf(share._SHIFT_Z) - logsumexp(stats.norm.logpdf(share._SHIFT_Z))
    assert np.array_equal(share._SHIFT_LOG_W, expected)
