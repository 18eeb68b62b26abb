"""Baseline percentiles, the freshness index (worked example) and the oldest-half fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.baseline.scoring import baseline_from_values, load_baseline, score
from desktop_app.core.history.metrics_repo import stored_values
from desktop_app.core.history.repository import list_posts
from desktop_app.core.metrics.registry import REGISTRY
from tests.conftest import HistoryAt
from tests.core.analysis_support import build_analyzed, make_settings


def test_percentile_is_oriented_by_direction() -> None:
    base = baseline_from_values({"mtld": [10, 20, 30, 40], "fk_grade": [6, 8, 10, 12]})
    # MIN_BASELINE_VALUES is 5: four values are not enough for a percentile
    assert base.percentile(REGISTRY["mtld"], 25) is None
    base = baseline_from_values({"mtld": [10, 20, 30, 40, 50], "fk_grade": [6, 8, 10, 12, 14]})
    assert base.percentile(REGISTRY["mtld"], 35) == 60.0  # higher is better: beats 3 of 5
    assert base.percentile(REGISTRY["fk_grade"], 9) == 60.0  # lower is better: beats 3 of 5
    assert base.percentile(REGISTRY["fk_grade"], 10) == 50.0  # a tie counts half


def test_freshness_index_worked_example() -> None:
    base = baseline_from_values(
        {
            "mtld": [50, 60, 70, 80, 90],  # diversity
            "mattr": [0.6, 0.65, 0.7, 0.75, 0.8],  # diversity
            "recycled_phrasing": [0.0, 0.1, 0.2, 0.3, 0.4],  # repetition (lower better)
            "fk_grade": [6, 8, 10, 12, 14],  # readability (lower better)
        }
    )
    values = {"mtld": 95.0, "mattr": 0.62, "recycled_phrasing": 0.25, "fk_grade": 14.0,
              "ai_marker_density": 1.0}  # fmt: skip
    scores = score(base, REGISTRY, values)
    # mtld beats 5/5 -> 100; mattr beats 1/5 -> 20; diversity = 60
    assert scores.metric["mtld"] == 100.0 and scores.metric["mattr"] == 20.0
    assert scores.dimension["diversity"] == 60.0
    # recycled 0.25: 2 baseline values are higher -> 40
    assert scores.dimension["repetition"] == 40.0
    # fk_grade 14 ties the worst value: 0 beaten + 0.5 tie -> 10
    assert scores.dimension["readability"] == 10.0
    # genericness has a value but no baseline: no percentile, left out of the index
    assert scores.dimension["genericness"] is None
    # The index weighs only AI-style and genericness (core.baseline.freshness): neither has a
    # percentile here, so there is no index (this line pinned the old plain mean of four).
    assert scores.freshness is None


def test_freshness_index_weights_worked_example() -> None:
    base = baseline_from_values(
        {
            "mtld": [50, 60, 70, 80, 90],  # diversity: shown, weight 0
            "ai_marker_density": [0, 1, 2, 3, 4],  # genericness (lower better), weight 1
            "ai_style_probability": [0.1, 0.2, 0.3, 0.4, 0.5],  # ai_style (lower), weight 3
        }
    )
    values = {"mtld": 95.0, "ai_marker_density": 1.0, "ai_style_probability": 0.15}
    scores = score(base, REGISTRY, values)
    assert scores.dimension["diversity"] == 100.0  # still computed and shown
    # ai_marker 1.0: 3 baseline values higher + a tie counted half -> 70
    assert scores.dimension["genericness"] == 70.0
    # ai_style 0.15: 4 of 5 higher -> 80
    assert scores.dimension["ai_style"] == 80.0
    assert scores.freshness == pytest.approx((3 * 80 + 1 * 70) / 4)  # 77.5; diversity unused


def test_baseline_window_from_settings(tmp_path: Path, history_at: HistoryAt) -> None:
    path = build_analyzed(tmp_path)
    db = history_at(path)
    base = load_baseline(db, make_settings(baseline_end="2015-10-01"))
    assert not base.fallback
    expected = sum(
        1 for p in list_posts(db) if p.published and p.published.isoformat() < "2015-10-01"
    )
    assert base.post_count == expected == len(base.values["mtld"])
    assert "2015-10-01" in base.describe()


def test_empty_window_falls_back_to_oldest_half_and_says_so(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = build_analyzed(tmp_path)
    db = history_at(path)
    base = load_baseline(db, make_settings(baseline_start="2030-01-01", baseline_end=None))
    posts = list_posts(db)
    assert base.fallback and "oldest half" in base.describe()
    assert base.post_count == len(posts) // 2 == len(base.values["mtld"])
    oldest = {p.id for p in posts[: len(posts) // 2]}
    assert sorted(base.values["mtld"]) == sorted(
        stored_values(db, pid)["mtld"].value for pid in oldest
    )
    check = AnalysisEngine(path, make_settings(baseline_start="2030-01-01", baseline_end=None))
    assert "oldest half" in check.check_text(posts[-1].text).baseline_note
