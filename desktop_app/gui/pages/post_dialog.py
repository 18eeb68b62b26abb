"""A stored post's analysis in a dialog (opened from the Library, the Dashboard or a link)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop_app.core.history.repository import get_post
from desktop_app.gui.context import AppContext
from desktop_app.gui.safe_text import rich
from desktop_app.gui.tasks import TaskContext, TaskFailure
from desktop_app.gui.viewmodels.analysis_display import AnalysisDisplay, from_result
from desktop_app.gui.widgets.analysis_view import AnalysisView

if TYPE_CHECKING:  # the AI-style model loads scikit-learn: imported by the engine on first use
    from desktop_app.core.aistyle.team import AIStyleFlag

#: What the worker hands back: the display, and the AI-style flag (None without a model).
Loaded = tuple[AnalysisDisplay, "AIStyleFlag | None"]


class PostDialog(QDialog):
    """Text with highlights and every metric of one stored post."""

    def __init__(self, app: AppContext, post_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.post_id = post_id
        self.view = AnalysisView(state_key="post")
        self.view.open_post.connect(self._open_other)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(1100, 720)
        post = get_post(app.db, post_id)
        title = post.title if post else post_id
        self.setWindowTitle(title)
        self.view.show_plain(title, post.text if post else "", "Loading the analysis…")
        self._load()

    def _load(self) -> None:
        def work(ctx: TaskContext) -> Loaded | None:
            result = self.app.engine(ctx).post_analysis(self.post_id)
            if result is None:
                return None
            display = from_result(result, result.post.title, result.post.text)
            return display, result.ai_style

        self.app.tasks.run(work, self._loaded, label="Loading the analysis",
                           on_error=self._failed, show_progress=False)  # fmt: skip

    def _loaded(self, loaded: Loaded | None) -> None:
        if loaded is None:
            self.view.headline.setText("This post is no longer in the history.")
            return
        display, ai_style = loaded
        if not display.rows:
            title = rich(display.title)
            self.view.headline.setText(f"<b>{title}</b><br>Not analysed yet (Ctrl+R).")
        else:
            self.view.show_display(display)
            self.view.show_ai_style(ai_style)
            self.fit_metrics()

    def metrics_width(self) -> int:
        """Width the metric table needs to show every column whole."""
        tree = self.view.metrics
        columns = sum(tree.header().sectionSize(c) for c in range(tree.columnCount()))
        scroll = tree.verticalScrollBar().sizeHint().width()
        return columns + scroll + 2 * tree.frameWidth() + 16

    def fit_metrics(self) -> None:
        """Give the metric table (right of the splitter) room for all its columns, so the
        percentile column is never clipped; the text keeps the rest."""
        needed = self.metrics_width()
        sizes = self.view.splitter.sizes()
        total = sum(sizes)
        if len(sizes) == 2 and sizes[1] < needed:
            self.view.splitter.setSizes([max(total - needed, total // 3), needed])

    def _failed(self, failure: TaskFailure) -> None:
        self.view.headline.setText(rich(f"Could not load the analysis: {failure.error}"))

    def _open_other(self, post_id: str) -> None:
        PostDialog(self.app, post_id, self.parentWidget()).open()
