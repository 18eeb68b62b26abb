"""Trend statistics against worked examples and scipy on constructed series."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest
from scipy import stats

from desktop_app.core.records import Direction
from desktop_app.core.trends.periods import period_bounds, period_key, period_range
from desktop_app.core.trends.series import bootstrap_interval, build_series, period_stat
from desktop_app.core.trends.statistics import (
    change_points,
    cliffs_delta,
    compare_groups,
    trend_test,
)
from desktop_app.core.trends.verdicts import MetricInfo, trend_verdict

MTLD = MetricInfo("mtld", "Lexical diversity (MTLD)", "tokens", Direction.HIGHER_BETTER)
CLICHE = MetricInfo("cliche_density", "Genericness (stock phrases)", "", Direction.LOWER_BETTER)


def _quarterly(means: list[float], per_quarter: int = 5, noise: float = 0.0, seed: int = 1):
    rng = np.random.default_rng(seed)
    obs = []
    for q, mean in enumerate(means):
        day = date(2018 + q // 4, (q % 4) * 3 + 1, 15)
        obs += [(day, float(mean + rng.normal(0, noise))) for _ in range(per_quarter)]
    return obs


def test_periods_keys_ranges_and_bounds() -> None:
    assert period_key(date(2025, 8, 31), "quarter") == "2025Q3"
    assert period_key(date(2025, 8, 31), "month") == "2025-08"
    assert period_range("2024Q3", "2025Q2") == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert period_bounds("2025Q3") == (date(2025, 7, 1), date(2025, 9, 30))
    assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))


def test_mann_kendall_hand_worked_example() -> None:
    # x = 1 3 2 4: pairs (i<j) signs: +1 +1 +1 -1 +1 +1 -> S = 4, var(S) = 4*3*13/18 = 26/3
    # z = (S - 1) / sqrt(var) = 3 / 2.944 = 1.019 -> two-sided p = 0.308
    result = trend_test([0, 1, 2, 3], [1, 3, 2, 4])
    assert result.p == pytest.approx(0.3082, abs=1e-3)
    assert result.tau == pytest.approx(4 / 6)


def test_theil_sen_matches_scipy_on_noisy_series() -> None:
    rng = np.random.default_rng(5)
    x = np.arange(20)
    y = 50 - 1.5 * x + rng.normal(0, 3, 20)
    ours = trend_test(x, y)
    ref = stats.theilslopes(y, x, alpha=0.90)
    assert ours.slope == pytest.approx(ref.slope)
    assert (ours.slope_low, ours.slope_high) == pytest.approx((ref.low_slope, ref.high_slope))
    assert ours.trend == "decreasing" and ours.significant


def test_verdict_falling_diversity_is_worse_with_slope_in_sentence() -> None:
    series = build_series(_quarterly([80 - 2 * q for q in range(12)], noise=1.0), "quarter")
    verdict = trend_verdict(MTLD, series)
    assert verdict.status == "trend" and verdict.judgement == "worse"
    assert verdict.test is not None and verdict.test.slope == pytest.approx(-2, abs=0.3)
    assert "has fallen over 12 quarters" in verdict.sentence and "(worse)" in verdict.sentence


def test_verdict_rising_cliches_is_worse_and_falling_is_better() -> None:
    rising = trend_verdict(
        CLICHE, build_series(_quarterly([q * 0.5 for q in range(10)]), "quarter")
    )
    falling = trend_verdict(CLICHE, build_series(_quarterly([9 - q for q in range(10)]), "quarter"))
    assert (rising.judgement, falling.judgement) == ("worse", "better")


def test_flat_noisy_series_is_not_significant_and_never_no_trend() -> None:
    series = build_series(_quarterly([70.0] * 12, noise=4.0, seed=3), "quarter")
    verdict = trend_verdict(MTLD, series)
    assert verdict.status == "no_significant_trend" and verdict.judgement == "neutral"
    assert "no trend" not in verdict.sentence


def test_too_short_series_says_not_enough_evidence() -> None:
    series = build_series(_quarterly([80 - 5 * q for q in range(7)]), "quarter")
    verdict = trend_verdict(MTLD, series)
    assert verdict.status == "not_enough_evidence" and verdict.test is None
    assert "not enough evidence" in verdict.sentence and "no trend" not in verdict.sentence


def test_sparse_periods_are_shown_not_hidden() -> None:
    obs = [*_quarterly([10.0, 11.0], per_quarter=4), (date(2019, 2, 1), 5.0)]
    series = build_series(obs, "quarter")
    assert [p.period for p in series] == ["2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1"]
    assert series[2].n == 0 and series[2].status == "too few posts (n=0)"
    assert series[4].n == 1 and series[4].ci_low is None and not series[4].enough


def test_change_point_found_at_step_of_30_point_series() -> None:
    rng = np.random.default_rng(11)
    values = np.r_[rng.normal(10, 1, 18), rng.normal(15, 1, 12)]
    assert change_points(values) == [18]
    assert change_points(rng.normal(10, 1, 30)) == []
    assert change_points(values[:23]) == []  # below 24 periods: no change-point analysis


def test_cliffs_delta_worked_example() -> None:
    # a > b in 1 pair (4 > 3), a < b in 17 of 20 pairs -> (1 - 17) / 20 = -0.8
    assert cliffs_delta([1, 2, 3, 4], [3, 4, 5, 6, 7]) == pytest.approx(-0.8)
    cmp = compare_groups([1, 2, 3, 4], [3, 4, 5, 6, 7])
    assert cmp.delta == pytest.approx(-0.8) and cmp.magnitude == "large"
    ref = stats.mannwhitneyu([1, 2, 3, 4], [3, 4, 5, 6, 7], alternative="two-sided")
    assert cmp.p == pytest.approx(ref.pvalue)


def test_compare_groups_refuses_tiny_groups() -> None:
    cmp = compare_groups([1.0, 2.0], [3.0, 4.0, 5.0])
    assert not cmp.enough and cmp.p is None and cmp.delta is None


def test_bootstrap_interval_contains_mean_and_is_seeded() -> None:
    values = list(np.random.default_rng(2).gamma(2.0, 3.0, 40))
    low, high = bootstrap_interval(values, seed=9)
    assert low < float(np.mean(values)) < high
    assert bootstrap_interval(values, seed=9) == (low, high)
    assert bootstrap_interval(values, seed=10) != (low, high)
    stat = period_stat("2024Q1", values)
    assert stat == period_stat("2024Q1", values)
    assert stat.median == pytest.approx(float(np.median(values)))


def _penalised_l2(values: np.ndarray, breaks: list[int], penalty: float) -> float:
    edges = [0, *breaks, values.size]
    segments = [values[a:b] for a, b in itertools.pairwise(edges)]
    return sum(float(((s - s.mean()) ** 2).sum()) for s in segments) + penalty * len(breaks)


def test_change_points_match_or_beat_ruptures_pelt_l2() -> None:
    import ruptures

    from desktop_app.core.trends.statistics import _noise_scale

    rng = np.random.default_rng(4)
    values = np.r_[rng.normal(5, 1, 12), rng.normal(9, 1, 14), rng.normal(6, 1, 10)]
    penalty = 2.0 * np.log(values.size) * _noise_scale(values) ** 2
    pelt = [int(i) for i in ruptures.Pelt(model="l2", min_size=6, jump=1).fit(values).predict(
        pen=penalty)[:-1]]  # fmt: skip
    ours = change_points(values)
    assert len(ours) == len(pelt) == 2 and ours[0] == pelt[0] == 12
    assert abs(ours[1] - 26) <= 1
    # the C PELT (KernelCPD, linear kernel) reaches the exact optimum of the same objective
    assert _penalised_l2(values, ours, penalty) <= _penalised_l2(values, pelt, penalty)


def test_plain_sentences_say_the_verdict_without_statistics() -> None:
    from desktop_app.core.trends.series import PeriodStat
    from desktop_app.core.trends.verdicts import plain_sentence

    info = MetricInfo("cliche_density", "Stock phrases", "per 1,000 words", Direction.LOWER_BETTER)
    periods = period_range("2022Q1", "2024Q4")
    rising = [PeriodStat(p, 5, float(i), float(i), None, None) for i, p in enumerate(periods)]
    flat = [PeriodStat(p, 5, float(i % 2), None, None, None) for i, p in enumerate(periods)]
    short = rising[:4]
    texts = [plain_sentence(info.label, trend_verdict(info, s)) for s in (rising, flat, short)]
    assert texts == [
        "Stock phrases: rising over 12 quarters (worse).",
        "Stock phrases: no clear trend over 12 quarters.",
        "Stock phrases: not enough evidence yet (4 of 8 quarters needed with at least 3 posts).",
    ]
    for text in texts:
        assert "Mann" not in text and "p =" not in text and "slope" not in text
