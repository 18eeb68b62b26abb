"""The main window: page navigation, menus and shortcuts, progress bar, drops, saved state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop_app.core import paths
from desktop_app.core.history.repository import count_posts
from desktop_app.gui import errors, import_flow
from desktop_app.gui.about import AboutDialog
from desktop_app.gui.analysis_flow import AnalysisFlow
from desktop_app.gui.context import AppContext
from desktop_app.gui.glossary_dialog import GlossaryDialog
from desktop_app.gui.pages.check import CheckPage
from desktop_app.gui.pages.dashboard import DashboardPage
from desktop_app.gui.pages.library import LibraryPage
from desktop_app.gui.pages.post_dialog import PostDialog
from desktop_app.gui.pages.reports import ReportsPage
from desktop_app.gui.pages.settings_page import SettingsPage
from desktop_app.gui.pages.team_page import team_summary
from desktop_app.gui.pages.welcome import WelcomePage
from desktop_app.gui.safe_text import plain_label, plain_message_box
from desktop_app.gui.tasks import TaskFailure, TaskHandle

if TYPE_CHECKING:
    from desktop_app.core.importer import ImportReport

PAGE_NAMES = ["Dashboard", "Library", "Check", "Reports", "Settings"]
WINDOW_STATE_FILE = "window-state.ini"


def window_settings() -> QSettings:
    """Window state (size, page, splitters) in an INI file under the user config dir."""
    return QSettings(str(paths.config_dir() / WINDOW_STATE_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """Navigation list on the left, the current page on the right."""

    import_finished = Signal(object)

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.setWindowTitle("Content Drift")
        self.setAcceptDrops(True)
        self.analysis = AnalysisFlow(app, self)
        self._build_pages()
        self._build_status()
        self.progress.setMaximumWidth(260)
        self._build_menus()
        app.tasks.task_failed.connect(self._task_failed)
        app.history_changed.connect(self._update_welcome)
        app.db_switched.connect(self._update_title)
        self.analysis.pipeline_loaded.connect(self._pipeline_loaded)
        self._update_title()
        self.library.reload()
        self.restore_state()

    def start_background(self) -> None:
        """After showing: load the pipeline and fill the score columns and the dashboard."""
        self.analysis.load_pipeline()
        self.library.refresh_scores()
        self.dashboard.refresh()
        self.settings_page.team.sync_if_linked()
        self.show_settings_problems()

    def show_settings_problems(self) -> QMessageBox | None:
        """Say which settings were not used (file and key) without blocking the window."""
        if not self.app.settings_problems:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, "Some settings were not used",
                          "\n\n".join(self.app.settings_problems), parent=self)  # fmt: skip
        box.setInformativeText(
            "Those settings use their defaults; saving on the Settings page rewrites the file."
        )
        self.settings_box = plain_message_box(box)
        box.open()
        return box

    def _pipeline_loaded(self, info: object) -> None:
        label = getattr(info, "label", None)
        if label is None:
            self.pipeline_label.setText(f"Pipeline unavailable: {info}")
            return
        self.pipeline_label.setText(f"Pipeline: {label}")
        self.settings_page.show_pipeline(info)  # type: ignore[arg-type]

    # -- building -------------------------------------------------------------------------
    def _build_pages(self) -> None:
        self.welcome = WelcomePage()
        self.dashboard = DashboardPage(self.app)
        self.dashboard.explain.connect(self.show_glossary)
        self.library = LibraryPage(self.app)
        self.check = CheckPage(self.app)
        self.reports = ReportsPage(self.app)
        self.settings_page = SettingsPage(self.app)
        self.pages: list[QWidget] = [
            self.dashboard, self.library, self.check, self.reports, self.settings_page
        ]  # fmt: skip
        self.stack = QStackedWidget()
        for page in [*self.pages, self.welcome]:
            self.stack.addWidget(page)
        self.nav = QListWidget()
        self.nav.addItems(PAGE_NAMES)
        self.nav.setAccessibleName("Pages")
        self.nav.setMaximumWidth(220)
        self.nav.currentRowChanged.connect(self.show_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([160, 1100])
        self.setCentralWidget(self.splitter)
        self.welcome.import_folder.connect(self.import_folder)
        self.welcome.import_wordpress.connect(self.import_wordpress)
        self.welcome.open_demo.connect(self.open_demo)
        self.library.open_post.connect(self.open_post)
        self.dashboard.open_post.connect(self.open_post)

    def _build_status(self) -> None:
        self.task_label = plain_label()
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the running task (Esc); finished work is kept")
        self.cancel_button.clicked.connect(self.app.tasks.cancel_all)
        self.pipeline_label = plain_label()
        bar = self.statusBar()
        bar.addWidget(self.task_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.pipeline_label)
        self.team_label = plain_label()  # the last team sync, in one line (Settings -> Team)
        bar.addPermanentWidget(self.team_label)
        self.settings_page.team.sync_finished.connect(self._team_status)
        self._show_busy(None)
        tasks = self.app.tasks
        tasks.task_started.connect(self._task_changed)
        tasks.task_progress.connect(self._task_changed)
        tasks.task_finished.connect(self._task_changed)

    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str, slot: Any
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("Import &folder…", "Ctrl+O", self.import_folder))
        file_menu.addAction(self._action("Import fi&les…", "Ctrl+Shift+O", self.import_files))
        file_menu.addAction(
            self._action("Import &WordPress export…", "Ctrl+Shift+W", self.import_wordpress)
        )
        file_menu.addSeparator()
        self.demo_action = self._action("Open the &demo history", "Ctrl+Shift+D", self.toggle_demo)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", QKeySequence.StandardKey.Quit, self.close))
        work = self.menuBar().addMenu("&Analysis")
        work.addAction(self._action("&Analyse new posts", "Ctrl+R", self.analysis.analyze_pending))
        work.addAction(
            self._action("&Re-analyse everything", "Ctrl+Shift+R", self.analysis.reanalyze)
        )
        work.addAction(self._action("&Cancel running task", "Esc", self.app.tasks.cancel_all))
        view = self.menuBar().addMenu("&View")
        for number, name in enumerate(PAGE_NAMES):
            view.addAction(
                self._action(
                    f"&{name}", f"Ctrl+{number + 1}", lambda _c=False, n=number: self.show_page(n)
                )
            )
        help_menu = self.menuBar().addMenu("&Help")
        self.glossary_action = self._action(
            "&Glossary of measures", "F1", lambda: self.show_glossary()
        )
        help_menu.addAction(self.glossary_action)
        self.about_action = self._action("&About Content Drift", "", self.show_about)
        help_menu.addAction(self.about_action)

    def show_glossary(self, key: str = "") -> GlossaryDialog:
        """Help > Glossary, scrolled to `key` when given (the '?' buttons pass one)."""
        if getattr(self, "glossary_dialog", None) is None:
            self.glossary_dialog = GlossaryDialog(self)
        self.glossary_dialog.open()
        if key:
            self.glossary_dialog.show_entry(key)
        return self.glossary_dialog

    def show_about(self) -> AboutDialog:
        """Open the About box (version, license, pipeline in use, data provenance)."""
        label = getattr(self.analysis.pipeline_info, "label", None)
        self.about_dialog = AboutDialog(label, self)
        self.about_dialog.open()
        return self.about_dialog

    # -- pages ----------------------------------------------------------------------------
    def show_page(self, number: int) -> None:
        """Show page `number` of PAGE_NAMES (the welcome page stands in for an empty Dashboard)."""
        if not 0 <= number < len(self.pages):
            return
        if self.nav.currentRow() != number:
            self.nav.setCurrentRow(number)
            return
        page = self.pages[number]
        if page is self.dashboard and self._history_empty():
            page = self.welcome
        self.stack.setCurrentWidget(page)

    def current_page_name(self) -> str:
        """Name of the selected page."""
        return PAGE_NAMES[max(self.nav.currentRow(), 0)]

    def _history_empty(self) -> bool:
        return count_posts(self.app.db) == 0

    def _update_welcome(self) -> None:
        self.show_page(max(self.nav.currentRow(), 0))

    def _update_title(self) -> None:
        suffix = " — demo history" if self.app.is_demo else ""
        self.setWindowTitle(f"Content Drift{suffix}")
        self.demo_action.setText(
            "Back to &my history" if self.app.is_demo else "Open the &demo history"
        )

    def open_post(self, post_id: str) -> None:
        """Open a post's analysis in a dialog."""
        PostDialog(self.app, post_id, self).open()

    # -- importing ------------------------------------------------------------------------
    def import_folder(self) -> None:
        """Pick a folder and import it."""
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of posts")
        if folder:
            self.confirm_import([Path(folder)])

    def import_files(self) -> None:
        """Pick files and import them."""
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import files", "", import_flow.import_file_filter()
        )
        if files:
            self.confirm_import([Path(f) for f in files])

    def import_wordpress(self) -> None:
        """Pick a WordPress export (WXR) and import it."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Import a WordPress export", "", "WordPress export (*.xml *.wxr);;All files (*)"
        )
        if name:
            self.confirm_import([Path(name)])

    def confirm_import(self, paths_: list[Path]) -> None:
        """List what will be imported, then import it when the user agrees."""
        dialog = import_flow.confirm_dialog(self, paths_)
        if dialog is None:
            self.statusBar().showMessage("Nothing to import there.", 5000)
            return
        self.pending_confirm = dialog
        dialog.accepted.connect(lambda: self.start_import(paths_))
        dialog.open()

    def start_import(self, paths_: list[Path]) -> TaskHandle:
        """Import without asking (after confirmation, and for scripts)."""
        return import_flow.start_import(self.app, paths_, self._import_done)

    def _import_done(self, report: ImportReport) -> None:
        self.app.mark_history_changed()
        self.last_import_dialog = import_flow.report_dialog(self, report)
        self.last_import_dialog.open()
        self.import_finished.emit(report)
        if report.totals.imported or report.totals.updated:
            self.analysis.analyze_pending()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept local files and folders dropped anywhere on the window."""
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Dropped files/folders: confirm, then import."""
        local = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if local:
            event.acceptProposedAction()
            self.confirm_import(local)

    # -- demo -----------------------------------------------------------------------------
    def toggle_demo(self) -> None:
        """Switch between the demo history and the user's own."""
        if self.app.is_demo:
            self.app.switch_db(paths.default_db_path())
        else:
            self.open_demo()

    def open_demo(self) -> None:
        """Open the bundled demo history (built in the background on first use)."""
        self.analysis.open_demo()

    # -- tasks ----------------------------------------------------------------------------
    def _team_status(self, text: str) -> None:
        self.team_label.setText(team_summary(text))
        self.team_label.setToolTip(text)

    def _task_changed(self, _handle: TaskHandle) -> None:
        shown = [h for h in self.app.tasks.running if h.show_progress]
        self._show_busy(shown[-1] if shown else None)

    def _show_busy(self, handle: TaskHandle | None) -> None:
        busy = handle is not None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if handle is None:
            self.task_label.clear()
            return
        self.progress.setRange(0, max(handle.total, 0))
        self.progress.setValue(min(handle.done, handle.total))
        detail = f" — {handle.message}" if handle.message else ""
        self.task_label.setText(f"{handle.label}…{detail}")

    def _task_failed(self, failure: TaskFailure) -> None:
        errors.report_unexpected(failure.error, failure.trace, self)

    # -- state ----------------------------------------------------------------------------
    def save_state(self) -> None:
        """Remember size, position, page and splitters."""
        qs = window_settings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("windowState", self.saveState())
        qs.setValue("splitter", self.splitter.saveState())
        qs.setValue("page", self.nav.currentRow())
        for page in self.pages:
            saver = getattr(page, "save_state", None)
            if saver:
                saver(qs)
        qs.sync()

    def restore_state(self) -> None:
        """Restore what save_state remembered (defaults on first run)."""
        qs = window_settings()
        geometry = qs.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        for key, target in (
            ("windowState", self.restoreState),
            ("splitter", self.splitter.restoreState),
        ):
            value = qs.value(key)
            if isinstance(value, QByteArray):
                target(value)
        for page in self.pages:
            restorer = getattr(page, "restore_state", None)
            if restorer:
                restorer(qs)
        self.nav.setCurrentRow(int(str(qs.value("page", 0) or 0)))
        self.show_page(self.nav.currentRow())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save state, stop background work, close the DB."""
        self.save_state()
        self.app.tasks.shutdown()
        self.app.close_db()
        super().closeEvent(event)
