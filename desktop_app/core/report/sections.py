"""Builders for the report sections from the metric table, scores and trend results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from desktop_app.core.baseline.scoring import MIN_BASELINE_VALUES, Scoring, nanmean
from desktop_app.core.records import MetricSpec
from desktop_app.core.report.charts import HEADLINE_SIZE, dimension_svg, headline_svg, svg_width
from desktop_app.core.report.model import (
    AiComparison,
    AuthorRow,
    ChartPoint,
    ComparisonRow,
    DimensionChart,
    Headline,
    MetricPanel,
    PostHighlight,
)
from desktop_app.core.trends.compute import DIMENSION_TITLES, MetricTrend, metric_info
from desktop_app.core.trends.data import MetricTable
from desktop_app.core.trends.periods import MIN_INTERVAL_POSTS, period_key
from desktop_app.core.trends.series import period_stat
from desktop_app.core.trends.statistics import compare_groups
from desktop_app.core.trends.verdicts import comparison_sentence, fmt

CHART_QUARTERS = 8
TOP_POSTS = 5
COMPARISON_METHOD = "Mann-Whitney U, two-sided; Cliff's delta = P(AI > other) − P(AI < other)."
FRESHNESS_LABEL = "Freshness index"


def headline(
    quarter: str, previous: str, fresh: np.ndarray, masks: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> Headline:
    """Freshness of this quarter vs the previous quarter and the baseline."""
    now_mask, prev_mask, _ = masks
    now, prev, base = (nanmean(fresh[m]) for m in masks)
    if int(now_mask.sum()) < MIN_INTERVAL_POSTS:
        text = f"{quarter} holds {int(now_mask.sum())} post(s): too few posts for a headline figure"
        return Headline(quarter, previous, int(now_mask.sum()), int(prev_mask.sum()), None,
                        prev, base, text + ".")  # fmt: skip
    text = f"Freshness index {quarter}: {fmt(now, 3)} / 100 ({int(now_mask.sum())} posts)"
    if prev is not None:
        text += f", {_delta_words(now, prev)} {previous} ({fmt(prev, 3)})"
    else:
        text += f", no analysed posts in {previous}"
    if base is not None:
        text += f", {_delta_words(now, base)} the baseline ({fmt(base, 3)})"
    return Headline(
        quarter, previous, int(now_mask.sum()), int(prev_mask.sum()), now, prev, base, text + "."
    )


def _delta_words(now: float | None, other: float) -> str:
    if now is None:
        return "vs"
    diff = now - other
    if abs(diff) < 0.5:
        return "about the same as"
    return f"{fmt(abs(diff), 2)} points {'above' if diff > 0 else 'below'}"


def charts(
    trends: Sequence[MetricTrend], specs: Mapping[str, MetricSpec], scoring: Scoring
) -> list[DimensionChart]:
    """One chart per dimension: the last CHART_QUARTERS quarters of each metric with its band."""
    by_dim: dict[str, list[MetricPanel]] = defaultdict(list)
    for trend in trends:
        spec = specs.get(trend.info.name)
        if spec is None:
            continue
        points = [
            ChartPoint(p.period, p.n, p.mean, p.ci_low, p.ci_high, p.enough)
            for p in trend.series[-CHART_QUARTERS:]
        ]
        panel = MetricPanel(spec.name, spec.label, spec.unit, str(spec.direction), points,
                            scoring.bands.get(spec.name))  # fmt: skip
        by_dim[spec.dimension].append(panel)
    out = []
    for dim, panels in by_dim.items():
        chart = DimensionChart(dim, DIMENSION_TITLES.get(dim, dim.title()), panels)
        chart.svg = dimension_svg(chart)
        chart.width = svg_width(chart)
        out.append(chart)
    return out


def headline_chart(
    table: MetricTable, freshness: np.ndarray, baseline_mask: np.ndarray, window: Sequence[str]
) -> DimensionChart:
    """Page 1's chart: the freshness index per quarter of `window` with the baseline band."""
    keys = np.array([period_key(d, "quarter") for d in table.dates])
    points = []
    for period in window:
        values = freshness[(keys == period) & ~np.isnan(freshness)]
        stat = period_stat(period, values.tolist())
        points.append(ChartPoint(period, stat.n, stat.mean, stat.ci_low, stat.ci_high,
                                 stat.enough))  # fmt: skip
    base = freshness[baseline_mask & ~np.isnan(freshness)]
    band = None
    if base.size >= MIN_BASELINE_VALUES:
        p25, p50, p75 = np.percentile(base, [25, 50, 75])
        band = (float(p25), float(p50), float(p75))
    panel = MetricPanel("freshness", FRESHNESS_LABEL, "0–100", "higher_better", points, band)
    chart = DimensionChart("headline", f"{FRESHNESS_LABEL} per quarter", [panel])
    chart.svg = headline_svg(chart)
    chart.width = HEADLINE_SIZE[0]
    return chart


def ai_comparison(table: MetricTable, quarter: str) -> AiComparison:
    """Mann-Whitney + Cliff's delta of AI-assisted vs other posts of the quarter, per metric."""
    ai = np.array([f is True for f in table.ai_assisted], dtype=bool)
    if not ai.any():
        return AiComparison(f"No posts labelled AI-assisted in {quarter}; nothing to compare.")
    rows = []
    for j, metric in enumerate(table.metrics):
        col = table.values[:, j]
        ok = ~np.isnan(col)
        cmp = compare_groups(col[ok & ai], col[ok & ~ai], "AI-assisted posts", "other posts")
        info = metric_info(metric)
        rows.append(ComparisonRow(
            info.label, cmp.n_a, cmp.n_b, cmp.median_a, cmp.median_b, cmp.p, cmp.delta,
            cmp.magnitude, comparison_sentence(info, cmp),
        ))  # fmt: skip
    message = f"{int(ai.sum())} of {len(table)} posts in {quarter} are labelled AI-assisted."
    return AiComparison(message, rows, COMPARISON_METHOD)


def highlights(
    table: MetricTable, scoring: Scoring, evidence: Mapping[str, list[str]], freshest: bool
) -> list[PostHighlight]:
    """The TOP_POSTS freshest (or most generic) posts with their top evidence phrases.

    `scoring` holds the rows of `table` (the quarter's posts).
    """
    fresh = scoring.freshness
    idx = [i for i in np.argsort(fresh, kind="stable") if not np.isnan(fresh[i])]
    chosen = list(reversed(idx))[:TOP_POSTS] if freshest else idx[:TOP_POSTS]
    return [_highlight(table, i, scoring, evidence) for i in chosen]


def _highlight(
    table: MetricTable, i: int, scoring: Scoring, evidence: Mapping[str, list[str]]
) -> PostHighlight:
    post_id = table.post_ids[i]
    authors = ", ".join(table.authors[i]) or "—"
    phrases = list(evidence.get(post_id, []))
    dims = {d: float(v[i]) for d, v in scoring.dimensions.items() if not np.isnan(v[i])}
    return PostHighlight(
        post_id, table.titles[i], table.dates[i].isoformat(), authors,
        float(scoring.freshness[i]), phrases, dims,
    )  # fmt: skip


def author_rows(
    table: MetricTable, scoring: Scoring, now_mask: np.ndarray, upto_mask: np.ndarray
) -> list[AuthorRow]:
    """Per author of the quarter: posts, freshness and dimension percentiles; history beside."""
    authors = sorted({a for i in np.flatnonzero(now_mask) for a in table.authors[i]})
    rows = []
    for author in authors:
        mine = np.array([author in names for names in table.authors], dtype=bool)
        now, hist = mine & now_mask, mine & upto_mask
        dims = {d: nanmean(v[now]) for d, v in scoring.dimensions.items()}
        rows.append(AuthorRow(
            author, int(now.sum()), nanmean(scoring.freshness[now]), dims, int(hist.sum()),
            nanmean(scoring.freshness[hist]),
        ))  # fmt: skip
    rows.sort(key=lambda r: (-r.n_posts, r.author))
    return rows


def add_author_flags(
    rows: Sequence[AuthorRow], table: MetricTable, flags: Mapping[str, bool]
) -> None:
    """Per author: how many of their quarter's posts are flagged AI-styled at the team threshold."""
    for row in rows:
        mine = [p for p, names in zip(table.post_ids, table.authors, strict=True)
                if row.author in names and p in flags]  # fmt: skip
        row.ai_scored = len(mine)
        row.ai_flagged = sum(flags[p] for p in mine)
