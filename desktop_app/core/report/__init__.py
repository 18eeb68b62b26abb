"""The quarterly report as data (Qt-free), rendered to HTML and CSV; the PDF lives in the GUI."""

from desktop_app.core.report.build import ReportError, build_report
from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import FORMATS, OutputExistsError
from desktop_app.core.report.render import render_html, rows_to_csv

__all__ = [
    "FORMATS",
    "OutputExistsError",
    "QuarterReport",
    "ReportError",
    "build_report",
    "render_html",
    "rows_to_csv",
]
