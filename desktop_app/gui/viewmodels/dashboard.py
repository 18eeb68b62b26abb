"""Data for the Dashboard, gathered from the core on a worker thread (no Qt here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from sqlite_utils import Database

from desktop_app.core.aistyle import (
    LABEL,
    AIStyleModelError,
    estimated_ai_share_by_quarter,
    pre_ai_share,
)
from desktop_app.core.baseline.freshness import FRESHNESS_DIMENSIONS
from desktop_app.core.baseline.scoring import nanmean, score_values
from desktop_app.core.metrics.dimensions import DIMENSION_LABELS
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.trends.compute import Split, TrendsResult, compute_trends
from desktop_app.core.trends.data import load_table
from desktop_app.core.trends.periods import Granularity, headline_period, period_key, shift
from desktop_app.core.trends.verdicts import plain_sentence

if TYPE_CHECKING:  # the engine loads spaCy: imported by worker threads on first use
    from desktop_app.core.analysis.engine import AnalysisEngine


SPARK_QUARTERS = 8
CARD_KEYS = [*FRESHNESS_DIMENSIONS, "freshness"]


@dataclass
class Card:
    """One dimension this quarter: value, previous quarter, baseline and recent quarters."""

    key: str
    label: str
    quarter: str
    now: float | None
    previous: float | None
    baseline: float | None
    n: int
    spark: list[float | None] = field(default_factory=list)


@dataclass
class AIStyleSummary:
    """AI-styled prose (estimated) in the latest quarter against the pre-AI level and threshold."""

    quarter: str
    n: int
    share: float | None  # None: too few posts for an estimate
    ci_low: float | None
    ci_high: float | None
    reference: float | None
    threshold: float
    false_alarm_rate: float | None  # share of the pre-AI posts the threshold flags
    n_pre_ai_posts: int

    def text(self) -> str:
        """The dashboard line."""
        ref = "—" if self.reference is None else f"{self.reference:.0%}"
        flags = (
            "false-alarm rate unknown: no dated pre-AI posts" if self.false_alarm_rate is None
            else f"flags {self.false_alarm_rate:.1%} of your {self.n_pre_ai_posts} pre-AI posts "
            "(false-alarm rate)"
        )  # fmt: skip
        if self.share is None or self.ci_low is None or self.ci_high is None:
            share = f"{self.quarter}: too few posts (n={self.n}) for an estimate"
        else:
            share = (
                f"share {self.quarter} {self.share:.0%} (90% CI {self.ci_low:.0%}–"
                f"{self.ci_high:.0%}, n={self.n})"
            )
        return (
            f"{LABEL}: {share}, pre-AI reference {ref}; threshold {self.threshold:.2f} {flags}. "
            "Evidence for the team's own trend, not a verdict on a writer."
        )


def ai_style_summary(db: Database, engine: AnalysisEngine) -> AIStyleSummary | None:
    """The latest quarter's estimated AI-styled share (None without dated posts or model)."""
    try:
        team = engine.ai_style_team(db)
        rows = estimated_ai_share_by_quarter(db, engine.settings)
        reference = pre_ai_share(db, engine.settings)
    except AIStyleModelError:
        return None
    if team is None or not rows:
        return None
    headline = headline_period({r.quarter: r.n for r in rows}, engine.settings.headline_min_posts)
    last = next(r for r in rows if r.quarter == headline)
    return AIStyleSummary(
        last.quarter, last.n, last.estimated_share, last.ci_low, last.ci_high,
        reference.estimated_share if reference else None, team.threshold,
        team.false_alarm_rate, team.n_pre_ai_posts,
    )  # fmt: skip


@dataclass
class ChartData:
    """The main chart: trends of one metric (per group), the baseline band, the adoption date."""

    metric: str
    label: str
    unit: str
    trends: TrendsResult
    band: tuple[float, float, float] | None
    adoption: date | None
    verdict: str
    #: The same verdicts with their statistics (the chart's tooltip).
    statistics: str = ""


def _in_window(dates: list[date], start: date | None, end: date | None) -> np.ndarray:
    return np.array([(start is None or d >= start) and (end is None or d < end) for d in dates])


def dashboard_cards(db: Database, engine: AnalysisEngine) -> list[Card]:
    """A card per dimension and one for the freshness index (empty list without data)."""
    table = load_table(db)
    if not len(table):
        return []
    baseline = engine.baseline(db)
    scoring = score_values(table.metrics, table.values, baseline, REGISTRY)
    quarters = np.array([period_key(d, "quarter") for d in table.dates])
    counts = Counter(quarters.tolist())
    latest = headline_period(counts, engine.settings.headline_min_posts) or max(counts)
    recent = [shift(latest, -k) for k in range(SPARK_QUARTERS - 1, -1, -1)]
    base_mask = _in_window(table.dates, baseline.start, baseline.end)
    cards = []
    for key in CARD_KEYS:
        values = scoring.freshness if key == "freshness" else scoring.dimensions.get(key)
        if values is None:
            continue
        label = "Freshness index" if key == "freshness" else DIMENSION_LABELS[key]
        cards.append(
            Card(key, label, latest, nanmean(values[quarters == latest]),
                 nanmean(values[quarters == shift(latest, -1)]), nanmean(values[base_mask]),
                 int((quarters == latest).sum()), [nanmean(values[quarters == q]) for q in recent])
        )  # fmt: skip
    return cards


def chart_data(
    db: Database,
    engine: AnalysisEngine,
    metric: str,
    by: Granularity,
    split: Split | None,
    adoption: date | None,
) -> ChartData:
    """Series per group for `metric`, the baseline's p25/median/p75 and the verdict sentence."""
    trends = compute_trends(
        db, metrics=[metric], by=by, split=split, adoption_date=adoption, corpus=False,
        settings=engine.settings,
    )  # fmt: skip
    shares = any(m.ai is not None for g in trends.groups for m in g.metrics)
    # A share series is not on the per-post scale, so the baseline band of the per-post
    # score would mislead: its reference is the pre-AI level, said in the verdict.
    values = None if shares else engine.baseline(db).values.get(metric)
    band = None
    if values is not None and len(values) >= 5:
        p25, p50, p75 = np.percentile(values, [25, 50, 75])
        band = (float(p25), float(p50), float(p75))
    spec = REGISTRY.get(metric)
    many = len(trends.groups) > 1
    verdicts = [
        f"{g.name}: {plain_sentence(m.info.label, m.verdict, by)}" if many
        else plain_sentence(m.info.label, m.verdict, by)
        for g in trends.groups
        for m in g.metrics
    ]  # fmt: skip
    details = [
        f"{g.name}: {m.verdict.sentence}" if many else m.verdict.sentence
        for g in trends.groups
        for m in g.metrics
    ]
    verdicts += [a.sentence for a in trends.adoption]  # before/after: already in words
    if split == "ai-style":
        verdicts += trends.notes[:1]  # the threshold and false-alarm rate behind the groups
    return ChartData(
        metric,
        "Estimated share of AI-styled posts" if shares else (spec.label if spec else metric),
        "share of posts 0-1" if shares else (spec.unit if spec else ""),
        trends,
        band,
        adoption,
        "\n".join(v for v in verdicts if v) or "Not enough analysed posts for a verdict yet.",
        "\n".join([*details, *(a.sentence for a in trends.adoption)]),
    )
