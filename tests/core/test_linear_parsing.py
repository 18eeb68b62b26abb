"""Word documents of very many paragraphs and CSV cells of very many tags parse in linear time."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.csvfile import read_csv
from desktop_app.core.ingest.meta import as_list
from desktop_app.core.ingest.word import _paragraph_reader, read_docx

ROOT = Path(__file__).parents[2]
#: Linear parsing needs seconds here; a millisecond per paragraph or quadratic tag
#: deduplication needs minutes (600 s+ and 180 s+ at the sizes the issue reports).
TIMEOUT_S = 90
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def tiny_paragraph_docx(path: Path, count: int) -> Path:
    """A real .docx (python-docx template) with `count` one-word paragraphs after a heading."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("A heading", style="Heading 1")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = source.read("word/document.xml").decode("utf-8")
    at = xml.index("<w:sectPr")
    xml = xml[:at] + "<w:p><w:r><w:t>Word.</w:t></w:r></w:p>" * count + xml[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item.filename)
            out.writestr(item, data)
    return path


def _run_child(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        timeout=TIMEOUT_S, check=True,
    )  # fmt: skip
    return done.stdout


def test_docx_with_many_tiny_paragraphs_reads_in_linear_time(tmp_path: Path) -> None:
    count = 200_000
    path = tiny_paragraph_docx(tmp_path / "tiny.docx", count)
    code = (
        "from pathlib import Path\n"
        "from desktop_app.core.ingest.base import ImportOptions\n"
        "from desktop_app.core.ingest.word import read_docx\n"
        f"post = read_docx(Path({str(path)!r}), ImportOptions()).posts[0]\n"
        "print(post.title, post.text.count('Word.'))\n"
    )
    assert _run_child(code).split() == ["A", "heading", str(count)]


def _rich_document() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("Title here", style="Title")
    document.add_paragraph("Intro", style="Heading 1")
    para = document.add_paragraph("Tab\tand ", style="List Bullet")
    para.add_run().add_break()
    para.add_run("after a break")
    document.add_paragraph("Normal text").add_run(" more", style=None)
    document.add_paragraph("Caption text", style="Caption")
    linked = document.add_paragraph("See ")
    linked._p.append(parse_xml(
        f'<w:hyperlink {W_NS}><w:r><w:t>the link</w:t></w:r></w:hyperlink>'
    ))  # fmt: skip
    linked._p.append(parse_xml(f"<w:ins {W_NS}><w:r><w:t>tracked</w:t></w:r></w:ins>"))
    linked.add_run("-").add_tab()
    document.add_paragraph("", style="Heading 2")
    styled = document.add_paragraph("Unknown style id")
    styled._p.get_or_add_pPr().get_or_add_pStyle().val = "NoSuchStyle"
    return document


def test_fast_paragraph_reader_agrees_with_python_docx() -> None:
    document = _rich_document()
    read = _paragraph_reader(document)
    paragraphs = document.paragraphs
    assert len(paragraphs) == 8
    for para in paragraphs:
        assert read(para) == (para.text, para.style.name)
    # the cases the reader must get right are really there
    texts = [para.text for para in paragraphs]
    assert "See the link-\t" in texts and "Tab\tand \nafter a break" in texts
    assert paragraphs[-1].style.name == "Normal"  # an unknown id falls back to the default


def test_docx_prose_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "rich.docx"
    _rich_document().save(path)
    post = read_docx(path, ImportOptions()).posts[0]
    assert post.title == "Title here"
    assert post.text.split("\n\n") == [
        "Intro.", "Tab and after a break.", "Normal text more", "Caption text.",
        "See the link-", "Unknown style id",
    ]  # fmt: skip


def test_csv_cell_with_many_tags_reads_in_linear_time(tmp_path: Path) -> None:
    count = 150_000
    tags = [f"tag{i}" for i in range(count)]
    path = tmp_path / "tags.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "tags"])
        cell = ";".join(tags + tags[:1000]) + ", ,tag5"  # duplicates and empties too
        writer.writerow(["Many tags", "Some words in the body of the post.", cell])
    code = (
        "from pathlib import Path\n"
        "from desktop_app.core.ingest.base import ImportOptions\n"
        "from desktop_app.core.ingest.csvfile import read_csv\n"
        f"tags = read_csv(Path({str(path)!r}), ImportOptions()).posts[0].tags\n"
        "print(len(tags), tags[0], tags[-1])\n"
    )
    assert _run_child(code).split() == [str(count), "tag0", f"tag{count - 1}"]
    assert read_csv(path, ImportOptions()).posts[0].tags == tags


def test_as_list_keeps_first_occurrences_in_order() -> None:
    assert as_list(" b, a ,b,, c ,a") == ["b", "a", "c"]
    assert as_list(["x", " x ", 3, "3"]) == ["x", "3"]
    assert as_list(None) == []
