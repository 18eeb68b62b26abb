"""The Library table model: every selected post counted, rows read from SQL a page at a time.

Only the ids of the rows shown so far and the pages of rows the view asked for are held; the
full ordered id list is read (one narrow query on the covering index) when the view needs a row
past the first page, or to sort by a column. Sorting covers the whole selection, with the same
keys as ever (case-insensitive text, empty values last both ways).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from desktop_app.core.history import library_rows as R
from desktop_app.gui.safe_text import tooltip
from desktop_app.gui.viewmodels.library_columns import MetricColumn

if TYPE_CHECKING:
    from sqlite_utils import Database

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
#: Rows read from the history at a time (a screenful is ~30; column sizing samples 200).
PAGE_ROWS = 200


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

    def __init__(
        self,
        metric_columns: Iterable[MetricColumn] = (),
        db: Callable[[], Database] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.metric_columns = list(metric_columns)
        self._db = db
        self._query: R.RowQuery | None = None
        self._count = 0
        self._ids: list[str] = []  # the first rows' ids, or all of them once _complete
        self._complete = True
        self._rows: dict[str, list[Any]] = {}  # post id -> row, for the pages read so far
        self._scores: dict[str, list[float | None]] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- loading -------------------------------------------------------------------------
    def set_query(self, query: R.RowQuery) -> None:
        """Show the posts `query` selects (count, then the first page; keeps the sort)."""
        self.beginResetModel()
        self._query = query
        self._rows.clear()
        self._count = R.count_rows(self._history(), query)
        self._load_order(complete=False)
        if self._complete:
            self._count = len(self._ids)
        self.endResetModel()

    def _history(self) -> Database:
        if self._db is None:
            raise RuntimeError("the model was made without a history")
        return self._db()

    def _load_order(self, complete: bool) -> None:
        """The row order for the current sort: the first page only when that is enough."""
        if self._query is None:
            return
        column = self._sort[0] if self._sort else DATE_COL
        order = self._sort[1] if self._sort else Qt.SortOrder.DescendingOrder
        if column == DATE_COL and order == Qt.SortOrder.DescendingOrder:
            limit = None if complete else PAGE_ROWS
            self._ids = R.row_ids(self._history(), self._query, limit)
            self._complete = limit is None or len(self._ids) < limit
        else:
            self._ids = self._sorted_ids(column, order)
            self._complete = True
        if self._complete and len(self._ids) != self._count:
            QTimer.singleShot(0, self.refresh)  # the history changed since the count

    def _sorted_ids(self, column: int, order: Qt.SortOrder) -> list[str]:
        if column < len(FIXED_HEADERS):
            pairs = R.field_values(self._history(), _FIXED_FIELDS[column], self._query)
        else:
            k, none = column - len(FIXED_HEADERS), [None] * len(self.metric_columns)
            ids = R.row_ids(self._history(), self._query)
            pairs = [(i, (self._scores.get(i) or none)[k]) for i in ids]
        present = [(_sort_key(v), i) for i, v in pairs if _sort_key(v)[0] == 0]
        empty = [i for i, v in pairs if _sort_key(v)[0] == 1]
        present.sort(key=lambda pair: pair[0], reverse=self._reverse(order))
        return [i for _key, i in present] + empty

    def refresh(self) -> None:
        """Re-read the current query (after the history changed underneath)."""
        if self._query is not None:
            self.set_query(self._query)

    def _id_at(self, row: int) -> str | None:
        if row >= len(self._ids) and not self._complete:
            self._load_order(complete=True)
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def _row(self, row: int) -> list[Any] | None:
        post_id = self._id_at(row)
        if post_id is None:
            return None
        if post_id not in self._rows:
            start = row - row % PAGE_ROWS
            page = [i for i in self._ids[start : start + PAGE_ROWS] if i not in self._rows]
            self._rows.update(R.rows_by_id(self._history(), page))
        return self._rows.get(post_id)

    def metric_names(self) -> list[str]:
        """The stored metric names the model shows (for the row query)."""
        return [c.metric for c in self.metric_columns]

    def set_scores(self, scores: dict[str, list[float | None]]) -> None:
        """Fill the metric columns from post id -> values (in metric column order)."""
        self._scores = scores
        if self._count and self.metric_columns:
            first = self.index(0, len(FIXED_HEADERS))
            last = self.index(self._count - 1, self.columnCount() - 1)
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])

    def remove_ids(self, ids: Iterable[str]) -> None:
        """Drop rows by post id (after a confirmed delete)."""
        gone = set(ids)
        for row in range(len(self._ids) - 1, -1, -1):
            if self._ids[row] in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._rows.pop(self._ids.pop(row), None)
                self._count -= 1
                self.endRemoveRows()

    def post_id(self, row: int) -> str:
        """The post id shown on `row`."""
        post_id = self._id_at(row)
        if post_id is None:
            raise IndexError(row)
        return post_id

    def row_values(self, row: int) -> list[Any]:
        """The raw row, metric values included (for tests and the detail view)."""
        values = self._row(row)
        if values is None:
            raise IndexError(row)
        none = [None] * len(self.metric_columns)
        return [*values, *(self._scores.get(values[R.ID]) or none)]

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (0 under any parent: it is a flat table)."""
        return 0 if parent.isValid() else self._count

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

    def _value(self, row: list[Any], col: int) -> Any:
        if col < len(FIXED_HEADERS):
            return row[_FIXED_FIELDS[col]]
        scores = self._scores.get(row[R.ID])
        return scores[col - len(FIXED_HEADERS)] if scores else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, check state, alignment, raw sort value and the post id."""
        row = self._row(index.row()) if index.isValid() else None
        if row is None:
            return None
        col = index.column()
        value = self._value(row, col)
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
        row = self._row(index.row()) if index.isValid() else None
        if row is None:
            return False
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
    @staticmethod
    def _reverse(order: Qt.SortOrder) -> bool:
        return order == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the whole selection (empty values always last), keeping persistent indexes."""
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._id_at(i.row()) for i in old]
        self._sort = (column, order)
        self._load_order(complete=bool(old))
        where = {post_id: i for i, post_id in enumerate(self._ids)}
        new = [
            self.index(where[pid], i.column()) if pid in where else QModelIndex()
            for pid, i in zip(old_ids, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
