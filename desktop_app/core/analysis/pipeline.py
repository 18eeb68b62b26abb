"""Analyze posts in batches: worker processes or this one, progress, cancel, chunked writes."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from desktop_app.core.analysis.dask_route import dask_outcomes
from desktop_app.core.analysis.job import BATCH_SIZE, BatchJob, Outcome, PostInput, analyze_chunk
from desktop_app.core.analysis.workers import can_fork, parallel_outcomes, spawn_spec
from desktop_app.core.history.metrics_repo import ResultRows, write_rows
from desktop_app.core.nlp.pipeline import PipelineInfo

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass
class AnalyzeReport:
    """Outcome of a batch analysis."""

    pipeline: PipelineInfo
    total: int = 0
    analyzed: int = 0
    chunks_written: int = 0
    cancelled: bool = False
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary_line(self) -> str:
        """Counts in one line."""
        text = f"analysed {self.analyzed} of {self.total} post(s)"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text + (" (cancelled)" if self.cancelled else "")


#: Fewest posts for which starting worker processes pays off.
MIN_POSTS_PER_PROCESS_RUN = 100


def _outcomes(job: BatchJob, posts: Sequence[PostInput]) -> Generator[Outcome, None, None]:
    """Outcomes: on Dask if asked; in worker processes for big batches where possible; else here."""
    if job.dask is not None:  # completion order: the rows are keyed by post id
        yield from dask_outcomes(job, posts, job.dask)
        return
    procs = job.n_process if len(posts) >= MIN_POSTS_PER_PROCESS_RUN else 1
    if procs > 1 and job.spawn_pipeline is not None:
        spec = spawn_spec(job, job.spawn_pipeline)
        yield from parallel_outcomes(job, posts, procs, BATCH_SIZE, spec, _serial(job))
    elif procs > 1 and can_fork():
        yield from parallel_outcomes(job, posts, procs, BATCH_SIZE, None, _serial(job))
    else:
        yield from _serial(job)(posts)


def _serial(job: BatchJob) -> Callable[[Sequence[PostInput]], Iterator[Outcome]]:
    """Analysis of posts in this process, a chunk at a time."""

    def outcomes(posts: Sequence[PostInput]) -> Iterator[Outcome]:
        for start in range(0, len(posts), BATCH_SIZE):
            yield from analyze_chunk(job, posts[start : start + BATCH_SIZE])

    return outcomes


def analyze_posts(
    db: Database,
    job: BatchJob,
    posts: Sequence[PostInput],
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> AnalyzeReport:
    """Analyse `posts`; write results every `chunk_size` posts (one transaction per chunk)."""
    report = AnalyzeReport(job.info, total=len(posts))
    pending: list[ResultRows] = []
    outcomes = _outcomes(job, posts)
    try:
        for done, (post_id, rows, error) in enumerate(outcomes, start=1):
            if rows is None:
                report.failed.append((post_id, error or "unknown error"))
            else:
                pending.append(rows)
            if len(pending) >= job.chunk_size:
                _flush(db, pending, report)
            if progress:
                progress(done, len(posts))
            if cancelled and cancelled() and done < len(posts):
                report.cancelled = True
                break
    finally:
        outcomes.close()
    _flush(db, pending, report)
    return report


def _flush(db: Database, pending: list[ResultRows], report: AnalyzeReport) -> None:
    if not pending:
        return
    write_rows(db, pending)
    report.analyzed += len(pending)
    report.chunks_written += 1
    pending.clear()
