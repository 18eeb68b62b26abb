"""Report work for the Reports page: quarters, HTML preview, export via the core report API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core.report.build import build_report
from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import (
    FORMATS,
    target_files,
    write_atomic,
    write_text_atomic,
)
from desktop_app.core.report.render import render_html as render_report_html
from desktop_app.core.report.render import rows_to_csv
from desktop_app.core.settings import Settings
from desktop_app.gui.report_pdf import write_pdf

__all__ = ["FORMATS", "export", "render_html"]


def render_html(db: Database, settings: Settings, quarter: str) -> str:
    """The report as HTML (for the preview)."""
    return render_report_html(build_report(db, settings, quarter))


def _write(report: QuarterReport, fmt: str, files: list[Path]) -> None:
    if fmt == "html":
        write_text_atomic(files[0], render_report_html(report))
    elif fmt == "csv":
        write_text_atomic(files[0], rows_to_csv(report.post_rows))
        write_text_atomic(files[1], rows_to_csv(report.series_rows))
    elif fmt == "pdf":
        write_atomic(files[0], lambda tmp: write_pdf(report, tmp))


def export(
    db: Database, settings: Settings, quarter: str, folder: Path, formats: list[str], ctx: Any
) -> list[Path]:
    """Write the report in each format to `folder` (overwriting); return the files written."""
    report = build_report(db, settings, quarter)
    written: list[Path] = []
    targets = target_files(folder, quarter, formats)
    for done, fmt in enumerate(formats):
        ctx.progress(done, len(formats), fmt.upper())
        _write(report, fmt, targets[fmt])
        written.extend(targets[fmt])
    return written
