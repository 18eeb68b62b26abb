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


def test_a_shuffled_real_history_gives_no_verdict(root: Path) -> None:
    history = vh.shuffled_history(root, "letsencrypt", 1, TEST_PIPELINE)
    verdicts = vh.trend_verdicts(history)
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


def test_a_degrading_history_is_worse_on_ai_styled_prose(root: Path) -> None:
    history = vh.degrading_history(root, "degrading", "A", 24, 11, TEST_PIPELINE)
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
