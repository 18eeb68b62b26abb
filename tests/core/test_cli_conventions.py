"""CLI conventions: global options anywhere, no history created by a read, tables with headers,
freshness in the Library by default, one count per command, exit codes in --help."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import list_posts
from tests.conftest import DEMO, REPO, HistoryAt

POSTS = sorted((DEMO / "letsencrypt-blog").glob("*.m*"))[:6]


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    folder = tmp_path / "blog"
    folder.mkdir()
    for path in POSTS:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_before_or_after_the_subcommand(
    where: str, blog: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    db = tmp_path / "h.sqlite"
    args = ["import", str(blog)]
    argv = ["--db", str(db), *args] if where == "before" else [*args, "--db", str(db)]
    assert run(argv) == 0
    assert len(list_posts(history_at(db))) == len(POSTS)


def test_home_and_verbose_after_the_subcommand(
    blog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.delenv("CONTENT_DRIFT_HOME", raising=False)
    assert run(["import", str(blog), "--home", str(home), "-v"]) == 0
    out = capsys.readouterr().out
    assert out.count("imported ") >= len(POSTS)  # -v: one line per file, then the summary
    assert list(home.rglob("*.sqlite"))  # the history went under --home
    assert os.environ["CONTENT_DRIFT_HOME"] == str(home)
    assert run(["-v", "posts", "--home", str(home)]) == 0


@pytest.mark.parametrize("command", [["posts"], ["library"], ["analyze"], ["trends"]])
def test_read_command_on_a_missing_history_fails_and_creates_nothing(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.sqlite"
    assert run([*command, "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"no history at {missing} (import something first, or check the path)" in err
    assert not missing.exists()


def test_posts_table_has_a_header_with_authors_and_tags(
    blog: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    db = tmp_path / "h.sqlite"
    run(["--db", str(db), "import", str(blog)])
    capsys.readouterr()
    assert run(["--db", str(db), "posts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "DATE", "AI", "WORDS", "TITLE", "AUTHORS", "TAGS"]
    stored = list_posts(history_at(db))
    assert len(lines) == 1 + len(stored)
    for post, line in zip(stored, lines[1:], strict=True):
        assert line.startswith(post.id) and (post.published.isoformat() in line)
        assert post.authors and post.authors[0] in line


def test_library_shows_freshness_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite"
    run(["--db", str(db), "import", str(tmp_path)])  # an empty folder: an empty history
    capsys.readouterr()
    assert run(["--db", str(db), "library"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header == ["ID", "DATE", "WORDS", "freshness", "TITLE"]
    assert run(["--db", str(db), "library", "--metric", "freshness", "--metric", "mtld"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[3:5] == ["freshness", "mtld"]
    assert run(["--db", str(db), "library", "--metric", "nonsense"]) == 1


def test_analyze_prints_its_count_once(
    blog: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite"
    run(["--db", str(db), "import", str(blog)])
    capfd.readouterr()
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "analyze", "--db", str(db), "--processes", "1"],
        cwd=REPO, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    both = out.stdout + out.stderr
    assert both.count(f"{len(POSTS)} post(s)") == 1, both


def test_exit_codes_are_documented_and_kept(
    blog: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    with pytest.raises(SystemExit) as shown:
        run(["--help"])
    assert shown.value.code == 0
    text = capsys.readouterr().out
    assert "0  ok" in text and "1  some inputs failed" in text and "2  usage error" in text
    with pytest.raises(SystemExit) as usage:
        run(["posts", "--no-such-option"])
    assert usage.value.code == 2
    db = tmp_path / "h.sqlite"
    (blog / "broken.md").write_bytes(b"")  # one input fails: exit 1, the rest imported
    assert run(["--db", str(db), "import", str(blog)]) == 1
    assert len(list_posts(history_at(db))) == len(POSTS)
    (blog / "broken.md").unlink()
    (blog / "_index.md").write_text("---\ntitle: Blog\n---\nAll posts.\n", "utf-8")
    assert run(["--db", str(db), "import", str(blog)]) == 0  # a page left out is no failure
