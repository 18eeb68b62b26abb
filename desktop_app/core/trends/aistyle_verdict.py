"""The AI-styled prose verdict, judged against the team's own pre-AI writing.

The per-post AI-style probability is not compared over time as it is (a genre or topic shift
moves it as much as AI use does). Instead:

* the series is the estimated share of AI-styled posts per period against the team's pre-AI
  posts (``aistyle.share``; pre-AI periods against the other pre-AI periods, so they sit near
  0 when the style is stable);
* the verdict tests the posts published since the AI-adoption date, pooled, against that
  reference (likelihood-ratio test, false-discovery-controlled with the run's other tests);
  "worse" only when the adjusted value passes;
* no posts since the adoption date: "not assessed"; a significant drift of the score among
  pre-AI posts is reported as style drift, in those words, never as "worse";
* change points are looked for in the share series (24 periods or more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from desktop_app.core.aistyle.share import Reference as ShareReference
from desktop_app.core.aistyle.share import ShareEstimate, period_shares, pooled_share
from desktop_app.core.trends.data import MetricTable
from desktop_app.core.trends.periods import Granularity, period_index
from desktop_app.core.trends.series import PeriodStat, usable
from desktop_app.core.trends.statistics import ALPHA, MIN_TREND_PERIODS, change_points, trend_test
from desktop_app.core.trends.verdicts import MetricInfo, TrendVerdict, fmt_p, fmt_q

METRIC = "ai_style_probability"


@dataclass(frozen=True)
class AIReference:
    """The team-wide human reference: pre-AI posts' periods and probabilities, and the AI side."""

    adoption: date
    keys: list[str]
    probs: np.ndarray
    ai_probs: np.ndarray

    @classmethod
    def of(
        cls, table: MetricTable, adoption: date, ai_probs: np.ndarray, by: Granularity
    ) -> AIReference:
        """Pre-AI rows of the table (before `adoption`, not marked AI-assisted, scored)."""
        col = table.column(METRIC)
        marked = np.fromiter((f is True for f in table.ai_assisted), dtype=bool, count=len(col))
        # team.is_pre_ai on every row (all dated), vectorised
        pre_ai = (table.ordinals() < adoption.toordinal()) & ~marked & ~np.isnan(col)
        rows = np.flatnonzero(pre_ai)
        every = table.period_keys(by)
        keys = [every[i] for i in rows.tolist()]
        return cls(adoption, keys, col[rows], ai_probs)

    def mixture(self) -> ShareReference:
        """The mixture components (with the between-period spread of the pre-AI posts)."""
        return ShareReference.of(self.probs, self.ai_probs, self.keys)


@dataclass
class AIStyleJudgement:
    """What the false-discovery pass needs to settle an AI-styled prose verdict."""

    pooled: ShareEstimate | None
    level: float | None  # pooled out-of-sample share of the pre-AI posts (the starting level)
    n_since: int
    drift: str  # style drift among pre-AI posts ('' when none was found)
    scored: int = 0  # posts of the group with a score


def share_series(
    table: MetricTable, periods: Sequence[str], by: Granularity, reference: AIReference
) -> list[PeriodStat]:
    """The estimated share per period as a series (mean = share, with its 90% interval)."""
    keys = table.period_keys(by)
    found = period_shares(
        keys, table.column(METRIC), reference.keys, reference.probs, reference.ai_probs
    )
    out = []
    for period in periods:
        est = found.get(period)
        if est is None or est.share is None:
            out.append(PeriodStat(period, 0 if est is None else est.n, None, None, None, None))
        else:
            out.append(PeriodStat(period, est.n, est.share, None, est.ci_low, est.ci_high))
    return out


#: How far back (periods) a shift's start is looked for before the detected change point.
ONSET_LOOKBACK = 3


def change_onsets(values: Sequence[float], found: Sequence[int]) -> list[int]:
    """Move each change point back to where the shift starts.

    A mean-shift change point lands in the middle of a ramp (20%, 40%, 60%, ...). Walking back
    from it, every period already a quarter of the way from the old level to the new one (at
    most ONSET_LOOKBACK periods, never into the previous segment; levels are segment medians)
    belongs to the shift.
    """
    y = np.asarray(values, dtype=float)
    bounds = [0, *found, len(y)]
    out = []
    for k, cp in enumerate(found):
        level = float(np.median(y[bounds[k] : cp]))
        step = (float(np.median(y[cp : bounds[k + 2]])) - level) / 4
        start = cp
        while (
            start - 1 >= max(bounds[k], cp - ONSET_LOOKBACK)
            and step
            and ((y[start - 1] - level) * np.sign(step) >= abs(step))
        ):
            start -= 1
        out.append(start)
    return out


def _interval_noise(points: Sequence[PeriodStat]) -> float | None:
    """Typical standard error of a period's share, from its 90% interval (half-width / 1.645):
    shares pile up at 0, so first differences say little about their noise."""
    widths = [
        (p.ci_high - p.ci_low) / (2 * 1.645)
        for p in points
        if p.ci_low is not None and p.ci_high is not None
    ]
    return float(np.sqrt(np.mean(np.square(widths)))) if widths else None


def _pre_ai_level(reference: AIReference) -> float | None:
    """The pooled share of the pre-AI posts, each period against the others (None: none)."""
    level = pooled_share(
        reference.keys, reference.probs, reference.mixture(), own_keys=reference.keys
    )
    return level.share


def _style_drift(raw: Sequence[PeriodStat], reference: AIReference, by: str) -> str:
    """A sentence on drift of the raw score among pre-AI periods ('' when none is significant)."""
    ref_periods = set(reference.keys)
    points = [p for p in usable(raw) if p.period in ref_periods and p.mean is not None]
    if len(points) < MIN_TREND_PERIODS:
        return ""
    test = trend_test(
        [period_index(p.period) for p in points], [float(p.mean or 0) for p in points]
    )
    if test.p >= ALPHA or test.trend == "no trend":
        return ""
    moved = "risen" if test.trend == "increasing" else "fallen"
    return (
        f" Style drift among your pre-AI posts: their AI-style score has {moved} over "
        f"{len(points)} {by}s ({fmt_p(test.p)}). That is a change within your own writing "
        "(topics, genre, format), not evidence of AI use."
    )


def ai_style_trend(
    info: MetricInfo,
    table: MetricTable,
    raw: Sequence[PeriodStat],
    periods: Sequence[str],
    by: Granularity,
    reference: AIReference,
) -> tuple[list[PeriodStat], TrendVerdict, AIStyleJudgement]:
    """The share series, a provisional verdict and what settling it needs."""
    series = share_series(table, periods, by, reference)
    since = table.date_mask(reference.adoption)
    col = table.column(METRIC)
    scored_since = since & ~np.isnan(col)
    pooled = None
    if scored_since.any() and len(reference.probs):
        every = table.period_keys(by)
        keys = [every[i] for i in np.flatnonzero(scored_since)]
        pooled = pooled_share(keys, col[scored_since], reference.mixture())
    points = usable(series)
    means = [float(p.mean or 0) for p in points]
    shifts = change_onsets(means, change_points(means, _interval_noise(points)))
    verdict = TrendVerdict(
        info.name, "not_assessed", "neutral", len(points), len(series),
        change_points=[points[i].period for i in shifts],
        p=pooled.p_value if pooled else None,
    )  # fmt: skip
    judgement = AIStyleJudgement(
        pooled, _pre_ai_level(reference), int(scored_since.sum()),
        _style_drift(raw, reference, by), int((~np.isnan(col)).sum()),
    )  # fmt: skip
    settle_ai_style(verdict, info, judgement, reference, verdict.p or 1.0, 1)
    return series, verdict, judgement


def settle_ai_style(
    verdict: TrendVerdict,
    info: MetricInfo,
    judgement: AIStyleJudgement,
    reference: AIReference,
    q: float,
    family: int,
) -> None:
    """Status, judgement and sentence of the AI-styled prose verdict from its adjusted `q`."""
    since = reference.adoption.isoformat()
    pooled = judgement.pooled
    if judgement.scored == 0:
        verdict.status, verdict.judgement = "not_enough_evidence", "neutral"
        verdict.sentence = f"{info.label}: no scored posts in this group."
        return
    if not len(reference.probs):
        verdict.status, verdict.judgement = "not_assessed", "neutral"
        verdict.sentence = (
            f"{info.label}: no posts before the AI-adoption date ({since}) to use as your own "
            "reference: not assessed."
        )
        return
    if pooled is None:
        verdict.status, verdict.judgement = "not_assessed", "neutral"
        verdict.sentence = (
            f"{info.label}: no posts after the AI-adoption date ({since}): AI-styled prose not "
            "assessed." + judgement.drift
        )
        return
    if pooled.share is None:
        verdict.status, verdict.judgement = "not_assessed", "neutral"
        verdict.sentence = (
            f"{info.label}: only {pooled.n} post(s) since the AI-adoption date ({since}): too "
            "few posts to assess AI-styled prose."
        )
        return
    verdict.q, verdict.family = q, family
    rose = q < ALPHA and pooled.share > 0
    verdict.status = "trend" if rose else "no_significant_trend"
    verdict.judgement = "worse" if rose else "neutral"
    verdict.sentence = _pooled_sentence(info, judgement, pooled, since, q, family, rose)
    if verdict.change_points:
        verdict.sentence += " Level shift detected from " + ", ".join(verdict.change_points) + "."


def _pooled_sentence(
    info: MetricInfo,
    judgement: AIStyleJudgement,
    pooled: ShareEstimate,
    since: str,
    q: float,
    family: int,
    rose: bool,
) -> str:
    interval = (
        f"90% interval {pooled.ci_low:.0%}–{pooled.ci_high:.0%}"
        if pooled.ci_low is not None and pooled.ci_high is not None
        else "too few posts for an interval"
    )
    level = (
        ""
        if judgement.level is None
        else f"; your pre-AI quarters come out at {judgement.level:.0%}"
    )
    stats_text = fmt_p(pooled.p_value) + (f", {fmt_q(q, family)}" if family > 1 else "")
    head = (
        f"{info.label}: an estimated {pooled.share or 0:.0%} of the {judgement.n_since} posts "
        f"since {since} read as AI-styled ({interval}), measured against your own pre-AI "
        f"writing{level}"
    )
    if rose:
        return f"{head}; {stats_text} (worse)."
    return f"{head}; not clearly above your pre-AI level ({stats_text})."
