"""Check page: drop a file or paste text, see every metric against the baseline, add to history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QSettings, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history.repository import store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.records import Post
from desktop_app.gui import import_flow
from desktop_app.gui.context import AppContext
from desktop_app.gui.safe_text import plain_label
from desktop_app.gui.tasks import Lane, TaskContext, TaskFailure
from desktop_app.gui.viewmodels.analysis_display import AnalysisDisplay, from_result
from desktop_app.gui.widgets.analysis_view import AnalysisView
from desktop_app.gui.widgets.shortcuts import shortcut

if TYPE_CHECKING:  # the AI-style model loads scikit-learn: imported by the engine on first use
    from desktop_app.core.aistyle.team import AIStyleFlag

PASTED_SOURCE = "check:pasted"


class CheckInputError(Exception):
    """The dropped file gave no text to check; the message names the file and the reason."""


@dataclass
class Checked:
    """A checked text: the post it would be stored as and what to show."""

    post: Post
    display: AnalysisDisplay
    ai_style: AIStyleFlag | None = None  # estimate flagged at the team threshold


class DropEdit(QPlainTextEdit):
    """The big drop zone: accepts dropped files (signalled) and pasted or typed text."""

    files_dropped = Signal(list)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Files and text are both welcome."""
        return source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Dropped/pasted files are checked; plain text is inserted."""
        files = [Path(u.toLocalFile()) for u in source.urls() if u.isLocalFile()]
        if files:
            self.files_dropped.emit(files)
        else:
            super().insertFromMimeData(source)


def read_first_post(path: Path, options: ImportOptions) -> Post:
    """The (first) post in a file, or CheckInputError naming the file and the reason."""
    from desktop_app.core.ingest.base import IngestError
    from desktop_app.core.ingest.dispatch import read_for_check

    try:
        return read_for_check(path, options)[0]
    except IngestError as exc:
        raise CheckInputError(str(exc)) from exc


class CheckPage(QWidget):
    """Input on the first screen; the analysis replaces it, 'New check' goes back."""

    checked = Signal(object)
    added = Signal(str)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.current: Checked | None = None
        self.setAcceptDrops(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._input_screen())
        self.view = AnalysisView(state_key="check")
        self.stack.addWidget(self.view)
        self.status = plain_label(wrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())
        self._update_buttons()

    def _input_screen(self) -> QWidget:
        self.editor = DropEdit()
        self.editor.setPlaceholderText(
            "Drop an article here (Markdown, HTML, text, Word, …)\n\nor paste or type text, "
            "then press Check (Ctrl+Enter)."
        )
        font = self.editor.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.editor.setFont(font)
        self.editor.files_dropped.connect(lambda files: self.check_file(files[0]))
        self.editor.textChanged.connect(self._update_buttons)
        return self.editor

    def _buttons(self) -> QHBoxLayout:
        self.open_button = QPushButton("Open &file…")
        self.open_button.clicked.connect(self._pick_file)
        self.check_button = QPushButton("&Check")
        self.check_button.clicked.connect(self.check_pasted)
        shortcut("Ctrl+Return", self, self.check_pasted)
        self.new_button = QPushButton("&New check")
        self.new_button.clicked.connect(self.new_check)
        self.add_button = QPushButton("&Add to history")
        self.add_button.clicked.connect(self.add_to_history)
        row = QHBoxLayout()
        for button in (self.open_button, self.new_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.check_button)
        row.addWidget(self.add_button)
        return row

    def _update_buttons(self) -> None:
        showing = self.stack.currentWidget() is self.view
        self.check_button.setEnabled(not showing and bool(self.editor.toPlainText().strip()))
        self.add_button.setEnabled(showing and self.current is not None)
        self.new_button.setEnabled(showing)

    # -- input ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Files dropped anywhere on the page are checked (not imported)."""
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Check the first dropped file."""
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.check_file(files[0])

    def _pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Check a file", "", import_flow.import_file_filter(check=True)
        )
        if name:
            self.check_file(Path(name))

    def check_pasted(self) -> None:
        """Check the text in the editor."""
        text = self.editor.toPlainText().strip()
        if not text:
            return
        title = text.splitlines()[0][:80]
        self._start(lambda: Post(title=title, text=text, source=PASTED_SOURCE), title)

    def check_file(self, path: Path) -> None:
        """Read a file (any importable type) and check its text."""
        options = ImportOptions.from_settings(self.app.settings)
        self._start(lambda: read_first_post(path, options), path.name)

    def _start(self, make_post: Callable[[], Post], label: str) -> None:
        self.status.setText(f"Checking {label}…")

        def work(ctx: TaskContext) -> Checked:
            post = make_post()
            result = self.app.engine(ctx).check_text(post.text, post.title, post.published)
            display = from_result(result, post.title, post.text)
            return Checked(post, display, getattr(result, "ai_style", None))

        self.app.tasks.run(work, self.show_checked, label=f"Checking {label}",
                           on_error=self._failed, show_progress=False)  # fmt: skip

    def show_checked(self, checked: Checked) -> None:
        """Show a finished check."""
        self.current = checked
        self.view.show_display(checked.display)
        self.view.show_ai_style(checked.ai_style)
        self.stack.setCurrentWidget(self.view)
        self.status.setText(f"“{checked.post.title}” checked against your history.")
        self._update_buttons()
        self.checked.emit(checked)

    def _failed(self, failure: TaskFailure) -> None:
        if isinstance(failure.error, CheckInputError):
            self.status.setText(f"Cannot check {failure.error}")
        else:
            self.status.setText(f"Check failed: {type(failure.error).__name__}: {failure.error}")

    def new_check(self) -> None:
        """Back to the input screen."""
        self.current = None
        self.stack.setCurrentIndex(0)
        self.status.clear()
        self._update_buttons()
        self.editor.setFocus()

    # -- storing --------------------------------------------------------------------------
    def add_to_history(self) -> None:
        """Store the checked text as a post and analyse it (writer lane)."""
        if self.current is None:
            return
        post = self.current.post

        def work(ctx: TaskContext) -> str:
            store_posts(ctx.db(), [post])
            self.app.engine(ctx).analyze_posts([post.id])
            return post.id

        self.add_button.setEnabled(False)
        self.app.tasks.run(work, self._added, label="Adding to the history", lane=Lane.WRITE)

    def _added(self, post_id: str) -> None:
        self.status.setText(
            f"“{self.current.post.title if self.current else ''}” added to the history."
        )
        self.app.mark_history_changed()
        self.added.emit(post_id)

    def save_state(self, qs: QSettings) -> None:
        """Remember the analysis splitter."""
        self.view.save_state(qs)

    def restore_state(self, qs: QSettings) -> None:
        """Restore the analysis splitter."""
        self.view.restore_state(qs)
