"""Render a QuarterReport to HTML (Jinja2 templates in resources/report/) and CSV text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import jinja2

from desktop_app.core import paths
from desktop_app.core.report.model import AuthorRow, QuarterReport
from desktop_app.core.report.output import csv_cell
from desktop_app.core.report.phrases import (
    MAX_SHARE_BEFORE,
    MIN_POSTS_NOW,
    MIN_SHARE_NOW,
    NGRAM_SIZES,
)
from desktop_app.core.trends.verdicts import fmt

TEMPLATE = "report.html.j2"
DIMENSION_ORDER = ("diversity", "repetition", "genericness", "readability", "ai_style")
# whole words only: a table header is never broken inside a word (no soft hyphens)
SHORT_TITLES = {
    "diversity": "Diversity",
    "repetition": "Repetition",
    "genericness": "Genericness",
    "readability": "Readability",
}
#: the AI-style percentile is not a per-author column: its "100" read as "100 % AI"; the
#: authors table shows the estimated share of AI-styled posts instead
NOT_AUTHOR_COLUMNS = frozenset({"ai_style"})
PHRASE_RULE = {
    "sizes": "–".join(str(n) for n in NGRAM_SIZES),
    "min_posts": MIN_POSTS_NOW,
    "min_share": MIN_SHARE_NOW,
    "max_before": MAX_SHARE_BEFORE,
}


def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(paths.resource_file("report")))
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=False)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _dims(report: QuarterReport) -> list[str]:
    found = {d for a in report.authors for d in a.dimensions} - NOT_AUTHOR_COLUMNS
    return [d for d in DIMENSION_ORDER if d in found] + sorted(found - set(DIMENSION_ORDER))


def ai_share(row: AuthorRow) -> str:
    """'33% (1 of 3)': the author's posts flagged AI-styled at the team threshold, with n."""
    if row.ai_flagged is None or not row.ai_scored:
        return "n/a"
    return f"{row.ai_flagged / row.ai_scored:.0%} ({row.ai_flagged} of {row.ai_scored})"


def render_html(report: QuarterReport, *, pdf: bool = False, chart_scale: float = 1.0) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG charts).

    With pdf=True: simpler markup for Qt's rich text, charts as <img src="chart-DIM.png">.
    """
    css_name = "report_pdf.css" if pdf else "report.css"
    css = paths.resource_file(f"report/{css_name}").read_text(encoding="utf-8")
    template = _environment().get_template(TEMPLATE)
    helpers = {
        "f": fmt, "pct": _pct, "dims": _dims(report), "short": SHORT_TITLES,
        "ai_share": ai_share, "phrase_rule": PHRASE_RULE,
    }  # fmt: skip
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
