"""Library page: every post in a sortable, filterable table (read a page at a time) with inline
edits and delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history import library_rows
from desktop_app.core.history.repository import remove_posts, set_ai_assisted, set_tags
from desktop_app.core.history.search import SYNTAX_HELP, SYNTAX_HINT
from desktop_app.gui.context import AppContext
from desktop_app.gui.models.posts_model import FIXED_HEADERS, TITLE_COL, PostsTableModel
from desktop_app.gui.tasks import Lane, TaskContext
from desktop_app.gui.viewmodels.library_columns import compute_scores, library_metric_columns
from desktop_app.gui.widgets.shortcuts import shortcut

AI_FILTERS: list[tuple[str, bool | None]] = [
    ("All posts", None),
    ("AI-assisted", True),
    ("Not AI-assisted", False),
]


#: Column sizing: content widths are sampled on this many rows; no column but Title is wider.
SAMPLE_ROWS = 200
COLUMN_CAP_PX = 120
SORT_ARROW_PX = 18
CELL_PADDING_PX = 16


class ElidedTipDelegate(QStyledItemDelegate):
    """Shows a cell's full text as a tooltip when the column is too narrow for it."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Tooltip = the model's own tooltip, else the whole text if it is elided."""
        if event.type() == QEvent.Type.ToolTip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data() or "")
            if text and option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 8:
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


class LibraryPage(QWidget):
    """The history as a table; double-click or Enter opens a post's analysis."""

    open_post = Signal(str)
    deleted = Signal(list)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.model = PostsTableModel(library_metric_columns(), lambda: app.db, self)
        self.model.edited.connect(self._save_edit)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.reload)
        self._build()
        app.history_changed.connect(self.reload)
        app.history_changed.connect(self.refresh_scores)

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText=SYNTAX_HINT, clearButtonEnabled=True)
        self.search.setToolTip(SYNTAX_HELP)
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance(SYNTAX_HINT) + 40)
        self.search.setAccessibleName("Search posts")
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.ai_filter = QComboBox()
        for label, _value in AI_FILTERS:
            self.ai_filter.addItem(label)
        self.ai_filter.currentIndexChanged.connect(self.reload)
        self.tag_filter = QComboBox(minimumContentsLength=12)
        self.tag_filter.currentIndexChanged.connect(self.reload)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for widget in (self.search, self.ai_filter, self.tag_filter, self.count_label):
            bar.addWidget(widget)
        bar.setStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_buttons())
        shortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setItemDelegate(ElidedTipDelegate(self.table))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.fit_columns()
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        return self.table

    def fit_columns(self) -> None:
        """Every column as wide as its header and (sampled) content, capped so that the whole
        table fits a 1280-px window: Author and Tags elide (with the full text as a tooltip),
        and Title takes the room that is left."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column in range(self.model.columnCount()):
            if column == TITLE_COL:
                continue
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widths = [metrics.horizontalAdvance(label) + SORT_ARROW_PX]
            sampled = 0 if column >= len(FIXED_HEADERS) else SAMPLE_ROWS  # "–" to "100": header
            for row in range(min(self.model.rowCount(), sampled)):
                text = self.model.index(row, column).data()
                widths.append(metrics.horizontalAdvance(str(text or "")) + CELL_PADDING_PX)
            header.resizeSection(column, min(max(widths), COLUMN_CAP_PX))
        header.setSectionResizeMode(TITLE_COL, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

    def _build_buttons(self) -> QHBoxLayout:
        self.open_button = QPushButton("&Open analysis")
        self.open_button.clicked.connect(self._open_current)
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.clicked.connect(self.delete_selected)
        shortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        row = QHBoxLayout()
        row.addWidget(QLabel("Double-click Tags to edit them; tick AI-assisted to flag a post."))
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        return row

    # -- data ----------------------------------------------------------------------------
    def query(self) -> library_rows.RowQuery:
        """The filters as currently set."""
        tag = self.tag_filter.currentData() or ""
        return library_rows.RowQuery(
            search=self.search.text().strip(),
            ai_assisted=AI_FILTERS[max(self.ai_filter.currentIndex(), 0)][1],
            tag=tag,
            stemmed=self.app.settings.search_stemming,
        )

    def reload(self) -> None:
        """Re-count the rows and read the first page (SQL on the GUI thread's own connection;
        the model reads further pages as they are scrolled to)."""
        was_empty = self.model.rowCount() == 0
        self.model.set_query(self.query())
        if was_empty and self.model.rowCount():
            self.fit_columns()
        self._refresh_tags()
        self.count_label.setText(f"{self.model.rowCount():,} posts")

    def refresh_scores(self) -> None:
        """Recompute freshness and dimension percentiles in the background, then fill them in."""

        def work(ctx: TaskContext) -> dict[str, list[float | None]]:
            return compute_scores(ctx.db(), self.app.engine(ctx))

        self.app.tasks.run(work, self._scores_ready, label="Scoring posts", show_progress=False)

    def _scores_ready(self, scores: dict[str, list[float | None]]) -> None:
        self.model.set_scores(scores)

    def _refresh_tags(self) -> None:
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", "")
        for tag in library_rows.known_tags(self.app.db):
            self.tag_filter.addItem(tag, tag)
        found = self.tag_filter.findData(current) if current else 0
        self.tag_filter.setCurrentIndex(max(found, 0))
        self.tag_filter.blockSignals(False)

    def _save_edit(self, post_id: str, field: str, value: Any) -> None:
        def work(ctx: TaskContext) -> None:
            if field == "ai_assisted":
                set_ai_assisted(ctx.db(), post_id, bool(value))
            else:
                set_tags(ctx.db(), post_id, list(value))

        label = "Saving the AI-assisted flag" if field == "ai_assisted" else "Saving tags"
        self.app.tasks.run(work, label=label, lane=Lane.WRITE)

    # -- actions --------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """Post ids of the selected rows."""
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.post_id(r) for r in sorted(rows)]

    def select_row(self, row: int) -> None:
        """Select one row (keyboard users and tests)."""
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_row(index.row())

    def _open_row(self, row: int) -> None:
        self.open_post.emit(self.model.post_id(row))

    def delete_selected(self) -> None:
        """Ask, then delete the selected posts through the writer lane."""
        ids = self.selected_ids()
        if not ids:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete posts",
            f"Delete {len(ids)} post(s) and their analysis from the history? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(
            lambda b: self._delete(ids) if box.standardButton(b) == yes else None
        )
        self.confirm_box = box
        box.open()

    def _delete(self, ids: list[str]) -> None:
        self.app.tasks.run(
            lambda ctx: remove_posts(ctx.db(), ids),
            lambda _n: self._deleted(ids),
            label=f"Deleting {len(ids)} post(s)",
            lane=Lane.WRITE,
        )

    def _deleted(self, ids: list[str]) -> None:
        self.model.remove_ids(ids)
        self.count_label.setText(f"{self.model.rowCount():,} posts")
        self.app.mark_history_changed()
        self.deleted.emit(ids)
