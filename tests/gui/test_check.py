"""Check page with the real engine: drop a real article, see metrics, percentiles and highlights."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.core.history.metrics_repo import stored_values
from desktop_app.core.history.repository import count_posts
from desktop_app.core.records import post_id_for
from tests.conftest import HistoryAt
from tests.gui.gestures import CHECK_ARTICLE, check_dropped_article


def _metric_rows(view) -> dict[str, list[str]]:
    rows = {}
    tree = view.metrics
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        for c in range(group.childCount()):
            item = group.child(c)
            rows[item.text(0)] = [item.text(i) for i in range(4)]
    return rows


def test_drop_article_shows_metrics_percentiles_and_highlights(
    qtbot, window_for, analyzed_db: Path
) -> None:
    window = window_for(analyzed_db)
    check = check_dropped_article(qtbot, window)
    view = check.view
    assert check.stack.currentWidget() is view
    rows = _metric_rows(view)
    assert {"MTLD", "Flesch reading ease", "AI-marker words"} <= rows.keys()
    assert rows["MTLD"][1] not in ("", "–")
    assert any(r[3] not in ("", "–") for r in rows.values()), "no percentile against the baseline"
    assert "freshness index" in view.headline.text()
    assert view.spans.count() > 0
    kinds = view.highlighted_kinds()
    assert kinds and "?" not in kinds
    assert {s.kind for s in view.display.spans} == kinds
    # stepping selects the span's text in the document
    view.step(1)
    assert view.text.textCursor().selectedText() == view.display.spans[0].text


def test_add_to_history_stores_and_analyses(
    qtbot, window_for, analyzed_db: Path, history_at: HistoryAt
) -> None:
    window = window_for(analyzed_db)
    check = window.check
    before = count_posts(window.app.db)
    with qtbot.waitSignal(check.checked, timeout=120_000):
        check.check_file(CHECK_ARTICLE)
    with qtbot.waitSignal(check.added, timeout=120_000) as blocker:
        qtbot.mouseClick(check.add_button, Qt.MouseButton.LeftButton)
    db = history_at(analyzed_db)
    assert count_posts(db) == before + 1
    assert stored_values(db, blocker.args[0])
    assert blocker.args[0] == post_id_for(check.current.post.text)
    db.conn.close()


def test_pasted_text_and_unreadable_file(
    qtbot, window_for, analyzed_db: Path, tmp_path: Path
) -> None:
    window = window_for(analyzed_db)
    check = window.check
    text = CHECK_ARTICLE.read_text(encoding="utf-8").split("---", 2)[2]
    check.editor.setPlainText(text)
    with qtbot.waitSignal(check.checked, timeout=120_000):
        qtbot.mouseClick(check.check_button, Qt.MouseButton.LeftButton)
    assert _metric_rows(check.view)
    qtbot.mouseClick(check.new_button, Qt.MouseButton.LeftButton)
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    check.check_file(empty)
    qtbot.waitUntil(lambda: "Cannot check empty.md" in check.status.text(), timeout=30_000)
    assert check.stack.currentIndex() == 0
