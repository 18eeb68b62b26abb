"""CLI analysis in two worker processes stores exactly what the single-process run stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core import analysis
from desktop_app.core.engine import AnalysisEngine
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE


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
    folder = tmp_path / "posts"
    folder.mkdir()
    for post in sorted((DEMO / "letsencrypt-blog").glob("2016-*"))[:12]:
        shutil.copy(post, folder / post.name)
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


def test_cancelling_a_two_process_run_stops_early_and_keeps_what_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    for post in sorted((DEMO / "letsencrypt-blog").glob("201[5-7]-*"))[:40]:
        shutil.copy(post, folder / post.name)
    db = tmp_path / "h.sqlite"
    assert run(["--db", str(db), "import", str(folder)]) == 0
    monkeypatch.setattr(analysis, "MIN_POSTS_PER_PROCESS_RUN", 4)
    engine = AnalysisEngine(db, Settings(spacy_pipeline=TEST_PIPELINE))
    seen: list[int] = []
    report = engine.analyze_posts(
        None, progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) >= 5,
        n_process=2,
    )  # fmt: skip
    total = report.total
    assert report.cancelled and report.analysed == 5 and total >= 30
    stored = {post for post, _ in _values(db)}
    assert len(stored) == 5
    rest = engine.analyze_posts(None, n_process=2)  # the next run does the remaining posts
    assert rest.analysed == total - 5 and not rest.failed
    assert len({post for post, _ in _values(db)}) == total
