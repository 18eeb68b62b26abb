"""AI-styled prose (estimated) in the GUI: the check line and the dashboard share and split."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.aistyle import team_threshold
from desktop_app.core.settings import Settings
from tests.conftest import HistoryAt
from tests.gui.gestures import check_dropped_article, load_dashboard


def test_check_page_shows_false_alarm_line_after_dropping_a_file(
    qtbot, window_for, analyzed_db: Path, history_at: HistoryAt
) -> None:
    window = window_for(analyzed_db)
    check = check_dropped_article(qtbot, window)
    line = check.view.ai_style
    assert not line.isHidden()
    text = line.text()
    team = team_threshold(history_at(analyzed_db), Settings())
    assert text.startswith(("AI-styled prose (estimated):", "<b"))
    assert "AI-styled prose (estimated):" in text
    assert f"team threshold {team.threshold:.2f}" in text
    assert f"false-alarm rate {team.false_alarm_rate:.1%} on your {team.n_pre_ai_posts}" in text
    assert "not a verdict on a writer" in text and "written by AI" not in text
    assert check.current.ai_style.probability is not None
    # a new check hides the line until the next result
    check.view.show_plain("x", "text", "no analysis")
    assert line.isHidden()


def test_dashboard_shows_estimated_share_and_ai_style_split(
    qtbot, window_for, analyzed_db: Path, history_at: HistoryAt
) -> None:
    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: dashboard.ai_style.text() != "", timeout=60_000)
    text = dashboard.ai_style.text()
    team = team_threshold(history_at(analyzed_db), Settings())
    assert text.startswith("AI-styled prose (estimated): share 2022Q4")
    assert "90% CI" in text and "pre-AI reference" in text
    flags = f"threshold {team.threshold:.2f} flags {team.false_alarm_rate:.1%} of your "
    assert f"{flags}{team.n_pre_ai_posts} pre-AI posts (false-alarm rate)" in text
    assert not dashboard.ai_style.isHidden()
    index = dashboard.split.findData("ai-style")
    assert dashboard.split.itemText(index) == "AI-styled (estimated) vs not"
    with qtbot.waitSignal(dashboard.loaded, timeout=120_000):
        dashboard.split.setCurrentIndex(index)
    names = [g.name for g in dashboard.chart_result.trends.groups]
    assert names == ["AI-styled (estimated)", "not AI-styled (estimated)"]
    assert "false-alarm rate" in dashboard.verdict.text()
