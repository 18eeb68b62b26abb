"""Library page: importing a folder shows its rows; search, inline edits and delete reach the DB."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history.repository import count_posts, get_post
from desktop_app.core.settings import Settings
from desktop_app.gui.models.posts_model import AI_COL, TAGS_COL
from desktop_app.gui.viewmodels.library_columns import FRESHNESS_DIMENSIONS, compute_scores
from tests.conftest import DEMO, TEST_PIPELINE, HistoryAt
from tests.gui.gestures import drop_files

LETSENCRYPT = DEMO / "letsencrypt-blog"


def test_dropping_a_folder_asks_then_imports_and_rows_appear(
    qtbot, window_for, db_file: Path
) -> None:
    window = window_for(db_file)
    assert window.stack.currentWidget() is window.welcome
    drop_files(window, [LETSENCRYPT])
    dialog = window.pending_confirm
    assert dialog.isVisible()
    listed = dialog.lines()
    assert any("letsencrypt-blog" in line for line in listed)
    assert not any(line.endswith("LICENSE") for line in listed)
    with qtbot.waitSignal(window.import_finished, timeout=120_000) as blocker:
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )
    report = blocker.args[0]
    assert report.totals.imported > 50
    library = window.library
    assert library.model.rowCount() == report.totals.imported
    assert library.count_label.text() == f"{report.totals.imported:,} posts"
    assert window.last_import_dialog.isVisible()
    assert window.stack.currentWidget() is not window.welcome
    window.last_import_dialog.close()


def test_bad_file_is_listed_with_its_reason(
    qtbot, window_for, db_file: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    window = window_for(db_file)
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        window.start_import([broken, tmp_path / "missing.md"])
    lines = window.last_import_dialog.lines()
    assert blocker.args[0].totals.imported == 0
    assert any("missing.md" in line and "no such file" in line for line in lines)
    assert any("broken.xml" in line and line.startswith("skipped") for line in lines)
    window.last_import_dialog.close()


def test_search_edit_and_delete(qtbot, window_for, otel_db: Path, history_at: HistoryAt) -> None:
    window = window_for(otel_db)
    window.show_page(1)
    library = window.library
    total = library.model.rowCount()
    qtbot.keyClicks(library.search, "kubernetes")
    qtbot.waitUntil(lambda: 0 < library.model.rowCount() < total, timeout=120_000)
    post_id = library.model.post_id(0)
    # tick AI-assisted, then type tags into the inline editor
    library.model.setData(
        library.model.index(0, AI_COL), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    library.table.edit(library.model.index(0, TAGS_COL))
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "k8s, launch")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    db = history_at(otel_db)

    def saved() -> bool:
        post = get_post(db, post_id)
        return post is not None and post.ai_assisted is True and post.tags == ["k8s", "launch"]

    qtbot.waitUntil(saved, timeout=10_000)
    library.select_row(0)
    library.delete_selected()
    box = library.confirm_box
    with qtbot.waitSignal(library.deleted, timeout=10_000):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert get_post(db, post_id) is None
    assert count_posts(db) == total - 1
    assert post_id not in [library.model.post_id(r) for r in range(library.model.rowCount())]
    db.conn.close()


def test_cancelling_an_import_keeps_the_finished_files(qtbot, window_for, db_file: Path) -> None:
    window = window_for(db_file)
    tasks = window.app.tasks
    cancel_at_progress = lambda handle: handle.done >= 3 and handle.cancel()  # noqa: E731
    tasks.task_progress.connect(cancel_at_progress)
    with qtbot.waitSignal(window.import_finished, timeout=120_000) as blocker:
        window.start_import([LETSENCRYPT])
    report = blocker.args[0]
    assert report.cancelled
    kept = count_posts(window.app.db)
    assert 0 < kept < len(list(LETSENCRYPT.rglob("*.md")))
    assert window.library.model.rowCount() == kept
    assert not any(h.label == "Importing" for h in tasks.running)
    window.last_import_dialog.close()


def test_undated_posts_get_their_percentiles_too(analyzed_db: Path, history_at: HistoryAt) -> None:
    """A percentile does not depend on the date: an undated post is scored like the others
    (its Library columns used to stay blank). Reference: the engine's per-post analysis."""
    db = history_at(analyzed_db)
    post_id = db.execute("select id from posts order by published desc limit 1").fetchone()[0]
    with db.conn:
        db.execute("update posts set published = null where id = ?", [post_id])
    engine = AnalysisEngine(analyzed_db, Settings(spacy_pipeline=TEST_PIPELINE))
    scores = compute_scores(db, engine)
    assert len(scores) == count_posts(db)
    analysis = engine.post_analysis(post_id)
    assert analysis is not None and analysis.freshness is not None
    freshness, *dimensions = scores[post_id]
    assert freshness == pytest.approx(analysis.freshness, abs=1e-6)
    for name, value in zip(FRESHNESS_DIMENSIONS, dimensions, strict=True):
        assert value == pytest.approx(analysis.dimensions[name], abs=1e-6), name
