"""Plain-language verdicts: trend direction judged better/worse by the metric's direction.

Many measures are tested in one run, so a verdict word ("better"/"worse") needs the
Benjamini-Hochberg adjusted p-value (``q``, false discovery rate across every test of the run,
see ``fdr_adjust``) below ALPHA, not just the raw p. ``trend_verdict`` judges one series on
its own (q = p); ``compute_trends`` adjusts the run's tests together and ``settle``s them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from desktop_app.core.records import Direction
from desktop_app.core.trends.periods import granularity_of, period_index
from desktop_app.core.trends.series import MIN_POSTS, PeriodStat, usable
from desktop_app.core.trends.statistics import (
    ALPHA,
    MIN_TREND_PERIODS,
    GroupComparison,
    TrendTest,
    change_points,
    trend_test,
)


@dataclass(frozen=True)
class MetricInfo:
    """What a verdict needs to know about a metric (taken from the registry)."""

    name: str
    label: str
    unit: str
    direction: Direction
    dimension: str = ""
    description: str = ""


@dataclass
class TrendVerdict:
    """The verdict for one metric series."""

    metric: str
    status: str  # trend | no_significant_trend | not_enough_evidence | not_assessed
    judgement: str  # better | worse | neutral
    periods_used: int
    periods_total: int
    test: TrendTest | None = None
    change_points: list[str] = field(default_factory=list)
    run_length: int = 0
    sentence: str = ""
    #: The p-value that enters the false-discovery control (None: nothing was tested).
    p: float | None = None
    #: Benjamini-Hochberg adjusted p over every test of the run (None: nothing was tested).
    q: float | None = None
    #: How many tests the adjustment covered.
    family: int = 1


def fdr_adjust(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (scipy.stats.false_discovery_control)."""
    if not p_values:
        return []
    return [float(q) for q in stats.false_discovery_control(np.asarray(p_values), method="bh")]


def fmt_q(q: float | None, family: int) -> str:
    """'adjusted for 17 tests q = 0.21' (the false-discovery-controlled value)."""
    if q is None:
        return ""
    shown = "q < 0.001" if q < 0.001 else f"q = {q:.2g}" if q < 0.1 else f"q = {q:.2f}"
    return f"{shown} adjusted for {family} tests" if family > 1 else shown


def fmt(value: float | None, digits: int = 3) -> str:
    """A number with `digits` significant digits and a real minus sign."""
    if value is None:
        return "n/a"
    text = f"{value:.{digits}g}"
    if "e" in text:
        decimals = digits - 1 - math.floor(math.log10(abs(value)))
        text = f"{value:.{min(max(decimals, 0), 12)}f}"
    return text.replace("-", "−")


def fmt_signed(value: float, digits: int = 3) -> str:
    """fmt() with an explicit plus sign for positive values."""
    return ("+" if value > 0 else "") + fmt(value, digits)


def fmt_p(p: float | None) -> str:
    """'p = 0.012' or 'p < 0.001'."""
    if p is None:
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}" if p < 0.1 else f"p = {p:.2f}"


def judge(increasing: bool, direction: Direction) -> str:
    """'better' or 'worse' for a movement, given which way is fresher."""
    good = increasing == (direction == Direction.HIGHER_BETTER)
    return "better" if good else "worse"


def trailing_run(values: Sequence[float], increasing: bool) -> int:
    """How many consecutive period-to-period steps at the end move in the given direction."""
    run = 0
    for prev, cur in zip(reversed(values[:-1]), reversed(values[1:]), strict=True):
        if (cur > prev) if increasing else (cur < prev):
            run += 1
        else:
            break
    return run


_SCALE_UNITS = ("0-1", "ratio", "score")


def _unit_per(info: MetricInfo, by: str) -> str:
    """' tokens per quarter'; scale-like units (ratios, scores) are left out."""
    unit = info.unit if info.unit and not any(u in info.unit for u in _SCALE_UNITS) else ""
    return f" {unit} per {by}" if unit else f" per {by}"


def _not_enough(info: MetricInfo, n_used: int, n_total: int, by: str) -> str:
    return (
        f"{info.label}: not enough evidence for a trend verdict — {n_used} of {n_total} "
        f"{by}s have at least {MIN_POSTS} posts ({MIN_TREND_PERIODS} needed)."
    )


def _trend_sentence(info: MetricInfo, verdict: TrendVerdict, span: str, by: str) -> str:
    t = verdict.test
    assert t is not None
    slope = (
        f"Theil-Sen slope {fmt_signed(t.slope)}{_unit_per(info, by)} "
        f"(90% CI {fmt(t.slope_low)} to {fmt(t.slope_high)}), Mann-Kendall {fmt_p(t.p)}"
    )
    if verdict.family > 1:
        slope += f", {fmt_q(verdict.q, verdict.family)}"
    if verdict.status != "trend":
        return (
            f"{info.label} shows no statistically significant trend over "
            f"{verdict.periods_used} {by}s ({span}); {slope}."
        )
    moved = "risen" if t.slope > 0 or t.trend == "increasing" else "fallen"
    text = f"{info.label} has {moved} over {verdict.periods_used} {by}s ({span}); {slope}"
    text += f" ({verdict.judgement})."
    if verdict.run_length >= 3:
        text += f" It has {moved} for {verdict.run_length} {by}s in a row."
    return text


def trend_verdict(info: MetricInfo, series: Sequence[PeriodStat]) -> TrendVerdict:
    """Mann-Kendall/Theil-Sen verdict over the periods with enough posts (judged alone: q = p)."""
    points = usable(series)
    by = granularity_of(series[0].period) if series else "quarter"
    if len(points) < MIN_TREND_PERIODS:
        verdict = TrendVerdict(
            info.name, "not_enough_evidence", "neutral", len(points), len(series)
        )
        verdict.sentence = _not_enough(info, len(points), len(series), by)
        return verdict
    means = [float(p.mean) for p in points if p.mean is not None]
    test = trend_test([period_index(p.period) for p in points], means)
    verdict = TrendVerdict(
        info.name,
        "no_significant_trend",
        "neutral",
        len(points),
        len(series),
        test,
        [points[i].period for i in change_points(means)],
        p=test.p,
    )
    settle(verdict, info, series, test.p, 1)
    return verdict


def settle(
    verdict: TrendVerdict,
    info: MetricInfo,
    series: Sequence[PeriodStat],
    q: float,
    family: int,
) -> None:
    """Set status, judgement and sentence of a tested trend from its adjusted p-value `q`."""
    test = verdict.test
    assert test is not None
    points = usable(series)
    means = [float(p.mean) for p in points if p.mean is not None]
    increasing = test.trend == "increasing"
    verdict.q, verdict.family = q, family
    moving = q < ALPHA and test.trend != "no trend"
    verdict.status = "trend" if moving else "no_significant_trend"
    verdict.judgement = judge(increasing, info.direction) if moving else "neutral"
    verdict.run_length = trailing_run(means, increasing) if moving else 0
    by = granularity_of(points[0].period)
    verdict.sentence = _trend_sentence(info, verdict, f"{points[0].period}–{points[-1].period}", by)
    if verdict.change_points:
        verdict.sentence += " Level shift detected from " + ", ".join(verdict.change_points) + "."


def comparison_sentence(
    info: MetricInfo, cmp: GroupComparison, q: float | None = None, family: int = 1
) -> str:
    """'After X, MTLD is lower (median … vs …; Mann-Whitney p = …, Cliff's delta …) — worse.'

    `q` is the false-discovery-adjusted p-value over the run's `family` tests (default: p).
    """
    if not cmp.enough:
        return (
            f"{info.label}: too few posts to compare {cmp.label_a} (n={cmp.n_a}) "
            f"with {cmp.label_b} (n={cmp.n_b}); at least 3 each are needed."
        )
    assert cmp.delta is not None
    higher = cmp.delta > 0
    word = "higher" if higher else "lower"
    q = cmp.p if q is None else q
    adjusted = f", {fmt_q(q, family)}" if family > 1 else ""
    stats_text = (
        f"median {fmt(cmp.median_a)} vs {fmt(cmp.median_b)}, n = {cmp.n_a} vs {cmp.n_b}; "
        f"Mann-Whitney {fmt_p(cmp.p)}{adjusted}, Cliff's delta {fmt_signed(cmp.delta, 2)} "
        f"({cmp.magnitude})"
    )
    if q is not None and q < ALPHA and cmp.magnitude != "negligible":
        return (
            f"{info.label} is {word} for {cmp.label_a} than for {cmp.label_b} "
            f"({stats_text}) — {judge(higher, info.direction)}."
        )
    return (
        f"{info.label}: no statistically significant difference between {cmp.label_a} and "
        f"{cmp.label_b} ({stats_text})."
    )


def plain_sentence(label: str, verdict: TrendVerdict, by: str = "quarter") -> str:
    """The verdict in plain words, without test names or statistics (those stay in
    `verdict.sentence`): 'Stock phrases: no clear trend over 15 quarters.'"""
    if verdict.status == "not_enough_evidence":
        return (
            f"{label}: not enough evidence yet ({verdict.periods_used} of {MIN_TREND_PERIODS} "
            f"{by}s needed with at least {MIN_POSTS} posts)."
        )
    if verdict.status == "not_assessed":
        return verdict.sentence
    if verdict.test is None:  # AI-styled prose: judged on the posts since the adoption date
        state = "clearly above" if verdict.judgement == "worse" else "not clearly above"
        return f"{label}: since the AI-adoption date, {state} your own pre-AI level."
    if verdict.status != "trend":
        return f"{label}: no clear trend over {verdict.periods_used} {by}s."
    moved = "rising" if verdict.test.trend == "increasing" else "falling"
    return f"{label}: {moved} over {verdict.periods_used} {by}s ({verdict.judgement})."
