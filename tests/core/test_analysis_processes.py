"""CLI analysis in two worker processes stores exactly what the single-process run stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core import analysis
from tests.conftest import DEMO


def _values(db: Path) -> dict[tuple[str, str], float | None]:
    conn = sqlite3.connect(db)
    rows = conn.execute("select post_id, metric, value from metric_values").fetchall()
    conn.close()
    return {(post, metric): value for post, metric, value in rows}


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
