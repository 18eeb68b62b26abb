"""Render the quarterly report to PDF with Qt (QTextDocument + QPdfWriter), charts via QtSvg."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtSvg import QSvgRenderer

from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.render import pdf_css, render_html

RESOLUTION = 96  # document pixels per inch: one CSS px is 1/96 inch on the page
CHART_SCALE = 0.82  # 750 px (three panels) -> 615 px; QTextDocument's 2 cm margins leave 642
RASTER = 2.5  # raster charts at 2.5x for sharp print


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new (offscreen when headless) QGuiApplication."""
    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    return app  # type: ignore[return-value]


def svg_to_image(svg: str, width: int) -> QImage:
    """Rasterise an SVG string to a white-background image `width` pixels wide."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    height = max(1, round(width * size.height() / max(size.width(), 1)))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def build_document(report: QuarterReport) -> QTextDocument:
    """The report as a QTextDocument with the charts attached as image resources."""
    doc = QTextDocument()
    doc.setDefaultStyleSheet(pdf_css())
    charts = [*report.charts, *([report.headline_chart] if report.headline_chart else [])]
    for chart in charts:
        image = svg_to_image(chart.svg, round(chart.width * CHART_SCALE * RASTER))
        doc.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"chart-{chart.dimension}.png"), image
        )
    doc.setHtml(render_html(report, pdf=True, chart_scale=CHART_SCALE))
    return doc


def write_pdf(report: QuarterReport, path: Path) -> None:
    """Print the report to an A4 PDF at `path` (Qt paginates and numbers the pages)."""
    ensure_app()
    doc = build_document(report)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)  # doc adds 2 cm
    writer.setTitle(f"{report.title} — {report.quarter}")
    writer.setCreator("Content Drift")
    doc.print_(writer)
