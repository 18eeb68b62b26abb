"""CLI analysis in two worker processes stores exactly what the single-process run stores."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import run
from desktop_app.core.analysis import pipeline as analysis
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.analysis.job import PostInput
from desktop_app.core.history.repository import list_posts
from desktop_app.core.nlp.pipeline import load_pipeline
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE, HistoryAt, copy_history


def _values(db: Path) -> dict[tuple[str, str], float | None]:
    conn = sqlite3.connect(db)
    rows = conn.execute("select post_id, metric, value from metric_values").fetchall()
    conn.close()
    return {(post, metric): value for post, metric, value in rows}


def _evidence(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "select post_id, metric, kind, start, [end], text, ref_post_id from evidence "
        "order by post_id, metric, start, [end], kind"
    ).fetchall()
    conn.close()
    return rows


def _import_and_analyze(folder: Path, db: Path, processes: int) -> dict:
    assert run(["--db", str(db), "import", str(folder)]) == 0
    assert run(["--db", str(db), "analyze", "--processes", str(processes)]) == 0
    return _values(db)


def test_two_processes_give_the_same_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _posts_folder(tmp_path, "2016-*", 12)
    monkeypatch.setattr(analysis, "MIN_POSTS_PER_PROCESS_RUN", 4)
    single = _import_and_analyze(folder, tmp_path / "one.sqlite", 1)
    double = _import_and_analyze(folder, tmp_path / "two.sqlite", 2)
    assert len(single) >= 12 * 15
    assert single.keys() == double.keys()
    for key, value in single.items():
        if value is None:
            assert double[key] is None, key
        else:
            assert double[key] == pytest.approx(value, abs=1e-9), key
    evidence = _evidence(tmp_path / "one.sqlite")
    assert len(evidence) > 50
    assert _evidence(tmp_path / "two.sqlite") == evidence


@pytest.mark.parametrize("spawn", [False, True], ids=["forked", "spawned"])
def test_cancelling_a_two_process_run_stops_early_and_keeps_what_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spawn: bool
) -> None:
    db = _subset(tmp_path, "201[5-7]-*", 40)
    monkeypatch.setattr(analysis, "MIN_POSTS_PER_PROCESS_RUN", 4)
    engine = AnalysisEngine(db, Settings(spacy_pipeline=TEST_PIPELINE))
    seen: list[int] = []
    report = engine.analyze_posts(
        None, progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) >= 5,
        n_process=2, spawn=spawn,
    )  # fmt: skip
    total = report.total
    assert report.cancelled and report.analyzed == 5 and total >= 30
    stored = {post for post, _ in _values(db)}
    assert len(stored) == 5
    rest = engine.analyze_posts(None, n_process=2, spawn=spawn)  # the next run does the rest
    assert rest.analyzed == total - 5 and not rest.failed
    assert len({post for post, _ in _values(db)}) == total


def _posts_folder(tmp_path: Path, pattern: str, count: int) -> Path:
    """A folder with the first `count` Let's Encrypt posts whose file names match `pattern`."""
    folder = tmp_path / "posts"
    folder.mkdir()
    for post in sorted((DEMO / "letsencrypt-blog").glob(pattern))[:count]:
        shutil.copy(post, folder / post.name)
    return folder


def _subset(tmp_path: Path, pattern: str = "2016-*", count: int = 12) -> Path:
    """Those posts imported into a new history; returns its path."""
    db = tmp_path / "h.sqlite"
    assert run(["--db", str(db), "import", str(_posts_folder(tmp_path, pattern, count))]) == 0
    return db


def test_spawned_workers_give_the_same_values_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI's path: fresh interpreters that load the pipeline and get the index pickled."""
    db = _subset(tmp_path)
    single = copy_history(db, tmp_path / "single.sqlite")
    settings = Settings(spacy_pipeline=TEST_PIPELINE)
    assert AnalysisEngine(single, settings).analyze_posts(None).analyzed == 12
    monkeypatch.setattr(analysis, "MIN_POSTS_PER_PROCESS_RUN", 4)
    spawned: list[object] = []
    monkeypatch.setattr(analysis, "spawn_spec", _recording(analysis.spawn_spec, spawned))
    report = AnalysisEngine(db, settings).analyze_posts(None, n_process=2, spawn=True)
    assert report.analyzed == 12 and not report.failed and len(spawned) == 1
    expected, got = _values(single), _values(db)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == (None if value is None else pytest.approx(value, abs=1e-9)), key
    assert _evidence(db) == _evidence(single)


def _recording(func: Callable[..., Any], calls: list[object]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        calls.append(args)
        return func(*args)

    return wrapper


def test_workers_with_another_pipeline_refuse_and_the_parent_finishes_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history_at: HistoryAt
) -> None:
    """A worker whose pipeline differs from the parent's must not store values under the
    parent's pipeline name: it refuses to start and the posts are analysed in the parent."""
    db = _subset(tmp_path, count=8)
    nlp, info = load_pipeline(TEST_PIPELINE)
    engine = AnalysisEngine(db, Settings(spacy_pipeline=TEST_PIPELINE))
    monkeypatch.setattr(analysis, "MIN_POSTS_PER_PROCESS_RUN", 4)
    other = "blank" if TEST_PIPELINE != "blank" else "no_such_pipeline_x"
    conn = history_at(db)
    posts = [PostInput(p.id, p.text, p.published) for p in list_posts(conn)]
    job = analysis.BatchJob(nlp, info, engine.lexicons, engine.corpus_index(conn),
                            n_process=2, spawn_pipeline=other)  # fmt: skip
    report = analysis.analyze_posts(conn, job, posts)
    conn.conn.close()
    assert report.analyzed == 8 and not report.failed
    stamps = sqlite3.connect(db).execute("select distinct pipeline from metric_values").fetchall()
    assert stamps == [(info.name,)]
