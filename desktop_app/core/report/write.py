"""Write a built report in the chosen formats: the one routine the command line and window share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from desktop_app.core.report.model import QuarterReport
from desktop_app.core.report.output import write_atomic, write_text_atomic
from desktop_app.core.report.render import render_html, rows_to_csv

#: Writes the report as a PDF to the given path (the Qt adapter; the core holds no Qt).
PdfWriter = Callable[[QuarterReport, Path], None]
#: (formats done, formats in all, the format being written).
ProgressFn = Callable[[int, int, str], None]


class NoPdfWriter(Exception):
    """A PDF was asked for, and no PDF writer was given."""


def write_report(
    report: QuarterReport,
    targets: Mapping[str, list[Path]],
    pdf_writer: PdfWriter | None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write each format's files (`targets`: format -> files, see `output.target_files`)
    atomically, in the order given; return the files written."""
    if "pdf" in targets and pdf_writer is None:
        raise NoPdfWriter("cannot write a PDF here: no PDF writer (Qt) is available")
    written: list[Path] = []
    for done, (fmt, files) in enumerate(targets.items()):
        if progress is not None:
            progress(done, len(targets), fmt.upper())
        _write_format(report, fmt, files, pdf_writer)
        written.extend(files)
    return written


def _write_format(
    report: QuarterReport, fmt: str, files: list[Path], pdf_writer: PdfWriter | None
) -> None:
    if fmt == "html":
        write_text_atomic(files[0], render_html(report))
    elif fmt == "csv":
        write_text_atomic(files[0], rows_to_csv(report.post_rows))
        write_text_atomic(files[1], rows_to_csv(report.series_rows))
    elif fmt == "pdf" and pdf_writer is not None:
        write_atomic(files[0], lambda tmp: pdf_writer(report, tmp))
    else:
        raise ValueError(f"unknown report format {fmt!r}")
