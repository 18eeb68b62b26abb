"""Unexpected errors: written to the log file in the user log dir and shown in a dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.core import paths

log = logging.getLogger("desktop_app")
LOG_NAME = "content-drift.log"


def log_file() -> Path:
    """The app's log file."""
    return paths.log_dir() / LOG_NAME


def setup_logging() -> Path:
    """Send warnings and errors of the app to a rotating log file; return its path."""
    target = log_file()
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(target) for h in root.handlers):
        handler = RotatingFileHandler(target, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
    return target


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    """A modal error box with optional details (never a raw traceback in the main text)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages carry file names and user text
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setInformativeText(f"Details were written to {log_file()}")
    box.open()


def report_unexpected(error: BaseException, trace: str, parent: QWidget | None = None) -> None:
    """Log an unexpected exception and tell the user in a dialog."""
    log.error("unexpected error: %s\n%s", error, trace)
    if QApplication.instance() is None:
        print(trace, file=sys.stderr)
        return
    message = f"Something went wrong: {type(error).__name__}: {error}"
    show_error(parent or QApplication.activeWindow(), "Unexpected error", message, trace)


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    report_unexpected(error, "".join(traceback.format_exception(kind, error, tb)))


def install_excepthook() -> None:
    """Route uncaught exceptions (e.g. in slots) to the log and an error dialog."""
    sys.excepthook = _excepthook
