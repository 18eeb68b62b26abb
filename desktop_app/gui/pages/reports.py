"""Reports page: pick a quarter, preview the report, export PDF/HTML/CSV to a folder and open it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history.library_rows import quarters
from desktop_app.gui.context import AppContext
from desktop_app.gui.safe_text import plain_label
from desktop_app.gui.tasks import Lane, TaskContext, TaskFailure

if TYPE_CHECKING:  # the report package imports its builder (scikit-learn): not at launch
    from desktop_app.core.report.model import QuarterReport

FORMATS = ("pdf", "html", "csv")  # desktop_app.core.report.output.FORMATS


class ReportsPage(QWidget):
    """Quarter picker, HTML preview, export buttons."""

    previewed = Signal()
    exported = Signal(list)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.last_files: list[Path] = []
        self._build()
        self._quarters_stale = True  # a long history takes a while to list: not at launch
        app.history_changed.connect(self.reload_quarters)

    def showEvent(self, event: QShowEvent) -> None:
        """List the quarters on first show, and again after the history changed."""
        super().showEvent(event)
        if self._quarters_stale:
            self.reload_quarters()

    def _build(self) -> None:
        self.quarter = QComboBox(minimumContentsLength=8)
        self.preview_button = QPushButton("&Preview")
        self.preview_button.clicked.connect(self.preview)
        self.folder = QLineEdit(str(Path.home() / "Content Drift reports"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        self.formats = {name: QCheckBox(name.upper()) for name in FORMATS}
        for box in self.formats.values():
            box.setChecked(True)
        self.export_button = QPushButton("&Export")
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton("Open &folder")
        self.open_button.clicked.connect(self.open_folder)
        top = QHBoxLayout()
        top.addWidget(QLabel("Quarter:"))
        top.addWidget(self.quarter)
        top.addWidget(self.preview_button)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Export to:"))
        bottom.addWidget(self.folder, 1)
        bottom.addWidget(browse)
        for box in self.formats.values():
            bottom.addWidget(box)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.open_button)
        self.browser = QTextBrowser(openExternalLinks=False)
        self.status = plain_label(wrap=True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

    def reload_quarters(self) -> None:
        """Quarters that hold analysed posts, newest first (read when the page is shown)."""
        self._quarters_stale = not self.isVisible()
        if self._quarters_stale:
            return
        current = self.quarter.currentText()
        self.quarter.clear()
        self.quarter.addItems(quarters(self.app.db))
        found = self.quarter.findText(current)
        if found >= 0:
            self.quarter.setCurrentIndex(found)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export reports to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def preview(self) -> None:
        """Build the report in the background and show its HTML."""
        quarter = self.quarter.currentText()
        if not quarter:
            self.status.setText("No analysed quarter to report on yet.")
            return
        settings = self.app.settings

        def work(ctx: TaskContext) -> QuarterReport:
            from desktop_app.gui.viewmodels import report_export as report_flow

            return report_flow.build_preview(ctx.db(), settings, quarter)

        self.status.setText(f"Building the {quarter} report…")
        self.app.tasks.run(work, self._previewed, label=f"Building the {quarter} report",
                           on_error=self._failed)  # fmt: skip

    def _previewed(self, report: QuarterReport) -> None:
        from desktop_app.adapters.qt_pdf import build_document  # QtSvg: only when shown

        document = build_document(report)  # charts drawn as images, as in the PDF
        document.setParent(self.browser)  # the browser deletes the one it replaces (its child)
        self.browser.setDocument(document)
        self.status.setText("Preview ready.")
        self.previewed.emit()

    def export(self) -> None:
        """Write the chosen formats to the folder (background), then list the files."""
        quarter = self.quarter.currentText()
        chosen = [name for name, box in self.formats.items() if box.isChecked()]
        if not quarter or not chosen:
            self.status.setText("Pick a quarter and at least one format.")
            return
        folder, settings = Path(self.folder.text()).expanduser(), self.app.settings

        def work(ctx: TaskContext) -> list[Path]:
            from desktop_app.adapters.qt_pdf import write_pdf
            from desktop_app.gui.viewmodels import report_export as report_flow

            db = ctx.db()
            return report_flow.export(
                db, settings, quarter, folder, chosen, write_pdf, ctx.progress
            )

        self.app.tasks.run(work, self._exported, label=f"Exporting the {quarter} report",
                           lane=Lane.READ, on_error=self._failed)  # fmt: skip

    def _exported(self, files: list[Path]) -> None:
        self.last_files = files
        names = ", ".join(f.name for f in files)
        self.status.setText(
            f"Exported {names} to {files[0].parent}" if files else "Nothing exported."
        )
        self.exported.emit(files)

    def _failed(self, failure: TaskFailure) -> None:
        self.status.setText(f"Report failed: {failure.error}")

    def open_folder(self) -> None:
        """Open the export folder in the file manager."""
        folder = Path(self.folder.text()).expanduser()
        target = self.last_files[0] if self.last_files else folder
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target if target.exists() else folder)))
