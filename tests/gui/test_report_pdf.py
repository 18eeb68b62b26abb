"""The PDF report (Qt QTextDocument + QPdfWriter) read back with pypdf."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from desktop_app.core.history import open_history
from desktop_app.core.report import build_report
from desktop_app.core.settings import Settings
from desktop_app.gui.report_pdf import svg_to_image, write_pdf
from tests.conftest import TEST_PIPELINE


def test_pdf_has_the_sections_and_charts(analysed_db: Path, tmp_path: Path, qapp: object) -> None:
    db = open_history(analysed_db)
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
    assert images == len(report.charts) >= 4


def test_svg_chart_rasterises_with_ink(analysed_db: Path, qapp: object) -> None:
    db = open_history(analysed_db)
    report = build_report(db, Settings(spacy_pipeline=TEST_PIPELINE), "2022Q4")
    image = svg_to_image(report.charts[0].svg, 600)
    assert image.width() == 600 and image.height() > 100
    colours = {image.pixel(x, y) for x in range(0, 600, 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # not a blank rectangle
