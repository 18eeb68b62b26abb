"""Bad input through `content-drift import`: one clear line per bad file, the rest imports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import list_posts
from tests.conftest import DATA, DEMO, HistoryAt, history_file

BAD = DATA / "ingest"
GOOD_POST = DEMO / "letsencrypt-blog" / "2015-10-8-isoc-sponsors-lets-encrypt.markdown"


def _batch(
    tmp_path: Path, bad_name: str, content: bytes | None = None, fixture: Path | None = None
) -> tuple[Path, Path]:
    """A folder holding one real post and one bad file; returns (folder, bad file)."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(GOOD_POST, folder / GOOD_POST.name)
    bad = folder / bad_name
    if fixture is not None:
        shutil.copy(fixture, bad)
    else:
        bad.write_bytes(content or b"")
    return folder, bad


def _import_and_check(
    db: Path, folder: Path, bad: Path, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run the CLI; the bad file gets one skipped line with the reason; the good post is stored."""
    code = run(["--db", str(db), "import", str(folder)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("skipped")]
    assert len(lines) == 1, out
    assert lines[0].startswith(f"skipped  {bad}: ") and reason in lines[0], out
    assert "Traceback" not in out
    assert code == 1  # some inputs failed (exit codes in --help); the rest was imported
    assert "imported 1, updated 0, unchanged 0, skipped 1 file(s)" in out
    with history_file(db) as history:
        posts = list_posts(history)
    assert [Path(p.source).name for p in posts] == [GOOD_POST.name]


def test_empty_file(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, bad = _batch(tmp_path, "empty.md", b"")
    _import_and_check(db_file, folder, bad, "empty file", capsys)


def test_binary_file_renamed_md(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    folder, bad = _batch(tmp_path, "photo.md", png)
    _import_and_check(db_file, folder, bad, "binary file", capsys)


def test_50_mb_file_is_refused_by_size(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "huge.txt", b"")
    with bad.open("r+b") as handle:  # sparse: nothing is written to disk
        handle.truncate(50 * 1024 * 1024)
    _import_and_check(
        db_file, folder, bad, "file too large (50.0 MB; the limit is 20.0 MB)", capsys
    )


def test_malformed_xml(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, bad = _batch(tmp_path, "broken.xml", fixture=BAD / "malformed.xml")
    _import_and_check(db_file, folder, bad, "malformed XML (line 8", capsys)


def test_entity_bomb_in_wxr(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "export.xml", fixture=BAD / "bomb-wxr.xml")
    _import_and_check(db_file, folder, bad, "refused: XML entity expansion/external entity", capsys)


def test_entity_bomb_in_rss(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "feed.rss", fixture=BAD / "bomb.rss")
    _import_and_check(db_file, folder, bad, "refused: XML entity expansion/external entity", capsys)


def test_corrupt_docx(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, bad = _batch(tmp_path, "report.docx", b"PK\x03\x04" + b"\x13\x37" * 500)
    _import_and_check(db_file, folder, bad, "not a valid Word document", capsys)


def test_docx_that_is_not_a_zip(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "notes.docx", b"just some text saved with the wrong name")
    _import_and_check(db_file, folder, bad, "not a valid Word document", capsys)


def test_csv_with_missing_columns(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "posts.csv", fixture=BAD / "missing-columns.csv")
    _import_and_check(
        db_file,
        folder,
        bad,
        "missing column for text (expected one of: text, body, content",
        capsys,
    )


def test_csv_mapping_to_absent_header(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, bad = _batch(tmp_path, "posts.csv", fixture=BAD / "missing-columns.csv")
    code = run(["--db", str(db_file), "import", "--csv-column", "text=Story", str(folder)])
    out = capsys.readouterr().out
    assert f"skipped  {bad}: missing column 'Story' (mapped to text)" in out
    assert code == 1  # some inputs failed


def test_missing_path_is_reported(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    missing = tmp_path / "nowhere"
    code = run(["--db", str(db_file), "import", str(missing), str(GOOD_POST)])
    out = capsys.readouterr().out
    assert f"skipped  {missing}: no such file or folder" in out
    assert code == 1 and len(list_posts(history_at(db_file))) == 1  # some inputs failed


def test_only_bad_files_exit_nonzero(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    assert run(["--db", str(db_file), "import", str(bad)]) == 1
    assert f"skipped  {bad}: empty file" in capsys.readouterr().out
    assert list_posts(history_at(db_file)) == []


def test_malformed_html_still_imports_prose(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    page = tmp_path / "page.html"
    shutil.copy(BAD / "malformed.html", page)
    assert run(["--db", str(db_file), "import", str(page)]) == 0
    [post] = list_posts(history_at(db_file))
    assert post.title == "Unclosed tags everywhere"
    assert "The first paragraph never closes its bold text" in post.text
    assert "the parser still copes." in post.text and "Last words of the article." in post.text
    for noise in ("do not import me", "Home", "Copyright footer", "<"):
        assert noise not in post.text
    assert "no date found: imported as undated" in capsys.readouterr().out
    assert post.published is None


CP1252_TEXT = "Café déjà vu\n\nThe naïve “smart quotes” cost €5 — and that’s fine."


def test_cp1252_text(db_file: Path, tmp_path: Path, history_at: HistoryAt) -> None:
    path = tmp_path / "2019-04-02-legacy.txt"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))
    assert run(["--db", str(db_file), "import", str(path)]) == 0
    [post] = list_posts(history_at(db_file))
    assert post.title == "Café déjà vu"
    assert post.text == "The naïve “smart quotes” cost €5 — and that’s fine."
    assert str(post.published) == "2019-04-02"


def test_utf16_with_bom_text(db_file: Path, tmp_path: Path, history_at: HistoryAt) -> None:
    path = tmp_path / "notes.md"
    source = "---\ntitle: Ünïcode notes\ndate: 2020-02-29\n---\n\nZoë wrote “hello” — 你好.\n"
    path.write_bytes(source.encode("utf-16"))  # Python writes the BOM
    assert run(["--db", str(db_file), "import", str(path)]) == 0
    [post] = list_posts(history_at(db_file))
    assert (post.title, str(post.published)) == ("Ünïcode notes", "2020-02-29")
    assert post.text == "Zoë wrote “hello” — 你好."


def test_utf8_with_bom_front_matter(db_file: Path, tmp_path: Path, history_at: HistoryAt) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: With BOM\ndate: 2021-01-02\n---\nBody text here.\n")
    assert run(["--db", str(db_file), "import", str(path)]) == 0
    [post] = list_posts(history_at(db_file))
    assert (post.title, post.text) == ("With BOM", "Body text here.")
