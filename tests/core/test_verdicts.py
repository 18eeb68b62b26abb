"""Verdict properties on histories built from the public corpora (tests/verdict_histories.py).

The same builders run at full scale in scripts/evaluate_verdicts.py (docs/verdicts.md); here
one history of each kind pins the property: a shuffled history gives no verdict, a pre-AI
history is not assessed for AI-styled prose and its quarters' intervals hold 0, a degrading
history is "worse" on AI-styled prose with the change point near the true onset.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests import verdict_histories as vh
from tests.conftest import TEST_PIPELINE

AI = "ai_style_probability"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("verdicts")


@pytest.fixture(scope="module")
def shuffled(root: Path) -> vh.History:
    return vh.shuffled_history(root, "letsencrypt", 1, TEST_PIPELINE)


@pytest.fixture(scope="module")
def degrading(root: Path) -> vh.History:
    return vh.degrading_history(root, "degrading", "A", 24, 11, TEST_PIPELINE)


def test_a_shuffled_real_history_gives_no_verdict(shuffled: vh.History) -> None:
    verdicts = vh.trend_verdicts(shuffled)
    assert len(verdicts) >= 17
    wrong = {m: v["judgement"] for m, v in verdicts.items() if v["judgement"] != "neutral"}
    assert wrong == {}
    tested = [v for v in verdicts.values() if v["p"] is not None]
    assert tested and all(v["fdr_family"] == len(tested) for v in tested)
    assert all(v["q_fdr"] >= v["p"] for v in tested)  # adjusted values are never smaller


def test_a_pre_ai_history_is_not_assessed_and_its_quarters_hold_zero(root: Path) -> None:
    history = vh.pre_ai_history(root, "letsencrypt", TEST_PIPELINE)
    ai = vh.trend_verdicts(history)[AI]
    assert ai["status"] == "not_assessed" and ai["judgement"] == "neutral"
    assert "no posts after the AI-adoption date (2022-12-01)" in ai["sentence"]
    quarters = vh.shares(history)
    assert quarters and all(q["pre_ai"] for q in quarters)
    with_interval = [q for q in quarters if q["ci_low"] is not None]
    assert with_interval and all(q["ci_low"] == 0.0 for q in with_interval)
    assert all(q["estimated_share"] is None for q in quarters if q["n"] < 3)  # too few posts
    shown = [q["estimated_share"] for q in with_interval]
    assert float(np.mean(shown)) <= 0.05


def test_a_degrading_history_is_worse_on_ai_styled_prose(degrading: vh.History) -> None:
    history = degrading
    ai = vh.trend_verdicts(history)[AI]
    assert ai["judgement"] == "worse" and ai["q_fdr"] < 0.05
    onset = int(history.onset[:4]) * 4 + int(history.onset[-1])  # type: ignore[index]
    lags = [int(c[:4]) * 4 + int(c[-1]) - onset for c in ai["change_points"]]
    assert lags and min(abs(lag) for lag in lags) <= 2
    estimates = {q["quarter"]: q for q in vh.shares(history)}
    errors = [abs(estimates[q]["estimated_share"] - t) for q, t in history.true_share.items()]
    assert float(np.mean(errors)) <= 0.15
    before = [estimates[q] for q, t in history.true_share.items() if t == 0]
    assert sum(q["ci_low"] == 0.0 for q in before) >= 0.9 * len(before)


def _summary(history: vh.History, *args: str) -> dict[str, object]:
    data = vh.cli_json(history, "summary", *args)
    assert data["text"] == " ".join(data["sentences"]) and 2 <= len(data["sentences"]) <= 6
    assert vh.cli(history, "summary", *args).strip() == data["text"]  # text mode: same words
    for jargon in ("Mann-Kendall", "Theil-Sen", "Benjamini", "p =", "q =", "p <"):
        assert jargon not in data["text"]
    return data


def test_summary_of_a_flat_history_says_nothing_changed(shuffled: vh.History) -> None:
    data = _summary(shuffled)
    assert data["worse"] == [] and data["better"] == []
    assert "no measure got clearly worse or better" in str(data["text"])
    assert f"Posts in {data['quarter']} ({data['n']})" in str(data["text"])
    assert int(str(data["n"])) >= 5  # the headline quarter has enough posts


def test_summary_of_a_degrading_history_names_the_ai_styled_share(degrading: vh.History) -> None:
    data = _summary(degrading)
    assert data["quarter"] == "2026Q4" and data["n"] == vh.POSTS_PER_QUARTER
    text = str(data["text"])
    assert "The estimated share of AI-styled posts in 2026Q4 is" in text
    assert "clearly above your pre-AI level" in text and "not clearly above" not in text
    assert "AI-styled prose (estimated)" in data["worse"]  # type: ignore[operator]


def test_summary_of_a_too_short_history_says_not_enough_evidence(root: Path) -> None:
    history = vh.new_history(root, "short", TEST_PIPELINE)
    folder = vh.BLOGS["letsencrypt"]
    for name in ("2015-11-9-why-90-days.markdown", "2016-3-8-our-millionth-cert.markdown"):
        vh.cli(history, "import", str(folder / name))
    vh.cli(history, "analyze")
    text = str(_summary(history)["text"])
    assert "too few posts to compare it with your baseline" in text
    assert "Not enough evidence yet to say whether your writing is changing" in text
