"""The answer in plain words: 3-6 sentences on whether the team's writing is getting worse.

One function, ``summary``, shown identically by `content-drift summary`, the dashboard and the
report. It uses the numbers (period, n, the comparison) and never a test's name; it says "not
enough evidence" where that is the truth. Its parts:

* the quarter (the latest with enough posts, or the one asked for) against the baseline: per
  dimension, the mean of the posts' percentiles; a dimension is called worse or better than
  the baseline only when that mean is more than 2.5 standard errors from 50 (under "no
  change" a post's percentile is uniform on 0-100, so the standard error is 28.9/sqrt(n));
  stock phrases and AI-marker words are given as a multiple of the baseline rate;
* the estimated AI-styled share of the quarter against the team's pre-AI level;
* the long-run verdicts from `trends` (false-discovery controlled): how many measures got
  worse or better, or why there is not enough evidence yet.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from sqlite_utils import Database

from desktop_app.core.baseline.scoring import Baseline, score_values
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.settings import Settings
from desktop_app.core.trends.compute import TrendsResult, judge_table
from desktop_app.core.trends.data import MetricTable, load_table
from desktop_app.core.trends.periods import (
    MIN_INTERVAL_POSTS,
    headline_period,
    period_bounds,
    period_key,
    period_range,
)
from desktop_app.core.trends.statistics import MIN_TREND_PERIODS

#: A rate measure is quoted when the quarter's mean is at least this multiple of the baseline's.
RATE_CALL = 1.5
#: How far (in standard errors of a mean of uniform percentiles) a quarter must sit from 50.
Z_CALL = 2.5
_UNIFORM_SD = 100 / math.sqrt(12)
WORSE_WORDS = {
    "diversity": "use a narrower vocabulary",
    "repetition": "are more repetitive",
    "genericness": "read more generic",
    "readability": "are harder to read",
}
BETTER_WORDS = {
    "diversity": "use a more varied vocabulary",
    "repetition": "are less repetitive",
    "genericness": "read less generic",
    "readability": "are easier to read",
}
NAMES = {
    "diversity": "lexical diversity",
    "repetition": "repetition",
    "genericness": "genericness",
    "readability": "readability",
}
RATE_METRICS = (("cliche_density", "stock phrases"), ("ai_marker_density", "AI-marker words"))


@dataclass
class Summary:
    """The plain-language answer and the figures behind it."""

    quarter: str | None
    n: int
    sentences: list[str]
    worse: list[str] = field(default_factory=list)  # measures with a 'worse' trend verdict
    better: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentences as one paragraph."""
        return " ".join(self.sentences)

    def to_json(self) -> dict[str, Any]:
        """For `summary --json`."""
        return {**asdict(self), "text": self.text}


def summary(
    db: Database,
    settings: Settings,
    baseline: Baseline,
    quarter: str | None = None,
    trends: TrendsResult | None = None,
    table: MetricTable | None = None,
) -> Summary:
    """3-6 plain sentences on the quarter (default: latest with enough posts) and the trend
    (`table`: the history's table when the caller has it loaded)."""
    table = load_table(db) if table is None else table
    if not len(table):
        return Summary(None, 0, ["No analysed, dated posts yet: import your history and let "
                                 "the analysis finish."])  # fmt: skip
    quarters = np.array(table.period_keys("quarter"))
    counts = {q: int((quarters == q).sum()) for q in set(quarters.tolist())}
    quarter = quarter or headline_period(counts, settings.headline_min_posts) or ""
    n = counts.get(quarter, 0)
    trends = trends or trends_until(table, quarter, settings)
    sentences = _quarter_sentences(table, quarters == quarter, quarter, n, baseline)
    sentences += _ai_sentence(trends, quarter)
    worse, better, trend_text = _trend_sentence(trends)
    sentences.append(trend_text)
    return Summary(quarter, n, sentences, worse, better)


def trends_until(table: MetricTable, quarter: str, settings: Settings) -> TrendsResult:
    """The verdicts on the history up to the end of `quarter` (as the report judges them)."""
    end = period_bounds(quarter)[1]
    upto = table.rows(table.date_mask(None, end))
    if not len(upto):
        return TrendsResult("quarter", None, [], [])
    periods = period_range(period_key(min(upto.dates), "quarter"), quarter)
    return judge_table(upto, periods, "quarter", settings)


def _baseline_words(baseline: Baseline) -> str:
    start = baseline.start.isoformat() if baseline.start else "the beginning"
    end = baseline.end.isoformat() if baseline.end else "today"
    return f"your baseline ({baseline.post_count} posts from {start} to before {end})"


def _quarter_sentences(
    table: MetricTable, rows: np.ndarray, quarter: str, n: int, baseline: Baseline
) -> list[str]:
    if n < MIN_INTERVAL_POSTS:
        return [f"{quarter} holds {n} post(s): too few posts to compare it with your baseline."]
    quarter_table = table.rows(rows)
    scoring = score_values(quarter_table.metrics, quarter_table.values, baseline, REGISTRY)
    worse: list[str] = []
    better: list[str] = []
    same: list[str] = []
    for dim in WORSE_WORDS:
        values = scoring.dimensions.get(dim)
        mean = _nanmean(values)
        if mean is None or values is None:
            continue
        se = _UNIFORM_SD / math.sqrt(int((~np.isnan(values)).sum()))
        target = worse if mean < 50 - Z_CALL * se else better if mean > 50 + Z_CALL * se else same
        target.append(dim)
    head = f"Posts in {quarter} ({n})"
    parts = [WORSE_WORDS[d] for d in worse] + [BETTER_WORDS[d] for d in better]
    first = (
        f"{head} {_join(parts)} than {_baseline_words(baseline)}"
        if parts
        else (f"{head} are in line with {_baseline_words(baseline)} on every dimension")
    )
    rates = _rate_text(table, rows, baseline)
    out = [first + (f": {rates}." if rates else ".")]
    if parts and same:
        out.append(f"{_join([NAMES[d] for d in same]).capitalize()} "
                   f"{'is' if len(same) == 1 else 'are'} in line with the baseline.")  # fmt: skip
    return out


def _rate_text(table: MetricTable, rows: np.ndarray, baseline: Baseline) -> str:
    """'stock phrases at 2.1x the baseline rate' for the rate measures well above baseline."""
    parts = []
    for metric, words in RATE_METRICS:
        if metric not in table.metrics or metric not in baseline.values:
            continue
        now = _nanmean(table.column(metric)[rows])
        base = float(np.mean(baseline.values[metric])) if len(baseline.values[metric]) else None
        if now is None or not base:
            continue
        ratio = now / base
        if ratio >= RATE_CALL:
            parts.append(f"{words} at {ratio:.1f}× the baseline rate")
    return _join(parts)


def _ai_sentence(trends: TrendsResult, quarter: str) -> list[str]:
    """The AI-styled share of the quarter and the verdict since the adoption date."""
    ai = next((m for g in trends.groups[:1] for m in g.metrics if m.ai is not None), None)
    if ai is None:
        return []
    point = next((p for p in ai.series if p.period == quarter), None)
    level = ai.ai.level if ai.ai else None
    ref = "" if level is None else f"; your pre-AI quarters come out at {level:.0%}"
    if ai.verdict.status == "not_assessed":
        text = ai.verdict.sentence.removeprefix(f"{ai.info.label}: ")
        return [text[:1].upper() + text[1:]]
    if point is None or point.mean is None or point.ci_low is None or point.ci_high is None:
        return [f"Too few posts in {quarter} to estimate the share of AI-styled posts{ref}."]
    verdict = (
        "clearly above your pre-AI level" if ai.verdict.judgement == "worse"
        else "not clearly above your pre-AI level"
    )  # fmt: skip
    return [
        f"The estimated share of AI-styled posts in {quarter} is {point.mean:.0%} (90% interval "
        f"{point.ci_low:.0%}–{point.ci_high:.0%}{ref}); since the AI-adoption date it is "
        f"{verdict}."
    ]


def _trend_sentence(trends: TrendsResult) -> tuple[list[str], list[str], str]:
    if not trends.groups:
        return [], [], "Not enough evidence yet for a trend: no analysed, dated posts."
    metrics = trends.groups[0].metrics
    worse = [_short(m.info.name) for m in metrics if m.verdict.judgement == "worse"]
    better = [_short(m.info.name) for m in metrics if m.verdict.judgement == "better"]
    used = max((m.verdict.periods_used for m in metrics), default=0)
    if used < MIN_TREND_PERIODS:
        return (
            worse,
            better,
            (
                f"Not enough evidence yet to say whether your writing is changing over time: "
                f"{used} quarter(s) with at least 3 posts, {MIN_TREND_PERIODS} needed."
            ),
        )
    span = f"Over {used} quarters"
    if not worse and not better:
        return worse, better, f"{span}, no measure got clearly worse or better."
    return (
        worse,
        better,
        (
            f"{span}, {_count(worse)} got worse{_named(worse)} and {_count(better)} got "
            f"better{_named(better)}."
        ),
    )


def _short(metric: str) -> str:
    spec = REGISTRY.get(metric)
    return spec.label if spec else metric


def _count(labels: list[str]) -> str:
    words = ["no measure", "one measure", "two measures", "three measures", "four measures"]
    return words[len(labels)] if len(labels) < len(words) else f"{len(labels)} measures"


def _named(labels: list[str]) -> str:
    return f" ({_join(labels)})" if labels else ""


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _nanmean(values: np.ndarray | None) -> float | None:
    if values is None:
        return None
    ok = values[~np.isnan(values)]
    return float(ok.mean()) if ok.size else None
