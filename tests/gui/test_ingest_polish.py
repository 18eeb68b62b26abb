"""GUI polish: file-type filters, Library columns at 1280 px, the post dialog's percentile
column, chart axes within a measure's possible range."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import Qt

from desktop_app.core.ingest import dispatch as ingest
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.gui.import_flow import import_file_filter
from desktop_app.gui.models.posts_model import TITLE_COL
from desktop_app.gui.pages.post_dialog import PostDialog
from desktop_app.gui.widgets.charts import TrendChart, value_bounds


def _suffixes(filter_line: str) -> set[str]:
    return set(re.findall(r"\*(\.[a-z]+)", filter_line))


def test_open_file_dialog_filters_cover_every_importable_type() -> None:
    lines = import_file_filter().split(";;")
    assert _suffixes(lines[0]) == set(ingest.IMPORTABLE)  # the first (default) filter: all
    assert lines[-1] == "All files (*)"
    assert set().union(*(_suffixes(line) for line in lines[1:-1])) == set(ingest.IMPORTABLE)
    check = import_file_filter(check=True).split(";;")
    assert ".csv" not in _suffixes(check[0]) and ".md" in _suffixes(check[0])


def test_chart_axis_never_goes_below_what_a_measure_can_take(qtbot) -> None:
    axis = QValueAxis()
    density = REGISTRY["ai_marker_density"].unit
    TrendChart._fit(axis, [0.0, 0.4, 2.5], value_bounds(density))
    assert axis.min() == 0.0 and axis.max() > 2.5
    share = REGISTRY["repeated_ngram_rate"].unit
    TrendChart._fit(axis, [0.02, 0.98], value_bounds(share))
    assert (axis.min(), axis.max()) == (0.0, 1.0)
    grade = REGISTRY["fk_grade"].unit  # a grade can be negative: no floor
    TrendChart._fit(axis, [-1.0, 8.0], value_bounds(grade))
    assert axis.min() < -1.0


def test_library_columns_fit_a_1280_px_window(qtbot, window_for, otel_db: Path) -> None:
    window = window_for(otel_db)
    window.resize(1280, 800)
    window.show_page(1)
    page = window.library
    qtbot.waitUntil(lambda: page.model.rowCount() > 100, timeout=30_000)
    qtbot.waitUntil(lambda: page.table.viewport().width() > 0, timeout=10_000)
    header = page.table.horizontalHeader()
    total = sum(header.sectionSize(c) for c in range(page.model.columnCount()))
    assert total <= page.table.viewport().width() + 1  # nothing off-screen
    assert header.sectionSize(TITLE_COL) >= 200
    metrics = page.table.fontMetrics()
    for column in range(page.model.columnCount()):
        label = str(page.model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= metrics.horizontalAdvance(label), label


def test_post_dialog_shows_the_percentile_column_whole(
    qtbot, window_for, analyzed_db: Path
) -> None:
    window = window_for(analyzed_db)
    window.show_page(1)
    qtbot.waitUntil(lambda: window.library.model.rowCount() > 0, timeout=30_000)
    dialog = PostDialog(window.app, window.library.model.post_id(0), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view.display is not None, timeout=60_000)
    tree = dialog.view.metrics
    columns = sum(tree.header().sectionSize(c) for c in range(tree.columnCount()))
    assert tree.viewport().width() >= columns
    dialog.close()
