"""The Library model reads pages of rows: it must still show the whole selection, in order.

Reference: `load_rows`, the one query that reads every row at once, sorted the way the table
always sorted (case-insensitive text, empty values last both ways). Pages are made small here
so that the OpenTelemetry history (~250 posts) spans ten of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView
from sqlite_utils import Database

from desktop_app.core.history import library_rows as R
from desktop_app.gui.models import posts_model
from desktop_app.gui.models.posts_model import (
    AUTHOR_COL,
    DATE_COL,
    TAGS_COL,
    TITLE_COL,
    WORDS_COL,
    PostsTableModel,
)
from desktop_app.gui.viewmodels.library_columns import library_metric_columns
from tests.conftest import HistoryAt

PAGE = 25
FRESHNESS_COL = len(posts_model.FIXED_HEADERS)


@pytest.fixture
def db(otel_db: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(posts_model, "PAGE_ROWS", PAGE)
    return history_at(otel_db)


def _model(db: Database, query: R.RowQuery | None = None) -> PostsTableModel:
    model = PostsTableModel(library_metric_columns(), lambda: db)
    model.set_query(query or R.RowQuery())
    return model


def _ids(model: PostsTableModel) -> list[str]:
    return [model.index(r, 0).data(posts_model.ID_ROLE) for r in range(model.rowCount())]


def _expected(rows: list[list[Any]], field: int, descending: bool) -> list[str]:
    """Ids sorted as the in-memory table sorted them: empty values last, ties newest first."""
    key = posts_model._sort_key
    present = [r for r in rows if key(r[field])[0] == 0]
    empty = [r for r in rows if key(r[field])[0] == 1]
    present.sort(key=lambda r: key(r[field]), reverse=descending)
    return [r[R.ID] for r in present + empty]


def test_scrolling_to_the_end_reaches_the_last_post_in_order(db: Database) -> None:
    every = R.load_rows(db, [])
    assert len(every) > 4 * PAGE
    model = _model(db)
    assert model.rowCount() == len(every)  # counted before any row past the first page is read
    last = model.rowCount() - 1
    assert model.index(last, TITLE_COL).data() == every[-1][R.TITLE]
    assert _ids(model) == [r[R.ID] for r in every]


@pytest.mark.parametrize("column", [TITLE_COL, DATE_COL, AUTHOR_COL, TAGS_COL, WORDS_COL])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_covers_every_page(db: Database, column: int, order: Qt.SortOrder) -> None:
    every = R.load_rows(db, [])
    field = posts_model._FIXED_FIELDS[column]
    expected = _expected(every, field, order == Qt.SortOrder.DescendingOrder)
    model = _model(db)
    model.sort(column, order)
    shown = _ids(model)
    assert sorted(shown) == sorted(expected)
    by_id = {r[R.ID]: posts_model._sort_key(r[field]) for r in every}
    # ties may come in any order: the sort keys, row by row, are what must agree
    assert [by_id[i] for i in shown] == [by_id[i] for i in expected]


def test_a_search_filters_across_all_pages(db: Database) -> None:
    query = R.RowQuery(search="collector")
    found = [r[R.ID] for r in R.load_rows(db, [], query)]
    assert PAGE < len(found) < R.count_rows(db)
    model = _model(db, query)
    assert model.rowCount() == len(found)
    assert _ids(model) == found


def test_a_score_column_sorts_the_whole_selection(db: Database) -> None:
    every = [r[R.ID] for r in R.load_rows(db, [])]
    width = len(library_metric_columns())
    scores: dict[str, list[float | None]] = {
        post_id: [float(i % 97), *[None] * (width - 1)] for i, post_id in enumerate(every)
    }
    del scores[every[3]]  # a post without scores sorts last, both ways
    model = _model(db)
    model.set_scores(scores)
    model.sort(FRESHNESS_COL, Qt.SortOrder.DescendingOrder)
    shown = [model.index(r, FRESHNESS_COL).data() for r in range(model.rowCount())]
    assert shown[0] == "96" and shown[-1] == "–"
    assert model.post_id(model.rowCount() - 1) == every[3]
    values = [float(v) for v in shown[:-1]]
    assert values == sorted(values, reverse=True)


def test_selection_survives_reading_more_pages_and_a_sort(qtbot, db: Database) -> None:
    model = _model(db)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 300)
    view.show()
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    view.selectionModel().select(model.index(3, 0), flags | QItemSelectionModel.SelectionFlag.Rows)
    chosen = model.post_id(3)
    view.scrollToBottom()  # reads the rest of the order and the last page
    qtbot.waitUntil(lambda: view.rowAt(view.viewport().height() - 2) == model.rowCount() - 1)
    assert [i.row() for i in view.selectionModel().selectedRows()] == [3]
    model.sort(TITLE_COL, Qt.SortOrder.AscendingOrder)
    (selected,) = view.selectionModel().selectedRows()
    assert model.post_id(selected.row()) == chosen
    assert selected.row() != 3  # it moved with its post (the otel titles do not start sorted)
