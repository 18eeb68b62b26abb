"""GUI test set-up: Qt warnings fail tests; real demo histories (imported, or also analysed)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.settings import Settings
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from tests.conftest import DEMO, TEST_PIPELINE, copy_history, history_file

#: Qt messages that the offscreen platform prints on its own; everything else fails a test.
IGNORED_QT_MESSAGES = ["This plugin does not support", "propagateSizeHints"]
#: A small real slice of the OpenTelemetry blog: 2021 + 2022 (45 posts, all in the baseline).
ANALYSED_FOLDERS = [DEMO / "otel-blog" / "2021", DEMO / "otel-blog" / "2022"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Make Qt warnings fail every GUI test (pytest-qt markers)."""
    for item in items:
        if "tests/gui" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*IGNORED_QT_MESSAGES))


def _import(path: Path, folders: list[Path]) -> None:
    with history_file(path) as db:
        report = import_paths(db, folders, ImportOptions())
    assert report.totals.imported > 5, report.summary_line()


@pytest.fixture(scope="session")
def analyzed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the otel 2021-2022 posts imported and analysed by the real engine."""
    path = tmp_path_factory.mktemp("analysed") / "history.sqlite"
    _import(path, ANALYSED_FOLDERS)
    engine = AnalysisEngine(path, Settings(spacy_pipeline=TEST_PIPELINE))
    report = engine.analyze_posts(None)
    assert report.analyzed == report.total > 0
    return path


@pytest.fixture
def analyzed_db(analyzed_template: Path, tmp_path: Path) -> Path:
    """A private copy of the analysed history."""
    target = tmp_path / "analysed.sqlite"
    return copy_history(analyzed_template, target)


@pytest.fixture(scope="session")
def otel_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the whole OpenTelemetry demo blog imported (not analysed)."""
    path = tmp_path_factory.mktemp("otel") / "history.sqlite"
    _import(path, [DEMO / "otel-blog"])
    return path


@pytest.fixture
def otel_db(otel_template: Path, db_file: Path) -> Path:
    """A private copy of the imported OpenTelemetry history."""
    return copy_history(otel_template, db_file)


def make_window(qtbot: object, db_path: Path) -> MainWindow:
    """A shown main window over `db_path`, closed (and its workers stopped) after the test."""
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    return window


@pytest.fixture
def window_for(qtbot: object) -> Iterator[object]:
    """Factory: window_for(db_path) -> MainWindow; every window is closed at teardown."""
    made: list[MainWindow] = []

    def make(db_path: Path) -> MainWindow:
        made.append(make_window(qtbot, db_path))
        return made[-1]

    yield make
    for window in made:
        window.close()
    made.clear()
    gc.collect()  # on the GUI thread, before a worker thread's allocations could trigger it
