"""The PDF report (Qt QTextDocument + QPdfWriter) read back with pypdf."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from desktop_app.adapters.qt_pdf import svg_to_image, write_pdf
from desktop_app.core.report import build_report
from desktop_app.core.settings import Settings
from tests.conftest import TEST_PIPELINE, HistoryAt


def test_pdf_has_the_sections_and_charts(
    analyzed_db: Path, tmp_path: Path, qapp: object, history_at: HistoryAt
) -> None:
    db = history_at(analyzed_db)
    report = build_report(db, Settings(spacy_pipeline=TEST_PIPELINE), "2022Q4")
    target = tmp_path / "report.pdf"
    write_pdf(report, target)
    reader = PdfReader(str(target))
    assert len(reader.pages) >= 4
    # pypdf splits words at kerning gaps ("H eadline"): compare with whitespace removed
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    headings = ["Headline", "Verdicts", "Lexical diversity", "AI-assisted vs other posts"]
    headings += ["The 5 freshest posts", "The 5 most generic posts", "Authors", "Methods"]
    for heading in headings:
        assert heading.replace(" ", "") in text
    assert "Freshnessindex2022Q4" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(report.charts) + 1 >= 5  # + page 1's headline chart


def test_svg_chart_rasterises_with_ink(
    analyzed_db: Path, qapp: object, history_at: HistoryAt
) -> None:
    db = history_at(analyzed_db)
    report = build_report(db, Settings(spacy_pipeline=TEST_PIPELINE), "2022Q4")
    image = svg_to_image(report.charts[0].svg, 600)
    assert image.width() == 600 and image.height() > 100
    colours = {image.pixel(x, y) for x in range(0, 600, 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # not a blank rectangle


def _word_breaks(doc: object) -> list[str]:
    """Line breaks inside a word in any table cell, as 'left|right' snippets."""
    from PySide6.QtGui import QTextCursor, QTextDocument

    assert isinstance(doc, QTextDocument)
    broken = []
    block = doc.begin()
    while block.isValid():
        text, layout = block.text(), block.layout()
        in_table = QTextCursor(block).currentTable() is not None
        for n in range(layout.lineCount() - 1 if in_table else 0):
            end = layout.lineAt(n).textStart() + layout.lineAt(n).textLength()
            if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
                broken.append(f"{text[max(0, end - 12) : end]}|{text[end : end + 12]}")
        block = block.next()
    return broken


def test_tables_never_break_words_on_the_page(
    analyzed_db: Path, tmp_path: Path, qapp: object, history_at: HistoryAt
) -> None:
    from PySide6.QtCore import QSizeF

    from desktop_app.adapters.qt_pdf import build_document

    db = history_at(analyzed_db)
    report = build_report(db, Settings(spacy_pipeline=TEST_PIPELINE), "2022Q4")
    doc = build_document(report)
    # the layout QTextDocument.print_ uses on the A4 page: 96 dpi, 2 cm margins
    frame = doc.rootFrame().frameFormat()
    frame.setMargin(2 / 2.54 * 96)
    doc.rootFrame().setFrameFormat(frame)
    doc.setPageSize(QSizeF(210 / 25.4 * 96, 297 / 25.4 * 96))
    assert doc.pageCount() >= 4
    assert _word_breaks(doc) == []
    header = "AI-styled posts, estimated (flagged at the team threshold)"
    assert header in doc.toPlainText()
