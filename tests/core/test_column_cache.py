"""The packed copy of the metric values (history/column_cache.py, migration m009).

On the real Let's Encrypt blog analysed with the blank pipeline: a read served from the
packed copy equals a row-by-row SQL read exactly; a write from another connection makes the
next read see it; a damaged copy, a read-only history and a history without the table all
fall back to the rows; a history made before m009 gets the table on open.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history import column_cache, open_history
from desktop_app.core.history.metric_columns import clear_memo, metric_runs
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, HistoryAt, history_file

_ROWS = "select metric, pipeline, post_id, value from metric_values"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Let's Encrypt blog imported and analysed (blank pipeline) once for this module."""
    path = tmp_path_factory.mktemp("columns") / "history.sqlite"
    with history_file(path) as db:
        import_paths(db, [DEMO / "letsencrypt-blog"], ImportOptions())
    AnalysisEngine(path, Settings(spacy_pipeline="blank")).analyze_posts(None)
    return path


@pytest.fixture
def history(analysed: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the analysed history, and no memo left from another test."""
    copy = tmp_path / "history.sqlite"
    with sqlite3.connect(analysed) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    clear_memo()
    yield copy
    clear_memo()


def _as_rows(db: object) -> dict[tuple[str, str, str], float | None]:
    """Every run's values keyed by (metric, pipeline, post id), from the reader under test."""
    return {
        (run.metric, run.pipeline, post_id): (None if math.isnan(value) else value)
        for run in metric_runs(db)  # type: ignore[arg-type]
        for post_id, value in zip(run.post_ids, run.values.tolist(), strict=True)
    }


def _brute(db: object) -> dict[tuple[str, str, str], float | None]:
    return {(m, p, i): v for m, p, i, v in db.execute(_ROWS)}  # type: ignore[attr-defined]


def _packed_counter(path: Path) -> int | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("select counter from metric_columns_cache").fetchone()
    return None if row is None else row[0]


def test_a_read_from_the_packed_copy_equals_the_rows(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    with db.conn:  # as after a write by anything but the analysis: no packed copy
        db.conn.execute("delete from metric_columns_cache")
    first = _as_rows(db)
    assert _packed_counter(history) == column_cache.values_counter(db)
    clear_memo()
    packed = column_cache.load(db, column_cache.values_counter(db))
    assert packed, "the second read must come from the packed copy"
    second = _as_rows(db)
    assert first == second == _brute(db)
    assert len(second) > 1000


def test_the_analysis_leaves_its_values_packed(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)  # a copy of the history just analysed by the engine
    assert _packed_counter(history) == column_cache.values_counter(db)
    assert _as_rows(db) == _brute(db)


def test_a_write_from_another_connection_is_seen(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    _as_rows(db)  # packs the copy
    with sqlite3.connect(history) as other:
        other.execute("update metric_values set value = 12345.5 where rowid = 1")
        metric, pipeline, post_id = other.execute(
            "select metric, pipeline, post_id from metric_values where rowid = 1"
        ).fetchone()
    clear_memo()
    assert column_cache.load(db, column_cache.values_counter(db)) == []  # stale: not used
    assert _as_rows(db)[(metric, pipeline, post_id)] == 12345.5
    assert _as_rows(db) == _brute(db)


def test_a_damaged_copy_falls_back_to_the_rows(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    _as_rows(db)
    with sqlite3.connect(history) as other:  # cut the values blob short, counter unchanged
        other.execute("update metric_columns_cache set vals = substr(vals, 1, 800)")
    clear_memo()
    assert column_cache.load(db, column_cache.values_counter(db)) == []
    assert _as_rows(db) == _brute(db)


def test_a_read_only_history_reads_the_rows(history: Path) -> None:
    with sqlite3.connect(history) as other:
        other.execute("delete from metric_columns_cache")
    other.close()
    conn = sqlite3.connect(f"{history.resolve().as_uri()}?mode=ro", uri=True)
    try:
        db = Database(conn)  # as history.db opens a history in a read-only folder
        assert _as_rows(db) == _brute(db)
    finally:
        conn.close()
    assert _packed_counter(history) is None  # nothing could be written, nothing was


def test_a_history_made_before_m009_gets_the_table(history: Path) -> None:
    with sqlite3.connect(history) as conn:
        conn.execute("drop table metric_columns_cache")
        conn.execute("delete from _sqlite_migrations where name = ?", ["m009_metric_columns_cache"])
    db = open_history(history)
    try:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        assert "metric_columns_cache" in tables
        assert _as_rows(db) == _brute(db)
    finally:
        db.conn.close()


def test_a_read_inside_a_transaction_does_not_commit_it(
    history: Path, history_at: HistoryAt
) -> None:
    db = history_at(history)
    db.execute("begin")
    db.execute("update posts set title = 'uncommitted' where rowid = 1")
    assert _as_rows(db) == _brute(db)  # read from the rows; packing would commit
    db.execute("rollback")
    assert db.execute("select count(*) from posts where title = 'uncommitted'").fetchone()[0] == 0
