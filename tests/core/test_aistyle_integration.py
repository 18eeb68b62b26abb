"""AI-styled prose (estimated) on the real Let's Encrypt history: check, trends and report.

The history is imported and analysed once through the CLI; every flag must come with the team
threshold and its false-alarm rate on the team's own pre-AI posts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.aistyle import ai_styled_flags, team_threshold
from desktop_app.core.aistyle.team import METRIC, pre_ai_posts, stored_probabilities
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE, HistoryAt, copy_history

LETSENCRYPT = DEMO / "letsencrypt-blog"
#: An OpenTelemetry post: new to the Let's Encrypt history, so it is checked against it.
ARTICLE = DEMO / "otel-blog" / "2025" / "sampling-milestones.md"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole Let's Encrypt blog imported and analysed with the real CLI (67 pre-AI posts)."""
    path = tmp_path_factory.mktemp("ai_style_app") / "history.sqlite"
    assert run(["--db", str(path), "import", str(LETSENCRYPT)]) == 0
    assert run(["--db", str(path), "analyze"]) == 0
    return path


@pytest.fixture
def db_copy(history: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    return copy_history(history, target)


def _run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_check_json_has_ai_style_block_with_low_false_alarm_rate(
    history: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    data = _run_json(capsys, "--db", str(history), "check", str(ARTICLE), "--json")
    assert data["schema_version"] == 1
    doc = data["documents"][0]
    block = doc["ai_style"]
    assert block["label"] == "AI-styled prose (estimated)"
    assert block["n_pre_ai_posts"] > 50
    assert 0 < block["false_alarm_rate"] <= 0.05
    assert 0.5 <= block["threshold"] <= 1
    assert 0 < block["detection_rate_on_labelled_set"] < 1
    metric = next(m for m in doc["metrics"] if m["name"] == METRIC)
    assert block["probability"] == metric["value"]
    assert block["flagged"] is (block["probability"] >= block["threshold"])
    assert "not a verdict on a writer" in block["note"]
    team = team_threshold(history_at(history), Settings())
    assert block["false_alarm_rate"] == pytest.approx(team.false_alarm_rate, abs=1e-4)


def test_check_text_output_shows_flag_threshold_and_false_alarm_rate(
    history: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    capsys.readouterr()
    assert run(["--db", str(history), "check", str(ARTICLE)]) == 0
    out = capsys.readouterr().out
    team = team_threshold(history_at(history), Settings())
    line = next(x for x in out.splitlines() if x.startswith("AI-styled prose (estimated):"))
    assert f"team threshold {team.threshold:.2f}" in line
    assert f"false-alarm rate {team.false_alarm_rate:.1%} on your {team.n_pre_ai_posts}" in line
    assert "flagged" in line
    assert "written by AI" not in out


def test_team_threshold_uses_stored_values_and_is_cached_per_engine(
    db_copy: Path, history_at: HistoryAt
) -> None:
    db = history_at(db_copy)
    settings = Settings()
    pre_ids = [p.id for p in pre_ai_posts(db, settings)]
    stored = stored_probabilities(db)
    assert set(pre_ids) <= stored.keys()  # every analysed pre-AI post has its stored value
    before = team_threshold(db, settings)
    # Overwrite the stored values: a threshold computed from them (not by rescoring) must move.
    db.execute(
        f"update metric_values set value = 0.999 where metric = ? and post_id in "
        f"({', '.join('?' for _ in pre_ids)})",
        [METRIC, *pre_ids],
    )
    db.conn.commit()
    after = team_threshold(db, settings)
    assert before.false_alarm_rate is not None and before.false_alarm_rate <= 0.05
    assert after.threshold > 0.999 > before.threshold
    engine = AnalysisEngine(db_copy, Settings(spacy_pipeline=TEST_PIPELINE))
    first = engine.ai_style_team()
    assert first is engine.ai_style_team()  # cached: not recomputed on the next check
    assert first is not None and first.threshold == after.threshold


def test_trends_split_ai_style_gives_two_estimated_groups(
    history: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    args = ["--db", str(history), "trends", "--split", "ai-style", "--metric", "mtld"]
    data = _run_json(capsys, *args, "--no-corpus", "--json")
    groups = {g["name"]: g["n_posts"] for g in data["groups"]}
    assert set(groups) == {"AI-styled (estimated)", "not AI-styled (estimated)"}
    flags = ai_styled_flags(history_at(history), Settings())
    assert groups["AI-styled (estimated)"] == sum(flags.values()) > 0
    assert sum(groups.values()) == len(flags)
    assert "estimate from the score" in data["notes"][0] and "false-alarm rate" in data["notes"][0]
    shares = data["ai_style"]
    assert shares["pre_ai_reference"]["n"] > 50
    quarter = next(q for q in reversed(shares["quarters"]) if q["n"] >= 3)
    assert quarter["ci_low"] <= quarter["estimated_share"] <= quarter["ci_high"]
    assert all(q["ci_low"] is None for q in shares["quarters"] if q["n"] < 3)
    capsys.readouterr()
    assert run([*args, "--no-corpus", "--ai-share"]) == 0
    out = capsys.readouterr().out
    assert "== AI-styled (estimated):" in out and "== not AI-styled (estimated):" in out
    assert "AI-styled prose (estimated): share of posts per quarter" in out
    assert "before 2022-12-01" in out and "written by AI" not in out


def test_report_has_ai_styled_section_with_false_alarm_rate(
    history: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    args = ["--db", str(history), "report", "--quarter", "2025Q3", "--out", str(tmp_path)]
    assert run([*args, "--format", "html"]) == 0
    html = (tmp_path / "content-drift-2025Q3.html").read_text(encoding="utf-8")
    assert 'id="ai-style"' in html and "AI-styled prose (estimated)</h2>" in html
    team = team_threshold(history_at(history), Settings())
    assert f"false-alarm rate {team.false_alarm_rate:.1%} on your {team.n_pre_ai_posts}" in html
    assert f"Threshold {team.threshold:.2f}" in html
    assert "pre-AI reference (before 2022-12-01)" in html
    assert "Estimated share of AI-styled posts in 2025Q3" in html
    assert "90% interval" in html and "labelled AI-assisted share" in html
    assert "estimated share of AI-styled posts" in html
    assert "not a verdict on a writer" in html and "written by AI" not in html


def test_the_share_of_a_quarter_is_the_same_in_trends_and_in_the_share_table(
    db_copy: Path, history_at: HistoryAt
) -> None:
    """A pre-AI post too short to score (under 20 words) has no AI-style value: the share
    table (dashboard line, report section, `ai-style shares`) must leave it out of the team
    reference as the trends series does, or the two give different intervals for a quarter."""
    from datetime import date

    from desktop_app.core.aistyle.team import estimated_ai_share_by_quarter
    from desktop_app.core.history.repository import store_posts
    from desktop_app.core.records import Post
    from desktop_app.core.trends.compute import compute_trends

    settings = Settings(spacy_pipeline=TEST_PIPELINE)
    db = history_at(db_copy)
    short = [
        Post(f"Note {i}", f"Our servers are back after the outage number {i}.", "notes.md",
             published=date(2019, 1 + i, 5))
        for i in range(3)
    ]  # fmt: skip
    store_posts(db, short)
    AnalysisEngine(db_copy, settings).analyze_posts(None)
    stored = stored_probabilities(db)
    assert not any(p.id in stored for p in short)  # the metric leaves them without a value
    table = {r.quarter: r for r in estimated_ai_share_by_quarter(db, settings)}
    trends = compute_trends(db, metrics=[METRIC], corpus=False, settings=settings)
    series = {p.period: p for p in trends.groups[0].metrics[0].series if p.mean is not None}
    assert len(series) >= 10
    for period, point in series.items():
        row = table[period]
        assert row.estimated_share == pytest.approx(point.mean), period
        assert (row.ci_low, row.ci_high) == pytest.approx((point.ci_low, point.ci_high)), period
