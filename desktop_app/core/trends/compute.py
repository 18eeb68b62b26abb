"""Trends over the history: series and verdicts per metric and group, adoption test, corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
from sqlite_utils import Database

from desktop_app.core.aistyle.model import AIStyleModelError, load_model
from desktop_app.core.aistyle.team import (
    QuarterShare,
    TeamThreshold,
    ai_styled_flags,
    estimated_ai_share_by_quarter,
    false_alarm_text,
    pre_ai_share,
    team_threshold,
)
from desktop_app.core.aistyle.team import adoption_date as ai_adoption_date
from desktop_app.core.history.repository import fetch_texts
from desktop_app.core.metrics.dimensions import DIMENSION_TITLES
from desktop_app.core.records import Direction
from desktop_app.core.settings import Settings
from desktop_app.core.trends.aistyle_verdict import (
    METRIC as AI_METRIC,
)
from desktop_app.core.trends.aistyle_verdict import (
    AIReference,
    AIStyleJudgement,
    ai_style_trend,
    settle_ai_style,
)
from desktop_app.core.trends.corpus_measures import CorpusStat, corpus_measures
from desktop_app.core.trends.data import MetricTable, load_table, mixed_pipelines
from desktop_app.core.trends.periods import Granularity, period_key, period_range
from desktop_app.core.trends.series import PeriodStat, period_stats_matrix
from desktop_app.core.trends.statistics import GroupComparison, compare_groups
from desktop_app.core.trends.verdicts import (
    MetricInfo,
    TrendVerdict,
    comparison_sentence,
    fdr_adjust,
    settle,
    trend_verdict,
)

Split = Literal["ai", "ai-style", "author", "tag"]
SPLITS: tuple[Split, ...] = ("ai", "ai-style", "author", "tag")
#: Group names of the `ai-style` split: estimated from the score, not labelled by anyone.
AI_STYLED = "AI-styled (estimated)"
NOT_AI_STYLED = "not AI-styled (estimated)"
MAX_GROUPS = 8


@dataclass
class MetricTrend:
    """One metric's series and verdict within a group."""

    info: MetricInfo
    series: list[PeriodStat]
    verdict: TrendVerdict
    #: For AI-styled prose: the team-relative judgement behind the verdict (series = shares).
    ai: AIStyleJudgement | None = None


@dataclass
class GroupTrends:
    """All metric trends of one group of posts (everything, AI-assisted, one author, ...)."""

    name: str
    n_posts: int
    metrics: list[MetricTrend]


@dataclass
class AdoptionTest:
    """Before/after the AI adoption date for one metric."""

    info: MetricInfo
    comparison: GroupComparison
    sentence: str
    q: float | None = None  # false-discovery-adjusted p-value over the run's tests


@dataclass
class AIStyleShares:
    """Estimated share of AI-styled posts per quarter, the pre-AI level and the threshold."""

    quarters: list[QuarterShare]
    reference: QuarterShare | None
    team: TeamThreshold


@dataclass
class TrendsResult:
    """Everything `content-drift trends` shows."""

    by: Granularity
    split: Split | None
    periods: list[str]
    groups: list[GroupTrends]
    adoption_date: date | None = None
    adoption: list[AdoptionTest] = field(default_factory=list)
    corpus: list[CorpusStat] = field(default_factory=list)
    corpus_sample_size: int = 0
    notes: list[str] = field(default_factory=list)
    ai_style: AIStyleShares | None = None
    #: Tests in the false-discovery family (Benjamini-Hochberg) of this run.
    tests: int = 0


def metric_info(name: str) -> MetricInfo:
    """Label, unit and direction of a metric from the registry (a neutral fallback if unknown)."""
    from desktop_app.core.metrics.registry import REGISTRY  # heavy import, only when needed

    spec = REGISTRY.get(name)
    if spec is None:
        return MetricInfo(name, name, "", Direction.HIGHER_BETTER)
    title = DIMENSION_TITLES.get(spec.dimension, spec.dimension.title())
    label = spec.label if spec.label.startswith(title) else f"{title} ({spec.label})"
    return MetricInfo(name, label, spec.unit, spec.direction, spec.dimension, spec.description)


def registry_order() -> list[str]:
    """Metric names in registry order."""
    from desktop_app.core.metrics.registry import REGISTRY

    return list(REGISTRY)


def series_for(
    table: MetricTable, periods: Sequence[str], by: Granularity
) -> list[list[PeriodStat]]:
    """Per metric (table column order), one PeriodStat per period in `periods`."""
    rows: dict[str, list[int]] = defaultdict(list)
    for i, day in enumerate(table.dates):
        rows[period_key(day, by)].append(i)
    per_period = [period_stats_matrix(p, table.values[rows.get(p, [])]) for p in periods]
    return [[stats[j] for stats in per_period] for j in range(len(table.metrics))]


def split_masks(
    table: MetricTable, split: Split | None, flags: Mapping[str, bool] | None = None
) -> list[tuple[str, np.ndarray]]:
    """(group name, row mask) for the split; authors/tags limited to the MAX_GROUPS largest.

    `flags` (post id -> AI-styled at the team threshold) is needed for the `ai-style` split.
    """
    everything = np.ones(len(table), dtype=bool)
    if split is None:
        return [("all posts", everything)]
    if split == "ai-style":
        styled = np.array([bool((flags or {}).get(i)) for i in table.post_ids], dtype=bool)
        return [(AI_STYLED, styled), (NOT_AI_STYLED, ~styled)]
    if split == "ai":
        marked = table.ai_assisted
        return [
            ("AI-assisted", np.array([f is True for f in marked], dtype=bool)),
            ("not marked AI-assisted", np.array([f is not True for f in marked], dtype=bool)),
        ]
    lists = table.authors if split == "author" else table.tags
    counts = Counter(name for names in lists for name in set(names))
    return [
        (name, np.array([name in names for names in lists], dtype=bool))
        for name, _ in counts.most_common(MAX_GROUPS)
    ]


def group_trends(
    table: MetricTable,
    name: str,
    periods: Sequence[str],
    by: Granularity,
    ai_reference: AIReference | None = None,
) -> GroupTrends:
    """Series and verdicts of every metric for one group (each judged alone until
    `control_false_discoveries` adjusts the run's tests together).

    With `ai_reference`, AI-styled prose is judged against the team's pre-AI posts.
    """
    trends = []
    for metric, series in zip(table.metrics, series_for(table, periods, by), strict=True):
        info = metric_info(metric)
        if metric == AI_METRIC and ai_reference is not None:
            shares, verdict, ai = ai_style_trend(info, table, series, periods, by, ai_reference)
            trends.append(MetricTrend(info, shares, verdict, ai))
        else:
            trends.append(MetricTrend(info, series, trend_verdict(info, series)))
    return GroupTrends(name, len(table), trends)


def control_false_discoveries(result: TrendsResult, ai_reference: AIReference | None) -> int:
    """Benjamini-Hochberg over every test of the run (trends, AI-styled share, before/after);
    verdict words are then given only where the adjusted value passes. Returns the family size."""
    trends = [m for g in result.groups for m in g.metrics if m.verdict.p is not None]
    adoption = [a for a in result.adoption if a.comparison.p is not None]
    p_values = [float(m.verdict.p or 1.0) for m in trends]
    p_values += [float(a.comparison.p or 1.0) for a in adoption]
    family = len(p_values)
    adjusted = fdr_adjust(p_values)
    for trend, q in zip(trends, adjusted[: len(trends)], strict=True):
        if trend.ai is not None and ai_reference is not None:
            settle_ai_style(trend.verdict, trend.info, trend.ai, ai_reference, q, family)
        else:
            settle(trend.verdict, trend.info, trend.series, q, family)
    for test, q in zip(adoption, adjusted[len(trends) :], strict=True):
        test.q = q
        test.sentence = comparison_sentence(test.info, test.comparison, q, family)
    return family


def _ai_reference(table: MetricTable, settings: Settings, by: Granularity) -> AIReference | None:
    """The team-relative reference for AI-styled prose (None without the metric or model)."""
    if AI_METRIC not in table.metrics:
        return None
    try:
        ai_probs = load_model().arrays["oof_probability_ai"]
    except AIStyleModelError:
        return None
    return AIReference.of(table, ai_adoption_date(settings), ai_probs, by)


def judge_table(
    table: MetricTable,
    periods: Sequence[str],
    by: Granularity,
    settings: Settings,
    adoption: date | None = None,
) -> TrendsResult:
    """Every metric's verdict for one table (all posts), judged as `compute_trends` judges:
    AI-styled prose against the team's pre-AI posts, one false-discovery family over the
    trends and (with `adoption`) the before/after comparisons. The report and the summary
    use it on the history up to a quarter's end."""
    reference = _ai_reference(table, settings, by)
    group = group_trends(table, "all posts", periods, by, reference)
    result = TrendsResult(by, None, list(periods), [group], adoption)
    if adoption is not None:
        result.adoption = adoption_tests(table, adoption)
    result.tests = control_false_discoveries(result, reference)
    return result


def adoption_tests(table: MetricTable, adoption: date) -> list[AdoptionTest]:
    """Mann-Whitney U + Cliff's delta of post values after vs before the adoption date."""
    after = np.array([d >= adoption for d in table.dates], dtype=bool)
    out = []
    for j, metric in enumerate(table.metrics):
        col = table.values[:, j]
        ok = ~np.isnan(col)
        info = metric_info(metric)
        label = f"posts from {adoption.isoformat()} on"
        cmp = compare_groups(col[ok & after], col[ok & ~after], label, "earlier posts")
        out.append(AdoptionTest(info, cmp, comparison_sentence(info, cmp)))
    return out


def _corpus(db: Database, table: MetricTable, by: Granularity) -> list[CorpusStat]:
    ids: dict[str, list[str]] = defaultdict(list)
    for post_id, day in zip(table.post_ids, table.dates, strict=True):
        ids[period_key(day, by)].append(post_id)
    if not ids:
        return []
    periods = period_range(min(ids), max(ids))
    return corpus_measures({p: ids.get(p, []) for p in periods}, lambda i: fetch_texts(db, i))


def _notes(table: MetricTable) -> list[str]:
    notes = []
    for metric, found in mixed_pipelines(table).items():
        parts = ", ".join(f"{p} {v} / analyzer {a} (n={n})" for p, v, a, n in found)
        notes.append(f"{metric}: values come from different pipelines or analyzers: {parts}")
    return notes


def _ai_style_split(db: Database, settings: Settings) -> tuple[dict[str, bool], str]:
    """Flags at the team threshold and a note naming the threshold and its false-alarm rate."""
    team = team_threshold(db, settings)
    note = (
        f"{AI_STYLED}: posts whose AI-styled prose score is at or above the team threshold "
        f"{team.threshold:.2f} ({false_alarm_text(team)}); an estimate from the score, not a "
        "label, and not a verdict on a writer"
    )
    return ai_styled_flags(db, settings, team=team), note


def ai_style_shares(db: Database, settings: Settings) -> AIStyleShares:
    """Per quarter: estimated share of AI-styled posts (90% interval) and the pre-AI level."""
    rows = estimated_ai_share_by_quarter(db, settings)
    return AIStyleShares(rows, pre_ai_share(db, settings), team_threshold(db, settings))


def compute_trends(
    db: Database,
    *,
    metrics: Sequence[str] | None = None,
    by: Granularity = "quarter",
    split: Split | None = None,
    adoption_date: date | None = None,
    corpus: bool = True,
    settings: Settings | None = None,
    ai_share: bool = False,
) -> TrendsResult:
    """Series, verdicts and tests for the history in `db`.

    The `ai-style` split flags posts at the team threshold of `settings` (default settings);
    `ai_share` adds the per-quarter estimated share of AI-styled posts.
    """
    settings = settings or Settings()
    table = load_table(db, metrics, preferred=registry_order())
    if not len(table):
        return TrendsResult(by, split, [], [], adoption_date, notes=["no analysed, dated posts"])
    periods = period_range(period_key(min(table.dates), by), period_key(max(table.dates), by))
    flags, note = _ai_style_split(db, settings) if split == "ai-style" else (None, "")
    masks = split_masks(table, split, flags)
    reference = _ai_reference(table, settings, by)
    groups = [group_trends(table.rows(mask), name, periods, by, reference) for name, mask in masks]
    result = TrendsResult(by, split, periods, groups, adoption_date, notes=_notes(table))
    if note:
        result.notes.insert(0, note)
    if ai_share:
        result.ai_style = ai_style_shares(db, settings)
    if adoption_date is not None:
        result.adoption = adoption_tests(table, adoption_date)
    result.tests = control_false_discoveries(result, reference)
    if corpus:
        result.corpus = _corpus(db, table, by)
        result.corpus_sample_size = next((c.sample_size for c in result.corpus), 0)
    return result
