"""Benchmark: trends for all metrics and one quarter's report on a 10,000-post history.

Run: .venv/bin/python -m tests.benchmarks.bench_trends_report
Targets: report (HTML + CSV data) for one quarter < 5 s; trends for all metrics < 2 s.
The history's posts come from tests/benchmarks/histories.py; metric values and evidence rows
are synthetic (seeded), inserted into a temporary copy.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from desktop_app.core.aistyle.model import load_model
from desktop_app.core.history import open_history
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.report import build_report, render_html, rows_to_csv
from desktop_app.core.settings import Settings
from desktop_app.core.trends import compute_trends
from tests.benchmarks.histories import history_db

N_POSTS = 10_000
QUARTER = "2025Q3"
SEED = 20261125
AI_METRIC = "ai_style_probability"


def _ai_probabilities(years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """AI-style probabilities as the model gives them: out-of-fold scores of the labelled human
    passages, with a share of labelled AI passages' scores rising from 2023 (10% a year)."""
    arrays = load_model().arrays
    human, ai = arrays["oof_probability_human"], arrays["oof_probability_ai"]
    share = np.clip((years - 2022) * 0.10, 0.0, 1.0)
    from_ai = rng.random(len(years)) < share
    return np.where(from_ai, rng.choice(ai, len(years)), rng.choice(human, len(years)))


def _fill_values(path: Path) -> int:
    """Seeded synthetic metric values (with a slow drift after 2023) and evidence rows.

    Every metric is normal(10 + k, 2) scaled by the drift, except the AI-style probability,
    which is a real model probability (a value above 1 would put every post in one bin).
    """
    db = open_history(path)
    rng = np.random.default_rng(SEED)
    posts = db.execute("select id, published from posts").fetchall()
    names = list(REGISTRY)
    years = np.array([int(published[:4]) for _, published in posts])
    drift = np.maximum(0, years - 2022) * 0.05
    values = rng.normal(10 + np.arange(len(names)), 2, size=(len(posts), len(names)))
    values *= (1 - drift)[:, None]
    if AI_METRIC in names:
        values[:, names.index(AI_METRIC)] = _ai_probabilities(years, rng)
    rows = [
        (post_id, name, float(value), "ok", "bench", "1", "1.0.0", "now")
        for (post_id, _), line in zip(posts, values.tolist(), strict=True)
        for name, value in zip(names, line, strict=True)
    ]
    evidence = [(post_id, "ai_marker", 0, 5, "delve", None) for post_id, _ in posts]
    with db.conn:
        db.conn.execute("delete from metric_values")
        db.conn.executemany(
            "insert into metric_values (post_id, metric, value, confidence, pipeline, "
            "pipeline_version, analyzer_version, computed_at) values (?,?,?,?,?,?,?,?)",
            rows,
        )
        db.conn.executemany(
            "insert into evidence (post_id, kind, start, end, text, ref_post_id) "
            "values (?,?,?,?,?,?)",
            evidence,
        )
    db.conn.close()
    return len(rows)


def _timed(label: str, func: object) -> object:
    start = time.perf_counter()
    result = func()  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    """Build the history copy, then time trends and the report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite"
        shutil.copy(history_db(N_POSTS), path)
        print(f"{N_POSTS} posts, {_fill_values(path)} metric values")
        db = open_history(path)
        _timed("trends, all metrics, by quarter (no corpus measures)",
               lambda: compute_trends(db, corpus=False))  # fmt: skip
        _timed("trends, all metrics, by quarter + corpus measures", lambda: compute_trends(db))
        _timed(
            "trends, all metrics, by month", lambda: compute_trends(db, by="month", corpus=False)
        )
        settings = Settings(baseline_end="2023-01-01")
        report = _timed(f"report {QUARTER} (data)", lambda: build_report(db, settings, QUARTER))

        def render() -> None:
            render_html(report)  # type: ignore[arg-type]
            rows_to_csv(report.post_rows)  # type: ignore[attr-defined]

        _timed("report HTML + CSV rendering", render)


if __name__ == "__main__":
    main()
