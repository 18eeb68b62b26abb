"""The freshness index: one weighted rule, and a cliché-stuffed draft scores below the team."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.baseline.freshness import FRESHNESS_WEIGHTS, freshness_index, freshness_rows
from desktop_app.core.baseline.scoring import score_values
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.trends.data import load_table
from tests.conftest import DEMO, HistoryAt
from tests.core.analysis_support import import_subset, make_settings

#: A realistic marketing paragraph heavy with AI markers and stock phrases.
STUFFED_DRAFT = (
    "In today's fast-paced world, businesses must delve into the rich tapestry of customer "
    "data to stay ahead of the curve. Our platform is a game-changer: it seamlessly "
    "empowers teams to unlock their full potential and navigate the ever-evolving landscape "
    "of digital transformation. Moreover, our cutting-edge solution fosters a holistic, "
    "robust approach that leverages best-in-class insights. It is not just a tool; it is a "
    "testament to our unwavering commitment to excellence. Whether you are a startup or an "
    "enterprise, we delve deep into your unique needs to deliver a seamless, transformative "
    "experience. At the end of the day, it's all about taking your business to the next level "
    "in this dynamic and vibrant digital realm. Embark on this journey with us today and "
    "elevate your strategy to new heights."
)


def test_freshness_index_is_the_weighted_mean_of_available_dimensions() -> None:
    dims = {"ai_style": 20.0, "genericness": 60.0, "diversity": 100.0, "readability": None}
    assert FRESHNESS_WEIGHTS["ai_style"] == 3 and FRESHNESS_WEIGHTS["genericness"] == 1
    assert freshness_index(dims) == pytest.approx((3 * 20 + 60) / 4)  # diversity weighs 0
    assert freshness_index({"genericness": 60.0}) == 60.0  # no AI-style value: re-weighted
    assert freshness_index({"diversity": 80.0}) is None
    rows = freshness_rows(
        {"ai_style": np.array([20.0, np.nan]), "genericness": np.array([60.0, 40.0])}, 2
    )
    assert rows.tolist() == [pytest.approx(30.0), 40.0]  # the table path: the same rule


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every second post of the Let's Encrypt blog (60 real posts), analysed."""
    tmp = tmp_path_factory.mktemp("team")
    names = sorted(p.name for p in (DEMO / "letsencrypt-blog").iterdir() if p.suffix != ".txt")
    db = tmp / "team.sqlite"
    import_subset(tmp / "posts", db, names[::2])
    report = AnalysisEngine(db, make_settings()).analyze_posts(mode="missing")
    assert report.analyzed >= 55 and not report.failed
    return db


def test_a_stuffed_marketing_draft_scores_below_the_teams_10th_percentile(
    team: Path, history_at: HistoryAt
) -> None:
    engine = AnalysisEngine(team, make_settings())
    db = history_at(team)
    table = load_table(db)
    team_fresh = score_values(table.metrics, table.values, engine.baseline(db), REGISTRY)
    p10 = float(np.nanpercentile(team_fresh.freshness, 10))
    checked = engine.check_text(STUFFED_DRAFT)
    assert checked.freshness is not None and checked.freshness < p10, (checked.freshness, p10)
    # Every dimension's percentile still travels beside the index.
    assert {"diversity", "repetition", "genericness", "readability", "ai_style"} <= set(
        checked.dimensions
    )
