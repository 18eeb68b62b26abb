"""`content-drift report`: the quarterly report as PDF, HTML and CSV files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.commands.common import CommandError, guarded, open_db, settings
from desktop_app.core.report import OutputExistsError, ReportError, build_report
from desktop_app.core.report.output import check_clobber, parse_formats, target_files
from desktop_app.core.report.write import PdfWriter, write_report
from desktop_app.core.trends.periods import PeriodError, normalise_quarter


def _pdf_writer(files: dict[str, list[Path]]) -> PdfWriter | None:
    """The Qt PDF writer, imported only when a PDF is asked for (CommandError without Qt)."""
    if "pdf" not in files:
        return None
    try:
        from desktop_app.adapters.qt_pdf import write_pdf
    except ImportError as exc:
        path = files["pdf"][0]
        raise CommandError(f"{path}: cannot write PDF, Qt is not available ({exc})") from exc
    return write_pdf


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
    write_report(report, files, _pdf_writer(files))
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
