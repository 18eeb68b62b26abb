"""Hostile CLI input: usage errors that say why, escaped file names, summarised warnings."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import docx
import pytest

from desktop_app.cli import run
from desktop_app.core.importer import FileReport
from desktop_app.core.messages import printable, summarise_warnings

DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
BAD_ARGS = [
    (["posts", "--search", '"unbalanced'], "--search: unbalanced double quote", "close the phrase"),
    (["posts", "--search", 'kube* "cloud native'], "--search: unbalanced double quote", "e.g."),
    (["posts", "--since", "2024-13-01"], "--since: not a date: '2024-13-01'", "month must be"),
    (["posts", "--until", "2025-02-30"], "--until: not a date: '2025-02-30'", "day is out of"),
    (["posts", "--limit", "0"], "--limit: must be 1 or more", "not 0"),
    (["import", "--max-mb", "inf", "x"], "--max-mb: 'inf' MB is not a usable size", "above 0"),
    (["import", "--max-mb", "nan", "x"], "--max-mb: 'nan' MB is not a usable size", "above 0"),
    (["import", "--max-mb", "0", "x"], "--max-mb: '0' MB is not a usable size", "above 0"),
    (["import", "--max-mb", "big", "x"], "--max-mb: not a number of MB: 'big'", "MB"),
    (["analyze", "--processes", "-2"], "--processes: must be 1 or more", "not -2"),
]


@pytest.mark.parametrize(("argv", "says", "reason"), BAD_ARGS)
def test_bad_arguments_are_usage_errors_with_the_reason(
    argv: list[str], says: str, reason: str, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["--db", str(db_file), *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert says in err and reason in err and "Traceback" not in err


def test_valid_search_syntax_still_searches(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "kube.md"
    post.write_text(
        "---\ndate: 2024-02-01\n---\n# Kubernetes notes\n\nCloud native kubernetes operators.\n",
        "utf-8",
    )
    assert run(["--db", str(db_file), "import", str(post)]) == 0
    capsys.readouterr()
    # the search syntax of history.search: words, "phrases", prefix*; FTS5 operators are words
    for search in ('"cloud native" kubernetes', "kubernetes", "kube*", "(kubernetes"):
        assert run(["--db", str(db_file), "posts", "--search", search]) == 0
        assert "Kubernetes notes" in capsys.readouterr().out, search


def test_hostile_file_names_and_titles_are_printed_escaped(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty\nfake line.md").write_text("", "utf-8")
    (folder / "\x1b[2J\x1b[31mred.md").write_text(
        '---\ntitle: "Title \\e]0;pwned\\a\\u202eevil"\ndate: 2024-01-05\n---\n\n'
        "Some words of real prose.\n",
        "utf-8",
    )
    run(["--db", str(db_file), "import", "-v", str(folder)])  # -v: a line for every file
    run(["--db", str(db_file), "posts"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "empty\\nfake line.md: empty file" in out
    assert "\\x1b[2J\\x1b[31mred.md" in out
    assert "Title \\x1b]0;pwned\\x07\\u202eevil" in out  # the title, in the posts listing


def test_printable_leaves_ordinary_text_alone() -> None:
    text = "Café – “quotes”, emoji 🙂, 中文, tabs\tand\nnewlines"
    assert printable(text) == "Café – “quotes”, emoji 🙂, 中文, tabs\\tand\\nnewlines"


def test_renamed_macro_document_names_the_file(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Text of a document with macros.")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    path = tmp_path / "macros.docx"
    with zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":  # what Word writes for a .docm
                data = data.replace(
                    DOCX_MAIN, b"application/vnd.ms-word.document.macroEnabled.main+xml"
                )
            out.writestr(item, data)
    assert b"macroEnabled" in zipfile.ZipFile(path).read("[Content_Types].xml")
    run(["--db", str(db_file), "import", str(path)])
    out = capsys.readouterr().out
    assert f"skipped  {path}: a macro-enabled Word document (.docm) named .docx" in out
    assert "BytesIO" not in out and "object at 0x" not in out


def test_a_million_warnings_are_summarised() -> None:
    warnings = [f"no date found (row {i}): imported as undated" for i in range(1, 1_000_001)]
    warnings.insert(10, "row 11 has no text: skipped")
    lines = FileReport(Path("posts.csv"), "imported", 999_999, warnings=warnings).line()
    assert lines.count("\n") == 5  # the file line, 3 undated rows, their count, the other kind
    assert '… and 999,997 more like "no date found (row 1): imported as undated"' in lines
    assert "(1,000,000 in all)" in lines and "row 11 has no text: skipped" in lines


def test_summary_keeps_few_warnings_as_they_are() -> None:
    few = ["row 1 has no text: skipped", "no date found (row 2): imported as undated"]
    assert summarise_warnings(few) == few
    assert summarise_warnings([f"w (row {i})" for i in range(4)])[-1] == (
        '… and 1 more like "w (row 0)" (4 in all)'
    )


def test_csv_with_thousands_of_undated_rows_prints_a_few_lines(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "undated.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text"])
        for i in range(2000):
            writer.writerow([f"Post {i}", f"Body number {i} has some words of prose."])
    assert run(["--db", str(db_file), "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("warning:") == 4
    assert "1,997 more like" in out and "(2,000 in all)" in out


def test_a_file_whose_posts_were_all_set_aside_says_why(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no-text.csv"
    path.write_text("title,text\nFirst,\nSecond,\n", encoding="utf-8")
    run(["--db", str(db_file), "import", str(path)])
    out = capsys.readouterr().out
    assert f"skipped  {path}: no posts found (2 set aside, e.g. row 1 has no text: skipped)" in out
