"""The Library table model: light rows held in memory, sorted in the model, edits signalled."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_app.core.history import library_rows as R
from desktop_app.gui.safe_text import tooltip
from desktop_app.gui.viewmodels.library_columns import MetricColumn

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


FIXED_HEADERS = ["Title", "Date", "Author", "Tags", "AI-assisted", "Words"]
_FIXED_FIELDS = [R.TITLE, R.PUBLISHED, R.AUTHORS, R.TAGS, R.AI, R.WORDS]
#: AI-assisted flag: yes / no / not recorded (half-filled box: "unknown" never looks like "no").
_AI_STATES = {True: Qt.CheckState.Checked, False: Qt.CheckState.Unchecked,
              None: Qt.CheckState.PartiallyChecked}  # fmt: skip
_AI_TIPS = {
    True: "AI-assisted (click to change)",
    False: "Not AI-assisted (click to change)",
    None: "Not recorded whether AI helped write this post (click to mark it AI-assisted)",
}
TITLE_COL, DATE_COL, AUTHOR_COL, TAGS_COL, AI_COL, WORDS_COL = range(6)


def _sort_key(value: Any) -> tuple[int, Any]:
    """None sorts after everything, in both directions handled by the caller."""
    if value is None or value == "" or value == []:
        return (1, 0)
    if isinstance(value, list):
        return (0, ", ".join(value).lower())
    if isinstance(value, str):
        return (0, value.lower())
    return (0, value)


class PostsTableModel(QAbstractTableModel):
    """Posts as rows; fixed columns plus one per metric column."""

    #: (post id, "ai_assisted" | "tags", new value) after an inline edit
    edited = Signal(str, str, object)

    def __init__(self, metric_columns: Iterable[MetricColumn] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.metric_columns = list(metric_columns)
        self._rows: list[list[Any]] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- loading -------------------------------------------------------------------------
    def metric_names(self) -> list[str]:
        """The stored metric names the model shows (for the row query)."""
        return [c.metric for c in self.metric_columns]

    def set_rows(self, rows: list[list[Any]]) -> None:
        """Replace every row (keeps the current sort)."""
        self.beginResetModel()
        self._rows = rows
        if self._sort is not None:
            self._rows.sort(key=self._key_for(self._sort[0]), reverse=self._reverse(self._sort[1]))
        self.endResetModel()

    def set_scores(self, scores: dict[str, list[float | None]]) -> None:
        """Fill the metric columns from post id -> values (in metric column order)."""
        width = len(self.metric_columns)
        for row in self._rows:
            values = scores.get(row[R.ID]) or [None] * width
            row[R.METRICS_START :] = values[:width]
        if self._rows and width:
            first = self.index(0, len(FIXED_HEADERS))
            last = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])

    def remove_ids(self, ids: Iterable[str]) -> None:
        """Drop rows by post id (after a confirmed delete)."""
        gone = set(ids)
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row][R.ID] in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def post_id(self, row: int) -> str:
        """The post id shown on `row`."""
        return str(self._rows[row][R.ID])

    def row_values(self, row: int) -> list[Any]:
        """The raw row (for tests and the detail view)."""
        return list(self._rows[row])

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (0 under any parent: it is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Fixed columns plus metric columns."""
        return 0 if parent.isValid() else len(FIXED_HEADERS) + len(self.metric_columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        column = self._metric_column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header if column else FIXED_HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and column:
            return column.tooltip or None
        return None

    def _metric_column(self, col: int) -> MetricColumn | None:
        index = col - len(FIXED_HEADERS)
        return self.metric_columns[index] if index >= 0 else None

    def _field(self, col: int) -> int:
        return _FIXED_FIELDS[col] if col < len(FIXED_HEADERS) else R.METRICS_START + col - 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, check state, alignment, raw sort value and the post id."""
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        value = row[self._field(col)]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(col, value)
        if role == Qt.ItemDataRole.EditRole:
            return ", ".join(value) if col == TAGS_COL else self._display(col, value)
        if role == Qt.ItemDataRole.CheckStateRole and col == AI_COL:
            return _AI_STATES[value]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= WORDS_COL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == TITLE_COL:
            return tooltip(value)
        if role == Qt.ItemDataRole.ToolTipRole and col == AI_COL:
            return _AI_TIPS[value]
        if role == SORT_ROLE:
            return value
        if role == ID_ROLE:
            return row[R.ID]
        return None

    def _display(self, col: int, value: Any) -> str:
        if col == TAGS_COL:
            return ", ".join(value)
        if col == AI_COL:
            return "yes" if value else ("no" if value is False else "")
        if col == DATE_COL:
            return value or "undated"
        column = self._metric_column(col)
        if column is not None:
            return "–" if value is None else f"{value:.{column.decimals}f}"
        return "" if value is None else str(value)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Tags are editable text; AI-assisted is a check box."""
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == TAGS_COL:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == AI_COL:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Apply an inline edit to the row and announce it through `edited`."""
        if not index.isValid():
            return False
        row = self._rows[index.row()]
        if index.column() == AI_COL and role == Qt.ItemDataRole.CheckStateRole:
            flag = Qt.CheckState(value) == Qt.CheckState.Checked
            row[R.AI] = flag
            self.edited.emit(row[R.ID], "ai_assisted", flag)
        elif index.column() == TAGS_COL and role == Qt.ItemDataRole.EditRole:
            tags = [t.strip() for t in str(value).split(",") if t.strip()]
            row[R.TAGS] = tags
            self.edited.emit(row[R.ID], "tags", tags)
        else:
            return False
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    # -- sorting --------------------------------------------------------------------------
    def _key_for(self, col: int) -> Any:
        field = self._field(col)
        return lambda row: _sort_key(row[field])

    @staticmethod
    def _reverse(order: Qt.SortOrder) -> bool:
        return order == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in place (empty values always last), keeping persistent indexes."""
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()][R.ID] for i in old]
        key = self._key_for(column)
        present = [r for r in self._rows if key(r)[0] == 0]
        empty = [r for r in self._rows if key(r)[0] == 1]
        present.sort(key=key, reverse=self._reverse(order))
        self._rows = present + empty
        self._sort = (column, order)
        where = {row[R.ID]: i for i, row in enumerate(self._rows)}
        new = [self.index(where[pid], i.column()) for pid, i in zip(old_ids, old, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
