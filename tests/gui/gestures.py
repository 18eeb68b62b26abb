"""What a person does in the GUI tests: drop files, check an article, wait for the dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import DEMO

#: A 2023 post, not part of the analysed 2021-2022 history, so it is checked against it.
CHECK_ARTICLE = DEMO / "otel-blog" / "2023" / "end-user-discussions-02.md"
LONG_WAIT_MS = 120_000


def drop_files(widget: QWidget, paths: list[Path]) -> None:
    """Drag `paths` onto the middle of `widget` and drop them (the enter must be accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(pos, *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(pos, *args))


def check_dropped_article(qtbot: Any, window: Any, path: Path = CHECK_ARTICLE) -> Any:
    """Open the Check page, drop `path` on it and wait for the result; returns the page."""
    window.show_page(2)
    check = window.check
    with qtbot.waitSignal(check.checked, timeout=LONG_WAIT_MS):
        drop_files(check, [path])
    return check


def load_dashboard(qtbot: Any, window: Any) -> Any:
    """Start the window's background work and wait for the dashboard's first load."""
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=LONG_WAIT_MS):
        window.start_background()
    return dashboard
