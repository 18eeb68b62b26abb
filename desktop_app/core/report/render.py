"""Render a QuarterReport to HTML (Jinja2 templates in resources/report/) and CSV text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from desktop_app.core import paths
from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import csv_cell
from desktop_app.core.trends.verdicts import fmt

TEMPLATE = "report.html.j2"
DIMENSION_ORDER = ("diversity", "repetition", "genericness", "readability", "ai_style")
SHORT_TITLES = {
    "diversity": "Diversity",
    "repetition": "Repetition",
    "genericness": "Generic&shy;ness",
    "readability": "Read&shy;ability",
    "ai_style": "AI style",
}


def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(paths.resource_file("report")))
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=False)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _short() -> dict[str, Markup]:
    return {k: Markup(v) for k, v in SHORT_TITLES.items()}


def _dims(report: QuarterReport) -> list[str]:
    found = {d for a in report.authors for d in a.dimensions}
    return [d for d in DIMENSION_ORDER if d in found] + sorted(found - set(DIMENSION_ORDER))


def render_html(report: QuarterReport, *, pdf: bool = False, chart_scale: float = 1.0) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG charts).

    With pdf=True: simpler markup for Qt's rich text, charts as <img src="chart-DIM.png">.
    """
    css_name = "report_pdf.css" if pdf else "report.css"
    css = paths.resource_file(f"report/{css_name}").read_text(encoding="utf-8")
    template = _environment().get_template(TEMPLATE)
    helpers = {"f": fmt, "pct": _pct, "dims": _dims(report), "short": _short()}
    return template.render(r=report, css=css, pdf=pdf, chart_scale=chart_scale, **helpers)


def pdf_css() -> str:
    """The style sheet Qt's QTextDocument uses for the PDF."""
    return paths.resource_file("report/report_pdf.css").read_text(encoding="utf-8")


def rows_to_csv(rows: Sequence[dict[str, object]]) -> str:
    """CSV text with a header from the union of the rows' keys; formula-like text neutralised."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    out = io.StringIO()
    # RFC 4180 line ends: with "\n" the csv module leaves a bare CR in a field unquoted,
    # which splits the row for every reader
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()
