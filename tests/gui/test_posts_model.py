"""The Library table model over a real history: Qt model contract, sorting, edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlite_utils import Database

from desktop_app.core.history.library_rows import RowQuery
from desktop_app.gui.models.posts_model import AI_COL, DATE_COL, TAGS_COL, PostsTableModel
from desktop_app.gui.viewmodels.library_columns import library_metric_columns
from tests.conftest import HistoryAt


def _model(db: Database, query: RowQuery | None = None) -> PostsTableModel:
    model = PostsTableModel(library_metric_columns(), lambda: db)
    model.set_query(query or RowQuery())
    return model


def test_model_passes_qtmodeltester(qtmodeltester, otel_db: Path, history_at: HistoryAt) -> None:
    model = _model(history_at(otel_db))
    assert model.rowCount() > 200
    qtmodeltester.check(model, force_py=True)
    model.sort(DATE_COL, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_sort_by_date_both_ways_keeps_undated_last(otel_db: Path, history_at: HistoryAt) -> None:
    model = _model(history_at(otel_db))
    model.sort(DATE_COL, Qt.SortOrder.AscendingOrder)
    dates = [model.index(r, DATE_COL).data() for r in range(model.rowCount())]
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated)
    model.sort(DATE_COL, Qt.SortOrder.DescendingOrder)
    dates = [model.index(r, DATE_COL).data() for r in range(model.rowCount())]
    assert [d for d in dates if d != "undated"] == sorted(dated, reverse=True)


def test_full_text_search_narrows_rows(otel_db: Path, history_at: HistoryAt) -> None:
    everything = _model(history_at(otel_db)).rowCount()
    found = _model(history_at(otel_db), RowQuery(search="collector"))
    assert 0 < found.rowCount() < everything
    assert _model(history_at(otel_db), RowQuery(search='"unbalanced ( quote')).rowCount() == 0


def test_edits_are_applied_and_announced(qtbot, otel_db: Path, history_at: HistoryAt) -> None:
    model = _model(history_at(otel_db))
    ai = model.index(0, AI_COL)
    with qtbot.waitSignal(model.edited, timeout=10_000) as blocker:
        assert model.setData(ai, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == [model.post_id(0), "ai_assisted", True]
    assert ai.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    tags = model.index(0, TAGS_COL)
    with qtbot.waitSignal(model.edited, timeout=10_000) as blocker:
        model.setData(tags, " launch ,  q3 ")
    assert blocker.args[2] == ["launch", "q3"]
    assert tags.data() == "launch, q3"


def test_unknown_ai_flag_is_a_half_filled_box_not_a_no(
    otel_db: Path, history_at: HistoryAt
) -> None:
    model = _model(history_at(otel_db))
    unknown = model.index(0, AI_COL)
    assert unknown.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert "Not recorded" in unknown.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(unknown, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert unknown.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "Not AI-assisted" in unknown.data(Qt.ItemDataRole.ToolTipRole)
