"""Dashboard and Reports over a real analysed history: cards, chart, verdict, period, export."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from tests.conftest import HistoryAt
from tests.gui.gestures import load_dashboard


def test_dashboard_shows_cards_chart_verdict_and_period_posts(
    qtbot, window_for, analyzed_db: Path
) -> None:
    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: len(dashboard.cards) == 5, timeout=60_000)
    fresh = dashboard.cards["freshness"]
    assert fresh.value.text() not in ("", "–")
    assert "vs previous quarter" in fresh.change.text()
    assert dashboard.verdict.text()
    chart = dashboard.chart.chart()
    assert chart.series(), "the chart is empty"
    data = dashboard.chart_result
    stats = data.trends.groups[0].metrics[0].series
    index = next(i for i, s in enumerate(stats) if s.n > 0 and s.mean is not None)
    dots = chart.series()[1]
    # the scatter series reports a click on its point (offscreen mouse hit-testing is unreliable)
    dots.clicked.emit(QPointF(index, stats[index].mean))
    # every post of the period is listed (posts too short for this metric included)
    qtbot.waitUntil(lambda: dashboard.period_posts.count() >= stats[index].n > 0, timeout=120_000)
    assert dashboard.period_title.text().startswith(data.trends.periods[index])


def test_dashboard_opens_with_the_core_summary_and_worded_cards(
    qtbot, window_for, analyzed_db: Path, history_at: HistoryAt
) -> None:
    from desktop_app.core.baseline.scoring import load_baseline
    from desktop_app.core.report.summary import summary

    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: bool(dashboard.summary.text()), timeout=60_000)
    db = history_at(analyzed_db)
    try:
        settings = window.app.settings
        expected = summary(db, settings, load_baseline(db, settings))
    finally:
        db.conn.close()
    assert dashboard.summary.text() == expected.text
    assert dashboard.chart_result.metric == "ai_style_probability"  # the headline measure
    for card in dashboard.cards.values():
        assert card.unit.text() == "percentile vs your baseline"
        assert card.tone.text().split()[0] in ("▲", "▼", "●")
        assert "(n=" in card.title.text()


def test_split_by_ai_draws_two_groups(qtbot, window_for, analyzed_db: Path) -> None:
    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    assert len(dashboard.chart_result.trends.groups) == 1
    with qtbot.waitSignal(dashboard.loaded, timeout=120_000):
        dashboard.split.setCurrentIndex(1)
    assert [g.name for g in dashboard.chart_result.trends.groups] == [
        "AI-assisted",
        "not marked AI-assisted",
    ]


def test_report_preview_and_export(qtbot, window_for, analyzed_db: Path, tmp_path: Path) -> None:
    window = window_for(analyzed_db)
    window.show_page(3)
    reports = window.reports
    assert reports.quarter.count() > 0
    reports.quarter.setCurrentIndex(0)
    quarter = reports.quarter.currentText()
    with qtbot.waitSignal(reports.previewed, timeout=120_000):
        qtbot.mouseClick(reports.preview_button, Qt.MouseButton.LeftButton)
    assert quarter in reports.browser.toPlainText()
    _assert_charts_drawn(reports.browser)
    out = tmp_path / "out"
    reports.folder.setText(str(out))
    with qtbot.waitSignal(reports.exported, timeout=180_000) as blocker:
        qtbot.mouseClick(reports.export_button, Qt.MouseButton.LeftButton)
    files = blocker.args[0]
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in files)
    assert f"content-drift-{quarter}.pdf" in names and f"content-drift-{quarter}.html" in names
    assert (out / f"content-drift-{quarter}.pdf").read_bytes().startswith(b"%PDF")
    assert "Exported" in reports.status.text()


def test_question_marks_open_the_glossary_at_their_measure(
    qtbot, window_for, analyzed_db: Path
) -> None:
    from desktop_app.core.metrics.glossary import entry

    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: len(dashboard.cards) == 5, timeout=60_000)
    card = dashboard.cards["genericness"]
    qtbot.mouseClick(card.help, Qt.MouseButton.LeftButton)
    dialog = window.glossary_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    text = dialog.browser.toPlainText()
    assert entry("genericness").label in text  # type: ignore[union-attr]
    assert "Higher diversity is not 'less AI'" in text and "not a verdict on a writer" in text
    dialog.close()
    qtbot.mouseClick(dashboard.chart_help, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert entry(dashboard.metric_box.currentData()).label in dialog.browser.toPlainText()  # type: ignore[union-attr]


def test_reports_lists_the_quarters_when_shown_and_after_a_change(
    window_for, analyzed_db: Path, history_at: HistoryAt
) -> None:
    window = window_for(analyzed_db)
    window.show_page(1)
    reports = window.reports
    assert reports.quarter.count() == 0  # not listed at launch: the Reports page is hidden
    window.show_page(3)
    listed = [reports.quarter.itemText(i) for i in range(reports.quarter.count())]
    assert len(listed) >= 2
    window.show_page(1)
    db = history_at(analyzed_db)
    (published,) = db.execute("select max(published) from posts").fetchone()
    quarter = f"{published[:4]}Q{(int(published[5:7]) + 2) // 3}"
    same = db.execute(
        "select id from posts where strftime('%Y', published) || 'Q' ||"
        " ((cast(strftime('%m', published) as integer) + 2) / 3) = ?",
        [quarter],
    ).fetchall()
    with db.conn:
        db.conn.executemany("delete from metric_values where post_id = ?", same)
    window.app.mark_history_changed()  # while Reports is hidden
    window.show_page(3)
    assert [reports.quarter.itemText(i) for i in range(reports.quarter.count())] == [
        q for q in listed if q != quarter
    ]


def _assert_charts_drawn(browser: QTextBrowser) -> None:
    """The preview draws the charts as images: Qt's rich text has no inline SVG, and showed an
    SVG's labels as a run of text ("Freshness index0–100 · ↑ better24.4…")."""
    text = browser.toPlainText()
    assert "baseline p25–p75 (dashed: median)" not in text  # the charts' legend line
    names = re.findall(r'<img src="(chart-[\w-]+\.png)"', browser.toHtml())
    assert len(names) >= 2, names  # the headline chart and the dimension charts
    document = browser.document()
    for name in names:
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(image, QImage) and image.width() > 100, name
