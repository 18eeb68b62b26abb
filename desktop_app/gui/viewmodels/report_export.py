"""Report work for the Reports page: the HTML preview, and export through the core's writer."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.report.build import build_report
from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import FORMATS, target_files
from desktop_app.core.report.render import render_html as render_report_html
from desktop_app.core.report.write import PdfWriter, ProgressFn, write_report
from desktop_app.core.settings import Settings

__all__ = ["FORMATS", "build_preview", "export", "render_html"]


def render_html(db: Database, settings: Settings, quarter: str) -> str:
    """The report as HTML (inline SVG charts: for a browser)."""
    return render_report_html(build_report(db, settings, quarter))


def build_preview(db: Database, settings: Settings, quarter: str) -> QuarterReport:
    """The report the preview shows (drawn as the PDF is: Qt's rich text has no inline SVG)."""
    return build_report(db, settings, quarter)


def export(
    db: Database,
    settings: Settings,
    quarter: str,
    folder: Path,
    formats: list[str],
    pdf_writer: PdfWriter,
    progress: ProgressFn,
) -> list[Path]:
    """Write the report in each format to `folder` (overwriting); return the files written."""
    report = build_report(db, settings, quarter)
    return write_report(report, target_files(folder, quarter, formats), pdf_writer, progress)
