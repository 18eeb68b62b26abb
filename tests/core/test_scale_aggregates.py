"""The fast read and aggregate paths of trends (issue 17) against brute-force computations.

On the real Let's Encrypt blog, imported and analysed with the blank pipeline: the column-wise
metric table equals a row-by-row SQL read; per-period n, mean and median equal numpy on those
rows; the large-sample bootstrap limit sits within 0.05 standard errors of a 40,000-resample
numpy bootstrap; verdicts do not depend on which interval path a period takes; the binned
share likelihood equals the per-post one; the baseline window read equals the SQL join.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.aistyle import share
from desktop_app.core.aistyle.model import load_model
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history.metric_columns import clear_memo
from desktop_app.core.history.metrics_repo import values_in_window
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.settings import Settings
from desktop_app.core.trends import compute_trends, series
from desktop_app.core.trends.data import load_table
from desktop_app.core.trends.periods import period_key
from tests.conftest import DEMO, HistoryAt, history_file

_ROWS = """
select p.id, p.published, v.metric, v.value from metric_values v join posts p on p.id = v.post_id
where p.superseded_by is null and p.published is not null and v.value is not null
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Let's Encrypt blog imported and analysed (blank pipeline) once for this module."""
    path = tmp_path_factory.mktemp("scale") / "history.sqlite"
    with history_file(path) as db:
        import_paths(db, [DEMO / "letsencrypt-blog"], ImportOptions())
    AnalysisEngine(path, Settings(spacy_pipeline="blank")).analyze_posts(None)
    yield path


def _brute_rows(db: object) -> dict[tuple[str, str], float]:
    return {(i, m): float(v) for i, _, m, v in db.execute(_ROWS)}  # type: ignore[attr-defined]


def test_metric_table_equals_a_row_by_row_read(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    clear_memo()
    table = load_table(db)
    rows = _brute_rows(db)
    dated = db.execute(
        "select id, published from posts where superseded_by is null and published is not null "
        "and id in (select post_id from metric_values) order by published, id"
    ).fetchall()
    assert table.post_ids == [i for i, _ in dated]
    assert table.dates == [date.fromisoformat(d[:10]) for _, d in dated]
    assert set(table.metrics) == {m for _, m in rows}
    expected = np.full(table.values.shape, np.nan)
    for (post_id, metric), value in rows.items():
        expected[table.post_ids.index(post_id), table.metrics.index(metric)] = value
    np.testing.assert_array_equal(table.values, expected)  # exact, NaN where missing
    for metric, runs in table.pipelines.items():
        assert sum(n for *_, n in runs) == sum(1 for _, m in rows if m == metric)


def test_period_series_equal_numpy_on_the_rows(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    result = compute_trends(db, corpus=False)
    by_period: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _, published, metric, value in db.execute(_ROWS):
        by_period[(metric, period_key(date.fromisoformat(published[:10]), "quarter"))].append(value)
    checked = 0
    for trend in result.groups[0].metrics:
        if trend.ai is not None:
            continue  # the AI-styled series is a share, tested below
        for point in trend.series:
            values = np.asarray(by_period.get((trend.info.name, point.period), []))
            assert point.n == values.size
            if values.size:
                assert point.mean == pytest.approx(values.mean(), rel=1e-12, abs=1e-12)
                assert point.median == pytest.approx(np.median(values), rel=1e-12, abs=1e-12)
                checked += 1
    assert checked > 300


def _numpy_bootstrap(values: np.ndarray, resamples: int = 40_000) -> tuple[float, float]:
    rng = np.random.default_rng(11)
    means = values[rng.integers(0, values.size, (resamples, values.size))].mean(axis=1)
    low, high = np.percentile(means, [5, 95])
    return float(low), float(high)


def test_bootstrap_limit_matches_a_brute_force_bootstrap(
    history: Path, history_at: HistoryAt
) -> None:
    table = load_table(history_at(history))
    compared = 0
    for j, metric in enumerate(table.metrics):
        values = table.values[:, j][~np.isnan(table.values[:, j])]
        if values.size < 50 or np.ptp(values) == 0:
            continue
        se = values.std() / math.sqrt(values.size)
        low, high = series.limit_intervals(values[None, :])
        ref_low, ref_high = _numpy_bootstrap(values)
        # the limit is within 0.05 standard errors of 40,000 resamples (whose own Monte Carlo
        # error is about 0.01); the app's old 999-resample interval within 0.3
        assert abs(low[0] - ref_low) < 0.05 * se, metric
        assert abs(high[0] - ref_high) < 0.05 * se, metric
        old_low, old_high = series.bootstrap_intervals(values[None, :], 3)
        assert abs(old_low[0] - ref_low) < 0.3 * se and abs(old_high[0] - ref_high) < 0.3 * se
        compared += 1
    assert compared >= 10


def test_a_period_over_the_cap_takes_the_limit_and_one_under_it_resamples() -> None:
    rng = np.random.default_rng(5)
    big = rng.lognormal(0, 1, (series.BOOTSTRAP_MAX_POSTS + 1, 1))
    stat = series.period_stats_matrix("2025Q1", big)[0]
    low, high = series.limit_intervals(big.T)
    assert (stat.ci_low, stat.ci_high) == (pytest.approx(low[0]), pytest.approx(high[0]))
    small = big[: series.BOOTSTRAP_MAX_POSTS]
    stat = series.period_stats_matrix("2025Q1", small)[0]
    boot = series.bootstrap_intervals(small.T, series.seed_for("2025Q1"))
    assert (stat.ci_low, stat.ci_high) == (pytest.approx(boot[0][0]), pytest.approx(boot[1][0]))


def test_verdicts_do_not_depend_on_the_interval_path(
    history: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = history_at(history)
    resampled = compute_trends(db, corpus=False)
    monkeypatch.setattr(series, "BOOTSTRAP_MAX_POSTS", 2)  # every period takes the limit
    limit = compute_trends(db, corpus=False)
    pairs = zip(resampled.groups[0].metrics, limit.groups[0].metrics, strict=True)
    for a, b in pairs:
        assert (a.verdict.status, a.verdict.judgement) == (b.verdict.status, b.verdict.judgement)
        assert a.verdict.p == b.verdict.p and a.verdict.sentence == b.verdict.sentence


def test_binned_share_likelihood_equals_the_per_post_one() -> None:
    arrays = load_model().arrays
    rng = np.random.default_rng(2)
    human = rng.permutation(arrays["oof_probability_human"])
    keys = [f"2020Q{1 + i // 100}" for i in range(400)]
    scores = share.logits(human[:400])
    scores[:100] += 1.5  # one quarter's style shifted: the reference gets a period spread
    reference = share.Reference.of(1 / (1 + np.exp(-scores)), arrays["oof_probability_ai"], keys)
    assert reference.tau > 0
    posts = share._bins(
        share.logits(np.concatenate([human[400:700], arrays["oof_probability_ai"][:60]]))
    )
    densities = share._resampled_densities(reference, np.random.default_rng(0))
    brute_h = share._shifted(
        densities, reference.shift_bins(), np.broadcast_to(posts, (len(densities), len(posts)))
    )
    brute = share.log_likelihood_curve(
        brute_h, reference.ai_density[posts][None, :].repeat(len(densities), 0),
        reference.shift_log_weights(),
    )  # fmt: skip
    bins, counts = np.unique(posts, return_counts=True)
    fast = share._curves(bins, counts, reference, densities)
    assert np.max(np.abs(fast - brute)) < 1e-5 * np.max(np.abs(brute))


def test_baseline_window_read_equals_the_sql_join(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    start, end = date(2016, 1, 1), date(2020, 1, 1)
    expected: dict[str, list[float]] = defaultdict(list)
    for _, published, metric, value in db.execute(_ROWS):
        if start.isoformat() <= published < end.isoformat():
            expected[metric].append(value)
    found = values_in_window(db, start, end)
    assert found.keys() == expected.keys() and expected
    for metric, values in expected.items():
        assert sorted(found[metric]) == sorted(values)


def test_the_reads_use_the_covering_indexes(history: Path, history_at: HistoryAt) -> None:
    from desktop_app.core.history import metric_columns
    from desktop_app.core.trends import data

    db = history_at(history)
    for sql, params in ((metric_columns._SQL_RUNS, []), (data._SQL_POSTS, [])):
        plan = " ".join(str(row[-1]) for row in db.execute("explain query plan " + sql, params))
        assert "COVERING INDEX" in plan, plan
