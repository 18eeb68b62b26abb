"""Environment faults get one line naming the problem and what was kept, never a traceback:
a --db that is a folder or an over-long path, a read-only history or folder, a full disk."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.commands.common import database_problem
from desktop_app.core.history.repository import store_posts
from desktop_app.core.records import Post
from tests.conftest import HistoryAt, copy_history

POST = "---\ndate: 2024-03-01\n---\n# A post\n\nSome words of real prose for the history.\n"


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_db_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["posts"], ["analyze"], ["trends", "--no-corpus"]):
        assert run(["--db", str(tmp_path), *command]) == 1
        line = _one_error_line(capsys)
        assert f"{tmp_path}: is a folder, not a history file" in line, command


def test_over_long_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / ("x" * 300) / "history.sqlite"
    assert run(["--db", str(path), "posts"]) == 1
    assert "cannot open the history (File name too long)" in _one_error_line(capsys)


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths made immutable with chattr +i (even root cannot write them); undone afterwards."""
    if shutil.which("chattr") is None:
        pytest.skip("needs chattr")
    made: list[Path] = []
    yield made
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _freeze(path: Path, made: list[Path]) -> None:
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {done.stderr!r}")
    made.append(path)


def test_read_only_folder_still_reads_and_refuses_writes_in_one_line(
    tmp_path: Path, immutable: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "made.sqlite"
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert run(["--db", str(made), "import", str(post)]) == 0
    folder = tmp_path / "shared"  # e.g. a read-only network share: no -wal/-shm can be made
    folder.mkdir()
    db = copy_history(made, folder / "history.sqlite")
    _freeze(folder, immutable)
    capsys.readouterr()
    assert run(["--db", str(db), "posts"]) == 0
    captured = capsys.readouterr()
    assert "A post" in captured.out and "Traceback" not in captured.err
    other = tmp_path / "other.md"
    other.write_text(POST.replace("real", "other"), encoding="utf-8")
    assert run(["--db", str(db), "import", str(other)]) == 1
    line = _one_error_line(capsys)
    assert f"{db}: the history is read-only here" in line and "nothing was changed" in line


def test_read_only_history_file(
    tmp_path: Path, immutable: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "history.sqlite"
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert run(["--db", str(db), "import", str(post)]) == 0
    _freeze(db, immutable)
    post.write_text(POST.replace("real", "changed"), encoding="utf-8")
    capsys.readouterr()
    assert run(["--db", str(db), "import", str(post)]) == 1
    assert f"{db}: the history is read-only here" in _one_error_line(capsys)


def test_full_disk_says_what_was_kept(tmp_path: Path, history_at: HistoryAt) -> None:
    db = history_at(tmp_path / "history.sqlite")
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {pages + 2}")  # SQLite's own "disk full"
    posts = [Post(title=f"P{i}", text=f"Words {i} " * 2000, source=f"s{i}") for i in range(50)]
    with pytest.raises(sqlite3.OperationalError) as raised:
        store_posts(db, posts)
    line = database_problem(tmp_path / "history.sqlite", raised.value)
    assert line.startswith(f"{tmp_path / 'history.sqlite'}: the disk is full")
    assert "what was stored before this point is kept" in line
    assert db.execute("select count(*) from posts").fetchone()[0] == 0  # the batch: all or none
