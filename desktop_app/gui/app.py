"""Start the Qt application: arguments, logging, the exception hook, the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.core import paths
from desktop_app.core.history import HistoryError
from desktop_app.core.history.repository import count_posts
from desktop_app.gui import errors
from desktop_app.gui.context import AppContext
from desktop_app.gui.gc_timer import MainThreadCollector
from desktop_app.gui.main_window import WINDOW_STATE_FILE, MainWindow
from desktop_app.gui.safe_text import plain_message_box


@dataclass
class GuiArgs:
    """What the GUI understands on the command line."""

    demo: bool = False
    self_test: bool = False
    db: Path | None = None


def parse_args(argv: Sequence[str]) -> GuiArgs:
    """--demo, --self-test and --db PATH (anything else is ignored)."""
    args = GuiArgs()
    items = list(argv)
    for i, item in enumerate(items):
        if item == "--demo":
            args.demo = True
        elif item == "--self-test":
            args.self_test = True
        elif item == "--db" and i + 1 < len(items):
            args.db = Path(items[i + 1])
    return args


def application() -> QApplication:
    """The QApplication (created once), with name, icon and style sheet."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName("Content Drift")
    QCoreApplication.setOrganizationName("ContentDrift")
    style = paths.resource_file("style/app.qss")
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    icon = paths.resource_file("icons/content-drift.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    if app.findChild(MainThreadCollector) is None:
        MainThreadCollector(app)
    return app


def build_window(db_path: Path | None = None) -> MainWindow:
    """Create the application context and main window (not shown yet)."""
    return MainWindow(AppContext(db_path or paths.default_db_path()))


def first_launch() -> bool:
    """Neither settings nor a saved window state exist yet: the app was never used here."""
    return (
        not paths.settings_file().exists() and not (paths.config_dir() / WINDOW_STATE_FILE).exists()
    )


def wants_demo(args: GuiArgs, fresh: bool, window: MainWindow) -> bool:
    """--demo, or a first launch over an empty history of one's own (show a populated app)."""
    if args.demo:
        return True
    return fresh and args.db is None and count_posts(window.app.db) == 0


def run_gui(argv: Sequence[str]) -> int:
    """Open the main window (or run the self-test); returns the exit code."""
    args = parse_args(argv)
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    errors.setup_logging()
    errors.install_excepthook()
    app = application()
    if args.self_test:
        from desktop_app.gui.self_test import run_self_test

        return run_self_test(args.db)
    fresh = first_launch()
    try:
        window = build_window(args.db)
    except HistoryError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the history", str(exc))
        plain_message_box(box).exec()
        return 1
    window.show()
    window.start_background()
    if wants_demo(args, fresh, window):
        window.open_demo()
    return int(app.exec())
