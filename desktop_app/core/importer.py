"""Import files and folders into the history: per-file outcomes, one transaction per chunk."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.history.repository import (
    StoreSummary,
    known_fingerprints,
    store_fingerprinted,
    store_posts,
)
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.dispatch import discover_files, open_stream, read_file
from desktop_app.core.ingest.pool import MIN_POOL_BYTES, Cleaner, Pending
from desktop_app.core.ingest.stream import ItemStream, RawItem
from desktop_app.core.messages import printable, summarise_warnings

CHUNK_POSTS = 200
#: Rows of a streamed file (CSV, WXR) read, cleaned and stored per transaction.
STREAM_CHUNK = 500
#: Chunks cleaned ahead of the one being stored (with worker processes).
AHEAD = 2

ProgressFn = Callable[[int, int, Path], None]
CancelFn = Callable[[], bool]
FileDoneFn = Callable[["FileReport"], None]


@dataclass(frozen=True)
class StreamProgress:
    """How far a streamed file has got: rows read and stored, bytes read of the file."""

    path: Path
    rows: int
    bytes_read: int
    total_bytes: int


RowProgressFn = Callable[[StreamProgress], None]


@dataclass
class FileReport:
    """Outcome of one file, as shown to the user."""

    path: Path
    status: str  # imported | unchanged | updated | mixed | partial | skipped
    posts: int = 0
    summary: StoreSummary = field(default_factory=StoreSummary)
    #: Rows of a streamed file whose stored fingerprint made cleaning them unnecessary.
    not_cleaned: int = 0
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
        stopped = f"\n         stopped: {printable(self.reason)}" if self.reason else ""
        return f"{self.status:<9}{printable(self.path)} ({counts}){stopped}{notes}"


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
        """Files that could not be imported (not those left out on purpose), or only in part."""
        return [
            f for f in self.files
            if (f.status == "skipped" and not f.not_a_post) or f.status == "partial"
        ]  # fmt: skip

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


def _chunks(items: Iterator[RawItem | str], size: int) -> Iterator[list[RawItem | str]]:
    """Lists of `size` entries; when reading fails part-way, the rows read before the failure
    come first, then the error."""
    chunk: list[RawItem | str] = []
    try:
        for entry in items:
            chunk.append(entry)
            if len(chunk) == size:
                yield chunk
                chunk = []
    except (IngestError, OSError):
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


@dataclass
class _Chunk:
    entries: list[RawItem | str]  # raw rows, and warnings of rows the reader set aside
    known: set[str]  # fingerprints already stored with their post: not cleaned again
    cleaned: Pending


class _StreamStore:
    """Stores one streamed file chunk by chunk (one transaction each), keeping its report."""

    def __init__(self, db: Database, stream: ItemStream, cleaner: Cleaner,
                 on_rows: RowProgressFn | None) -> None:  # fmt: skip
        self.db, self.stream, self.cleaner, self.on_rows = db, stream, cleaner, on_rows
        self.report = FileReport(stream.context.path, "imported")
        self.rows = 0

    def read(self, entries: list[RawItem | str]) -> _Chunk:
        """Look the chunk's fingerprints up and start cleaning the rows not yet stored."""
        raws = [entry for entry in entries if isinstance(entry, RawItem)]
        known = known_fingerprints(self.db, [raw.fingerprint for raw in raws])
        todo = [raw for raw in raws if raw.fingerprint not in known]
        return _Chunk(entries, known, self.cleaner.submit(self.stream.context, todo))

    def store(self, chunk: _Chunk) -> None:
        """Wait for the chunk's cleaning and store its posts with their fingerprints."""
        cleaned = iter(chunk.cleaned())
        pairs, unchanged = [], 0
        for entry in chunk.entries:
            if isinstance(entry, str):
                self.report.warnings.append(entry)
            elif entry.fingerprint in chunk.known:
                unchanged += 1
            else:
                done = next(cleaned)
                self.report.warnings.extend(done.warnings)
                if done.post is not None:
                    pairs.append((done.post, entry.fingerprint, done.post_id, done.words))
        summary = store_fingerprinted(self.db, pairs) if pairs else StoreSummary()
        summary.unchanged += unchanged
        self.report.summary.add(summary)
        self.report.not_cleaned += unchanged
        self.rows += len(chunk.entries)
        if self.on_rows:
            progress = StreamProgress(self.report.path, self.rows, self.stream.position(),
                                  self.stream.total_bytes)  # fmt: skip
            self.on_rows(progress)

    def finish(self, error: str | None) -> FileReport:
        """The file's report: a stop part-way is 'partial', with the posts before it kept."""
        report, s = self.report, self.report.summary
        report.posts = s.imported + s.updated + s.unchanged
        if error and not report.posts:
            report.status, report.reason = "skipped", error
        elif error:
            report.status = "partial"
            report.reason = f"{error}; the {report.posts:,} posts before it are stored"
        elif not report.posts:
            report.status, report.reason = "skipped", "no posts found"
            if report.warnings:
                report.reason += f" ({len(report.warnings):,} set aside, e.g. {report.warnings[0]})"
        else:
            report.status = _status_of(s)
        return report


def store_stream(
    db: Database,
    stream: ItemStream,
    cleaner: Cleaner,
    cancelled: CancelFn | None = None,
    on_rows: RowProgressFn | None = None,
) -> tuple[FileReport, bool]:
    """Read, clean and store a streamed file in chunks of STREAM_CHUNK rows; (report, cancelled).

    With worker processes, AHEAD chunks are cleaned while one is stored. A reading error
    part-way stops the file, the rows before it stored; a cancel drops the chunks not yet
    stored (a rerun reads them again)."""
    store, queue = _StreamStore(db, stream, cleaner, on_rows), deque[_Chunk]()
    error, stop = None, False
    ahead = AHEAD if cleaner.workers > 1 else 0
    try:
        for entries in _chunks(stream.items, STREAM_CHUNK):
            queue.append(store.read(entries))
            if len(queue) > ahead:
                store.store(queue.popleft())
            if cancelled and cancelled():
                stop = True
                queue.clear()
                break
    except IngestError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"cannot read file ({exc.strerror or exc})"
    finally:
        stream.close()
    while queue:
        store.store(queue.popleft())
    return store.finish(error), stop


def _open_failed(path: Path, exc: Exception) -> FileReport:
    if isinstance(exc, OSError):
        return FileReport(path, "skipped", reason=f"cannot read file ({exc.strerror or exc})")
    return FileReport(path, "skipped", reason=str(exc))


def import_file(
    db: Database,
    path: Path,
    options: ImportOptions,
    cancelled: CancelFn | None = None,
    on_rows: RowProgressFn | None = None,
) -> tuple[FileReport, bool]:
    """Import one file: CSV and WXR streamed in chunks, other formats read whole;
    (report, cancelled)."""
    try:
        stream = open_stream(path, options)
    except (IngestError, OSError) as exc:
        return _open_failed(path, exc), False
    if stream is None:
        return store_outcome(db, read_file(path, options)), False
    big = stream.total_bytes >= MIN_POOL_BYTES
    cleaner = Cleaner(options.import_workers if big else 1)
    try:
        return store_stream(db, stream, cleaner, cancelled, on_rows)
    finally:
        cleaner.close()


def import_paths(
    db: Database,
    paths: Iterable[Path],
    options: ImportOptions,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    on_file: FileDoneFn | None = None,
    on_rows: RowProgressFn | None = None,
) -> ImportReport:
    """Import every file under `paths`; bad files are reported and skipped, the rest go on.

    `on_file` is called after each file's posts are committed (so a caller may report them
    as stored); `on_rows` after each chunk of a streamed file (CSV, WXR) is stored.
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
        file_report, report.cancelled = import_file(db, path, options, cancelled, on_rows)
        report.files.append(file_report)
        report.totals.add(file_report.summary)
        if on_file:
            on_file(file_report)
        if report.cancelled:
            break
    if progress and not report.cancelled:
        progress(len(files), len(files), Path())
    return report
