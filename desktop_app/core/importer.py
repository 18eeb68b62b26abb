"""Import files and folders into the history: per-file outcomes, one transaction per chunk."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.history.repository import StoreSummary, store_posts
from desktop_app.core.ingest.base import FileOutcome, ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.messages import printable, summarise_warnings

CHUNK_POSTS = 200

ProgressFn = Callable[[int, int, Path], None]
CancelFn = Callable[[], bool]
FileDoneFn = Callable[["FileReport"], None]


@dataclass
class FileReport:
    """Outcome of one file, as shown to the user."""

    path: Path
    status: str  # imported | unchanged | updated | mixed | skipped
    posts: int = 0
    summary: StoreSummary = field(default_factory=StoreSummary)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    not_a_post: bool = False  # skipped on purpose (a page, a draft), not a failure

    def line(self) -> str:
        """One human-readable line (plus warning lines, summarised per kind).

        Names and messages are escaped: a file name cannot break the line or drive a terminal.
        """
        warned = summarise_warnings(self.warnings)
        notes = "".join(f"\n         warning: {printable(w)}" for w in warned)
        if self.status == "skipped":
            return f"skipped  {printable(self.path)}: {printable(self.reason)}{notes}"
        s = self.summary
        counts = f"{s.imported} new, {s.updated} updated, {s.unchanged} unchanged"
        return f"{self.status:<9}{printable(self.path)} ({counts}){notes}"


@dataclass
class ImportReport:
    """Outcome of a whole import."""

    files: list[FileReport] = field(default_factory=list)
    totals: StoreSummary = field(default_factory=StoreSummary)
    cancelled: bool = False

    @property
    def skipped(self) -> list[FileReport]:
        """Files that were not imported (failures and pages/drafts left out on purpose)."""
        return [f for f in self.files if f.status == "skipped"]

    @property
    def failed(self) -> list[FileReport]:
        """Files that could not be imported (not those left out on purpose)."""
        return [f for f in self.skipped if not f.not_a_post]

    def summary_line(self) -> str:
        """Counts in one line."""
        t = self.totals
        return (
            f"imported {t.imported}, updated {t.updated}, unchanged {t.unchanged}, "
            f"skipped {len(self.skipped)} file(s)" + (" (cancelled)" if self.cancelled else "")
        )


def _status_of(summary: StoreSummary) -> str:
    kinds = [k for k in ("imported", "updated", "unchanged") if getattr(summary, k)]
    if not kinds:
        return "unchanged"
    return kinds[0] if len(kinds) == 1 else "mixed"


def store_outcome(db: Database, outcome: FileOutcome) -> FileReport:
    """Store one file's posts, in chunks of CHUNK_POSTS posts, one transaction each."""
    if not outcome.ok:
        return FileReport(
            outcome.path,
            "skipped",
            reason=outcome.error,
            warnings=outcome.warnings,
            not_a_post=outcome.not_a_post,
        )
    if not outcome.posts:
        reason = "no posts found"
        if outcome.warnings:  # say why: the posts that were read were all set aside
            reason += f" ({len(outcome.warnings):,} set aside, e.g. {outcome.warnings[0]})"
        return FileReport(outcome.path, "skipped", reason=reason, warnings=outcome.warnings)
    summary = StoreSummary()
    for start in range(0, len(outcome.posts), CHUNK_POSTS):
        summary.add(store_posts(db, outcome.posts[start : start + CHUNK_POSTS]))
    return FileReport(
        outcome.path, _status_of(summary), len(outcome.posts), summary, warnings=outcome.warnings
    )


def import_paths(
    db: Database,
    paths: Iterable[Path],
    options: ImportOptions,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    on_file: FileDoneFn | None = None,
) -> ImportReport:
    """Import every file under `paths`; bad files are reported and skipped, the rest go on.

    `on_file` is called after each file's posts are committed (so a caller may report them
    as stored).
    """
    report = ImportReport()
    files, problems = discover_files(list(paths))
    report.files.extend(FileReport(p.path, "skipped", reason=p.error) for p in problems)
    if on_file:
        for problem in report.files:
            on_file(problem)
    for index, path in enumerate(files):
        if cancelled and cancelled():
            report.cancelled = True
            break
        if progress:
            progress(index, len(files), path)
        file_report = store_outcome(db, read_file(path, options))
        report.files.append(file_report)
        report.totals.add(file_report.summary)
        if on_file:
            on_file(file_report)
    if progress and not report.cancelled:
        progress(len(files), len(files), Path())
    return report
