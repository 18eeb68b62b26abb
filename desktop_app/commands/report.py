"""`content-drift report`: the quarterly report as PDF, HTML and CSV files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.commands.common import CommandError, guarded, open_db, settings
from desktop_app.core.report import (
    OutputExistsError,
    ReportError,
    build_report,
    render_html,
    rows_to_csv,
)
from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import (
    check_clobber,
    parse_formats,
    target_files,
    write_atomic,
    write_text_atomic,
)
from desktop_app.core.trends.periods import PeriodError, normalise_quarter


def _write_pdf(report: QuarterReport, path: Path) -> None:
    try:
        from desktop_app.gui.report_pdf import write_pdf  # Qt only when a PDF is asked for
    except ImportError as exc:
        raise CommandError(f"{path}: cannot write PDF, Qt is not available ({exc})") from exc
    write_atomic(path, lambda tmp: write_pdf(report, tmp))


def _write(report: QuarterReport, files: dict[str, list[Path]]) -> None:
    if "html" in files:
        write_text_atomic(files["html"][0], render_html(report))
    if "csv" in files:
        posts_csv, series_csv = files["csv"]
        write_text_atomic(posts_csv, rows_to_csv(report.post_rows))
        write_text_atomic(series_csv, rows_to_csv(report.series_rows))
    if "pdf" in files:
        _write_pdf(report, files["pdf"][0])


def _arguments(args: argparse.Namespace) -> tuple[str, list[str]]:
    try:
        return normalise_quarter(args.quarter), parse_formats(args.format)
    except (PeriodError, ValueError) as exc:
        raise CommandError(str(exc)) from exc


@guarded
def cmd_report(args: argparse.Namespace) -> int:
    """Build the quarter's report and write the requested formats."""
    quarter, formats = _arguments(args)
    files = target_files(Path(args.out), quarter, formats)
    try:
        check_clobber([p for group in files.values() for p in group], args.force)
        report = build_report(open_db(args), settings(), quarter, title=args.title or "")
    except (OutputExistsError, ReportError) as exc:
        raise CommandError(str(exc)) from exc
    _write(report, files)
    print(report.headline.sentence)
    for path in (p for group in files.values() for p in group):
        print(f"wrote {path}")
    return 0


def register(sub: Any) -> None:
    """Add `report` to the CLI."""
    p = sub.add_parser("report", help="write the quarterly report (PDF, HTML, CSV)")
    p.add_argument("--quarter", required=True, help="e.g. 2025Q3")
    p.add_argument("--out", default=".", help="output folder (default: current folder)")
    p.add_argument("--format", default="pdf,html,csv", help="comma-separated: pdf,html,csv")
    p.add_argument("--title", help="report title (default: Content Drift quarterly report)")
    p.add_argument("--force", action="store_true", help="overwrite an existing report")
    p.set_defaults(func=cmd_report)
