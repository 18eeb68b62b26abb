"""Assemble the quarterly report (a QuarterReport) from the history DB."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime

import numpy as np
from sqlite_utils import Database

from desktop_app.core.baseline.scoring import Baseline, Scoring, load_baseline, score_values
from desktop_app.core.history.repository import fetch_texts
from desktop_app.core.records import MetricSpec
from desktop_app.core.report import sections
from desktop_app.core.report.aistyle import ai_style_section
from desktop_app.core.report.findings import page_one
from desktop_app.core.report.model import (
    CorpusRow,
    Headline,
    Methods,
    MetricDescription,
    NewPhrase,
    QuarterReport,
    VerdictLine,
)
from desktop_app.core.report.phrases import (
    MAX_BEFORE_SAMPLE,
    new_phrases,
    sample_before,
    top_evidence,
)
from desktop_app.core.report.rows import post_rows, series_rows
from desktop_app.core.report.summary import summary
from desktop_app.core.settings import Settings
from desktop_app.core.trends.compute import (
    DIMENSION_TITLES,
    MetricTrend,
    TrendsResult,
    judge_table,
)
from desktop_app.core.trends.corpus_measures import corpus_measures
from desktop_app.core.trends.data import MetricTable, load_table, mixed_pipelines
from desktop_app.core.trends.periods import (
    normalise_quarter,
    period_bounds,
    period_key,
    period_range,
    shift,
)


class ReportError(Exception):
    """The report cannot be built (e.g. no analysed posts in the quarter)."""


def _registry() -> dict[str, MetricSpec]:
    from desktop_app.core.metrics.registry import REGISTRY

    return dict(REGISTRY)


def _mask(table: MetricTable, start: date | None, end: date | None) -> np.ndarray:
    return table.date_mask(start, end)


def _context(db: Database, quarter: str) -> tuple[MetricTable, date, date]:
    quarter = normalise_quarter(quarter)
    start, end = period_bounds(quarter)
    table = load_table(db, preferred=list(_registry()))
    if not len(table):
        raise ReportError("no analysed, dated posts in the history (run `analyze` first)")
    if not _mask(table, start, end).any():
        first, last = (
            period_key(min(table.dates), "quarter"),
            period_key(max(table.dates), "quarter"),
        )
        raise ReportError(f"no analysed posts published in {quarter} (history: {first}–{last})")
    return table, start, end


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Automatic cyclic collection off for a while, then back as it was (the window keeps it
    off and collects on its own thread). A report allocates a few million short-lived
    objects beside a 50,000-row table: each automatic collection re-walks the table."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def build_report(db: Database, settings: Settings, quarter: str, title: str = "") -> QuarterReport:
    """The full report for `quarter` (e.g. '2025Q3')."""
    with _no_cyclic_collection():
        return _build_report(db, settings, quarter, title)


def _build_report(db: Database, settings: Settings, quarter: str, title: str) -> QuarterReport:
    quarter = normalise_quarter(quarter)
    table, start, end = _context(db, quarter)
    specs = _registry()
    baseline = load_baseline(db, settings)
    scoring = score_values(table.metrics, table.values, baseline, specs)
    upto = table.rows(_mask(table, None, end))
    periods = period_range(period_key(min(upto.dates), "quarter"), quarter)
    judged = judge_table(upto, periods, "quarter", settings, _adoption_date(settings))
    trends = judged.groups[0]
    now = _mask(table, start, end)
    in_quarter = table.rows(now)
    corpus, sample_size = _corpus(db, upto, periods[-sections.CHART_QUARTERS :])
    report = QuarterReport(
        quarter=quarter,
        start=start.isoformat(),
        end=end.isoformat(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        title=title or "Content Drift quarterly report",
        headline=_headline(table, scoring, baseline, quarter),
        charts=sections.charts(trends.metrics, specs, scoring),
        verdicts=[_verdict_line(t) for t in trends.metrics],
        adoption=_adoption(judged, settings),
        ai=sections.ai_comparison(in_quarter, quarter),
        new_phrases=_new_phrases(db, table, now, start),
        authors=sections.author_rows(table, scoring, now, _mask(table, None, end)),
        corpus=corpus,
        methods=_methods(table, baseline, specs, (int(now.sum()), len(upto), sample_size)),
        dimension_titles=dict(DIMENSION_TITLES),
        post_rows=post_rows(in_quarter, scoring, now),
        series_rows=series_rows(trends),
    )
    _add_highlights(db, report, in_quarter, _rows(scoring, now))
    window = periods[-sections.CHART_QUARTERS :]
    report.ai_style = ai_style_section(db, settings, quarter, window, (start, end))
    if report.ai_style is not None:
        sections.add_author_flags(report.authors, in_quarter, report.ai_style.flags)
    report.summary = summary(db, settings, baseline, quarter, judged, table).sentences
    report.headline_chart = sections.headline_chart(
        table, scoring.freshness, _baseline_mask(table, baseline), window
    )
    report.findings, report.next_steps = page_one(db, report, in_quarter, baseline)
    return report


def _headline(table: MetricTable, scoring: Scoring, baseline: Baseline, quarter: str) -> Headline:
    previous = shift(quarter, -1)
    masks = (
        _mask(table, *period_bounds(quarter)),
        _mask(table, *period_bounds(previous)),
        _baseline_mask(table, baseline),
    )
    return sections.headline(quarter, previous, scoring.freshness, masks)


def _add_highlights(
    db: Database, report: QuarterReport, in_quarter: MetricTable, scoring: Scoring
) -> None:
    evidence = top_evidence(db, in_quarter.post_ids)
    report.freshest = sections.highlights(in_quarter, scoring, evidence, freshest=True)
    report.most_generic = sections.highlights(in_quarter, scoring, evidence, freshest=False)


def _rows(scoring: Scoring, mask: np.ndarray) -> Scoring:
    dims = {d: v[mask] for d, v in scoring.dimensions.items()}
    return Scoring(scoring.bands, dims, scoring.freshness[mask])


def _baseline_mask(table: MetricTable, baseline: Baseline) -> np.ndarray:
    end = baseline.end
    return np.array(
        [(baseline.start is None or d >= baseline.start) and (end is None or d < end)
         for d in table.dates],
        dtype=bool,
    )  # fmt: skip


def _verdict_line(trend: MetricTrend) -> VerdictLine:
    v, info = trend.verdict, trend.info
    return VerdictLine(info.name, info.label, v.status, v.judgement, v.sentence)


def _adoption_date(settings: Settings) -> date | None:
    try:
        return date.fromisoformat(settings.ai_adoption_date or "")
    except ValueError:
        return None


def _adoption(judged: TrendsResult, settings: Settings) -> list[str]:
    if settings.ai_adoption_date and judged.adoption_date is None:
        return [f"AI adoption date in the settings is not a date: {settings.ai_adoption_date!r}"]
    return [t.sentence for t in judged.adoption]


def _new_phrases(db: Database, table: MetricTable, now: np.ndarray, start: date) -> list[NewPhrase]:
    now_ids = [table.post_ids[i] for i in np.flatnonzero(now)]
    earlier = [p for p, d in zip(table.post_ids, table.dates, strict=True) if d < start]
    before_ids = sample_before(earlier)
    texts = fetch_texts(db, now_ids + before_ids)
    return new_phrases([texts[i] for i in now_ids], [texts[i] for i in before_ids])


def _corpus(db: Database, table: MetricTable, periods: list[str]) -> tuple[list[CorpusRow], int]:
    ids: dict[str, list[str]] = {p: [] for p in periods}
    for post_id, key in zip(table.post_ids, table.period_keys("quarter"), strict=True):
        if key in ids:
            ids[key].append(post_id)
    stats = corpus_measures(ids, lambda i: fetch_texts(db, i))
    rows = [
        CorpusRow(c.period, c.n_posts, c.status, c.gzip_ratio, c.ngram_diversity, c.homogenization)
        for c in stats
    ]
    return rows, next((c.sample_size for c in stats), 0)


def _methods(
    table: MetricTable,
    baseline: Baseline,
    specs: Mapping[str, MetricSpec],
    sizes: tuple[int, int, int],
) -> Methods:
    """Versions, baseline window, sample sizes (quarter, history, corpus sample), metrics."""
    n_now, n_upto, sample_size = sizes
    found = [(m, p) for m, runs in table.pipelines.items() for p in runs]
    pipelines = sorted({f"{p[0]} {p[1]}" for _, p in found})
    analyzers = sorted({p[2] for _, p in found})
    notes = [f"{m}: values from several pipelines/analyzers" for m in mixed_pipelines(table)]
    if baseline.note:
        notes.append(baseline.note)
    metrics = [
        MetricDescription(s.name, s.label, s.dimension, s.unit, str(s.direction), s.description)
        for s in specs.values()
        if s.name in table.metrics
    ]
    return Methods(
        pipelines, analyzers, baseline.describe(), baseline.post_count, n_upto, n_now,
        sample_size, MAX_BEFORE_SAMPLE, metrics, notes,
    )  # fmt: skip
