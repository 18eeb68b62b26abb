"""Batch analysis in forked worker processes: each worker parses AND scores its chunk of posts.

Why not spaCy's own ``nlp.pipe(n_process=...)``: it parallelises only the parse, then ships
every Doc back to the parent, which deserialises it and computes all metrics on one core.
With a fast pipeline that parent is the bottleneck (blank pipeline: slower than one process).
Here the workers return only the small ``MetricResult`` records; the parent writes them.

Workers are forked, so they share the loaded pipeline, lexicons and corpus index with the
parent copy-on-write instead of re-loading them. Fork is only used where it is the safe
default (Linux); elsewhere ``can_fork`` is False and callers stay in one process. Each worker
keeps numpy's BLAS to one thread: two workers on two cores is the whole machine.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from desktop_app.core.analysis import BatchJob, PostInput
    from desktop_app.core.metrics.base import MetricResult

#: One analysed post: (post id, results, None) or (post id, None, "Error: message").
Outcome = tuple[str, "dict[str, MetricResult] | None", "str | None"]

_WORKER_JOB: BatchJob | None = None
_KEEP: list[Any] = []  # keeps the worker's threadpool limit alive for the process lifetime


def can_fork() -> bool:
    """True where forked workers are safe and available (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _init_worker(job: BatchJob) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    _KEEP.append(threadpool_limits(limits=1))


def _analyse_chunk(posts: Sequence[PostInput]) -> list[Outcome]:
    from desktop_app.core.analysis import analyse_chunk

    assert _WORKER_JOB is not None, "worker started without a job"
    return analyse_chunk(_WORKER_JOB, posts)


def parallel_outcomes(
    job: BatchJob, posts: Sequence[PostInput], processes: int, chunk: int
) -> Iterator[Outcome]:
    """Outcomes of `posts`, in order, analysed by `processes` forked workers, `chunk` at a time.

    At most two chunks per worker are in flight, so closing the iterator (cancel) stops
    after those and memory stays flat however many posts there are.
    """
    chunks = (list(posts[i : i + chunk]) for i in range(0, len(posts), chunk))
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_init_worker,
                               initargs=(job,))  # fmt: skip
    try:
        in_flight: deque[Future[list[Outcome]]] = deque(
            pool.submit(_analyse_chunk, c) for c in islice(chunks, 2 * processes)
        )
        while in_flight:
            yield from in_flight.popleft().result()
            following = next(chunks, None)
            if following is not None:
                in_flight.append(pool.submit(_analyse_chunk, following))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
