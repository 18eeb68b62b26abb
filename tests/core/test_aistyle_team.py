"""The AI-style score against a real history: team threshold, quarterly shares, the metric."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from desktop_app.cli import run
from desktop_app.core.aistyle import estimated_ai_share_by_quarter, load_model, team_threshold
from desktop_app.core.aistyle.team import (
    ai_styled_flags,
    pre_ai_posts,
    pre_ai_share,
    probabilities_for,
    threshold_for,
)
from desktop_app.core.history.repository import list_posts, set_ai_assisted
from desktop_app.core.records import Confidence, Direction
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, HistoryAt

LETSENCRYPT = DEMO / "letsencrypt-blog"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Let's Encrypt blog imported once through the CLI (a real pre-AI history)."""
    path = tmp_path_factory.mktemp("aistyle") / "history.sqlite"
    assert run(["--db", str(path), "import", str(LETSENCRYPT)]) == 0
    return path


@pytest.fixture
def db(history: Path, tmp_path: Path, history_at: HistoryAt) -> Database:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(history.read_bytes())
    return history_at(copy)


def _held_out_rate(probs: np.ndarray, rate: float) -> float:
    """Independent reference: 5 date-ordered blocks, each judged by a threshold fitted on the
    other four (the lowest threshold flagging at most `rate` of them)."""
    flagged = 0
    for block in np.array_split(np.arange(len(probs)), 5):
        others = np.sort(np.delete(probs, block))[::-1]
        allowed = int(np.floor(rate * len(others)))
        cut = max(np.floor(others[allowed] * 10_000) / 10_000 + 0.0001, 0.5)
        flagged += int(np.sum(probs[block] >= cut))
    return flagged / len(probs)


def test_team_threshold_keeps_held_out_false_alarms_on_pre_ai_posts_at_most_5_percent(
    db: Database,
) -> None:
    settings = Settings()
    result = team_threshold(db, settings)
    pre = pre_ai_posts(db, settings)
    probs = probabilities_for(db, pre)
    assert result.n_pre_ai_posts == len(pre) > 50
    assert all(p.published is not None and p.published.isoformat() < "2022-12-01" for p in pre)
    assert [p.published for p in pre] == sorted(p.published for p in pre)  # type: ignore[type-var]
    assert result.false_alarm_rate is not None and result.false_alarm_rate <= 0.05
    rates = [r / 400 for r in range(20, -1, -1)]
    fitted = next(r for r in rates if _held_out_rate(probs, r) <= 0.05)
    assert result.false_alarm_rate == pytest.approx(_held_out_rate(probs, fitted))
    assert float(np.mean(probs >= result.threshold)) <= fitted + 1e-9  # in-sample, for contrast
    ai = load_model().arrays["oof_probability_ai"]
    assert result.detection_rate_on_labelled_set == pytest.approx(np.mean(ai >= result.threshold))


def test_adoption_date_and_manual_threshold_are_honoured(db: Database) -> None:
    early = team_threshold(db, Settings(ai_adoption_date="2016-01-01"))
    assert 0 < early.n_pre_ai_posts < team_threshold(db, Settings()).n_pre_ai_posts
    manual = team_threshold(db, Settings(ai_style_threshold=0.0))
    assert manual.threshold == 0.0 and manual.false_alarm_rate == 1.0


def test_threshold_for_never_exceeds_the_allowed_rate() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 7, 19, 20, 21, 200):
        probs = rng.uniform(0.3, 1.0, n)
        threshold = threshold_for(probs)
        assert np.mean(probs >= threshold) <= 0.05
        assert threshold >= 0.5
    assert np.mean(np.full(40, 0.9) >= threshold_for(np.full(40, 0.9))) == 0


def test_no_pre_ai_posts_gives_default_threshold_and_unknown_rate(db: Database) -> None:
    result = team_threshold(db, Settings(ai_adoption_date="2000-01-01"))
    assert result.n_pre_ai_posts == 0 and result.false_alarm_rate is None
    assert result.threshold == 0.5


def test_quarterly_estimated_share_with_interval_and_labelled_share(db: Database) -> None:
    posts = list_posts(db)
    labelled = next(p for p in posts if p.published and p.published.year == 2019)
    set_ai_assisted(db, labelled.id, True)
    rows = estimated_ai_share_by_quarter(db)
    assert [r.quarter for r in rows] == sorted(r.quarter for r in rows)
    assert sum(r.n for r in rows) == sum(1 for p in posts if p.published)
    for row in rows:
        if row.n < 3:
            assert row.ci_low is None and row.ci_high is None  # "too few posts"
            assert row.interval_text() == "too few posts"
        else:
            assert row.ci_low is not None and row.ci_high is not None
            assert 0 <= row.ci_low <= row.estimated_share <= row.ci_high <= 1
    assert all(r.pre_ai == (r.quarter < "2022Q4") for r in rows)
    q = f"{labelled.published.year}Q{(labelled.published.month - 1) // 3 + 1}"  # type: ignore[union-attr]
    by_quarter = {r.quarter: r for r in rows}
    assert by_quarter[q].labelled_share is not None and by_quarter[q].labelled_share > 0
    assert sum(r.labelled_share is not None for r in rows) == 1
    assert rows == estimated_ai_share_by_quarter(db)  # deterministic bootstrap


def test_estimated_shares_of_some_quarters_are_those_of_the_full_table(db: Database) -> None:
    """The report asks only for its chart window: each quarter's row must not depend on the
    others (pre-AI quarters included, which are estimated against the other pre-AI ones)."""
    every = {r.quarter: r for r in estimated_ai_share_by_quarter(db)}
    pre, post = [q for q in every if every[q].pre_ai], [q for q in every if not every[q].pre_ai]
    window = [pre[0], pre[-1], *post[-2:], "1999Q1"]
    some = estimated_ai_share_by_quarter(db, periods=window)
    assert [r.quarter for r in some] == sorted(set(window) & set(every))
    assert all(r == every[r.quarter] for r in some)


def test_metric_is_registered_and_independent_of_the_pipeline() -> None:
    from desktop_app.core.metrics.context import DocContext
    from desktop_app.core.metrics.lexicons import Lexicons
    from desktop_app.core.metrics.registry import REGISTRY, compute_one
    from desktop_app.core.nlp.pipeline import load_pipeline
    from tests.conftest import TEST_PIPELINE

    spec = REGISTRY["ai_style_probability"]
    assert spec.dimension == "ai_style" and spec.direction is Direction.LOWER_BETTER
    assert spec.label == "AI-styled prose (estimated)"
    text = (LETSENCRYPT / "2015-11-9-why-90-days.markdown").read_text("utf-8").split("---")[2]
    values = []
    for name in (TEST_PIPELINE, "no-such-pipeline"):
        nlp, info = load_pipeline(name)
        ctx = DocContext.build(nlp(text), info, Lexicons.load(Settings()))
        result = compute_one(spec, ctx)
        assert result.confidence is Confidence.OK and result.spans
        values.append(result.value)
    assert values[0] == values[1] and 0 <= values[0] <= 1


def test_cli_threshold_and_shares_json(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", str(history), "ai-style", "threshold", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["false_alarm_rate"] <= 0.05 and data["pre_ai_before"] == "2022-12-01"
    assert run(["--db", str(history), "ai-style", "shares", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["quarter"] == "2014Q4"


def test_flags_follow_the_team_threshold_and_pre_ai_level(db: Database) -> None:
    settings = Settings()
    team = team_threshold(db, settings)
    flags = ai_styled_flags(db, settings)
    pre = pre_ai_posts(db, settings)
    probs = probabilities_for(db, pre)
    assert sum(flags[p.id] for p in pre) == int(np.sum(probs >= team.threshold))
    # The pre-AI level, each quarter estimated against the others: about 0, interval holds 0.
    reference = pre_ai_share(db, settings)
    assert reference is not None and reference.n == len(pre)
    assert reference.estimated_share <= 0.05 and reference.ci_low == 0.0
    assert pre_ai_share(db, Settings(ai_adoption_date="2000-01-01")) is None
