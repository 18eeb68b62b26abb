"""Importing files: confirm what will be read, run it on the writer lane, show per-file outcomes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.gui.context import AppContext
from desktop_app.gui.tasks import Lane, TaskContext, TaskHandle

if TYPE_CHECKING:  # the importers load lazily (start-up speed)
    from desktop_app.core.importer import ImportReport

LIST_LIMIT = 500


def _patterns(suffixes: Iterable[str]) -> str:
    return " ".join(f"*{suffix}" for suffix in sorted(suffixes))


def import_file_filter(check: bool = False) -> str:
    """Qt file-dialog filters: every importable type, then one per kind, then all files.

    `check`: the types a draft to check can be (one article per file: no feeds or CSV).
    """
    from desktop_app.core.ingest import dispatch as ingest

    kinds = [
        ("Markdown", ingest.MARKDOWN),
        ("Plain text", ingest.TEXT),
        ("HTML", ingest.HTML),
        ("Word", frozenset({".docx"})),
    ]
    if not check:
        kinds += [("WordPress export, RSS or Atom feed", ingest.XML), ("CSV", frozenset({".csv"}))]
    every = frozenset().union(*(suffixes for _, suffixes in kinds))
    label = "Articles" if check else "Everything Content Drift can import"
    lines = [f"{label} ({_patterns(every)})"]
    lines += [f"{name} ({_patterns(suffixes)})" for name, suffixes in kinds]
    return ";;".join([*lines, "All files (*)"])


class ListDialog(QDialog):
    """A message, a list of lines (with icons) and OK/Cancel or Close buttons."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        message: str,
        lines: list[tuple[str, bool]],
        *,
        confirm: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.message = QLabel(message, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.list = QListWidget()
        style = self.style()
        ok_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        bad_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for text, problem in lines[:LIST_LIMIT]:
            self.list.addItem(QListWidgetItem(bad_icon if problem else ok_icon, text))
        if len(lines) > LIST_LIMIT:
            self.list.addItem(QListWidgetItem(QIcon(), f"… and {len(lines) - LIST_LIMIT} more"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            if confirm
            else QDialogButtonBox.StandardButton.Close
        )
        if confirm:
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText(confirm)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def lines(self) -> list[str]:
        """The texts shown in the list (tests)."""
        return [self.list.item(i).text() for i in range(self.list.count())]


def confirm_dialog(parent: QWidget | None, paths: list[Path]) -> ListDialog | None:
    """The 'these files will be imported' dialog, or None when nothing is importable."""
    from desktop_app.core.ingest.dispatch import discover_files

    files, problems = discover_files(paths)
    if not files and not problems:
        return None
    lines = [(str(f), False) for f in files]
    lines += [(f"{p.path}: {p.error}", True) for p in problems]
    message = f"Import {len(files)} file(s) into the history?"
    if not files:
        message = "Nothing here can be imported."
    return ListDialog(parent, "Import into the history", message, lines, confirm="Import")


def report_dialog(parent: QWidget | None, report: ImportReport) -> ListDialog:
    """Per-file outcomes of an import, skipped files first."""
    ordered = sorted(report.files, key=lambda f: f.status != "skipped")
    lines = [(f.line(), f.status == "skipped" or bool(f.warnings)) for f in ordered]
    return ListDialog(parent, "Import finished", report.summary_line().capitalize(), lines)


def start_import(
    app: AppContext, paths: list[Path], on_done: Callable[[ImportReport], None]
) -> TaskHandle:
    """Import `paths` on the writer lane with progress; cancelling keeps finished files."""
    options = ImportOptions.from_settings(app.settings)

    def work(ctx: TaskContext) -> ImportReport:
        from desktop_app.core.importer import import_paths

        def progress(done: int, total: int, path: Path) -> None:
            ctx.progress(done, total, path.name)

        return import_paths(ctx.db(), paths, options, progress, ctx.cancelled)

    return app.tasks.run(work, on_done, label="Importing", lane=Lane.WRITE)
