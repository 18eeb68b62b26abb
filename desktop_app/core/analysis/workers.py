"""Batch analysis in worker processes: each worker parses AND scores its chunk of posts.

Why not spaCy's own ``nlp.pipe(n_process=...)``: it parallelises only the parse, then ships
every Doc back to the parent, which deserialises it and computes all metrics on one core.
With a fast pipeline that parent is the bottleneck (blank pipeline: slower than one process).
Here the workers return ready-to-insert rows (``ResultRows``); the parent only writes them.

Two ways to start workers:

* fork (the CLI on Linux): workers share the loaded pipeline, lexicons and corpus index with
  the parent copy-on-write; nothing is re-loaded.
* spawn (the GUI, which must never fork a running Qt application, and macOS/Windows): fresh
  interpreters that load the spaCy pipeline by name (~2 s) and receive the lexicons and the
  corpus index pickled once per worker. A worker whose pipeline is not the parent's (say it
  fell back to the blank one) refuses to start, and the batch goes on in the parent.

Each worker keeps numpy's BLAS to one thread: two workers on two cores is the whole machine.

A worker ends with its parent, even one killed with kill -9 (which would otherwise leave
every worker blocked on its task pipe forever, ~230 MB each): a thread in the worker waits
on multiprocessing's parent sentinel (a pipe that closes when the parent dies, on every OS),
and on Linux the kernel also sends SIGTERM at once (prctl PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from desktop_app.core.analysis.job import BatchJob, Outcome, PostInput, analyze_chunk

if TYPE_CHECKING:
    from desktop_app.core.metrics.corpus_index import CorpusIndex
    from desktop_app.core.metrics.lexicons import Lexicons

log = logging.getLogger(__name__)

_WORKER_JOB: BatchJob | None = None
_KEEP: list[Any] = []  # keeps the worker's threadpool limit alive for the process lifetime


def can_fork() -> bool:
    """True where forked workers are safe and available (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class SpawnSpec:
    """What a spawned worker needs besides the pipeline, which it loads by name itself."""

    pipeline: str
    pipeline_key: str  # PipelineInfo.key the parent stamps on every value
    lexicons: Lexicons
    index: CorpusIndex | None
    names: tuple[str, ...] | None


def spawn_spec(job: BatchJob, pipeline: str) -> SpawnSpec:
    """The picklable part of `job`, for workers that load `pipeline` themselves."""
    names = tuple(job.names) if job.names is not None else None
    return SpawnSpec(pipeline, job.info.key, job.lexicons, job.index, names)


#: prctl option: the signal the kernel sends this process when its parent thread exits.
PR_SET_PDEATHSIG = 1


def _parent_death_signal() -> None:
    """Linux: have the kernel send SIGTERM when the parent dies (best effort)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
    except (OSError, AttributeError) as exc:
        log.debug("no prctl here: %s", exc)


def _wait_for_parent(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of the sentinel pipe closes: it died
    os._exit(1)


def exit_with_parent(kernel_signal: bool) -> None:
    """Make this worker process end when the process that started it dies.

    `kernel_signal` asks for Linux's parent-death signal too; it is only right when the
    parent's starting thread lives as long as the parent (the kernel watches that thread).
    """
    if kernel_signal and sys.platform.startswith("linux"):
        _parent_death_signal()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_wait_for_parent, args=(parent,), name="parent-watch",
                         daemon=True).start()  # fmt: skip


def _init_worker(job: BatchJob, kernel_signal: bool = False) -> None:
    exit_with_parent(kernel_signal)
    _set_job(job)


def _set_job(job: BatchJob) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    _KEEP.append(threadpool_limits(limits=1))
    # Keep the cyclic GC off the long-lived objects (pipeline, index, models): a worker makes
    # many short-lived objects, and every full collection would rescan the hundreds of
    # thousands that never die. (Forked workers inherit the parent's freeze, see _pooled.)
    gc.freeze()


def _init_spawned(spec: SpawnSpec, kernel_signal: bool = False) -> None:
    from desktop_app.core.nlp.pipeline import load_pipeline

    exit_with_parent(kernel_signal)  # also while the pipeline loads

    nlp, info = load_pipeline(spec.pipeline)
    if info.key != spec.pipeline_key:  # never store values under another pipeline's name
        raise RuntimeError(f"worker pipeline is {info.label}, parent uses {spec.pipeline_key}")
    _set_job(BatchJob(nlp, info, spec.lexicons, spec.index, spec.names))


def _analyze_chunk(posts: Sequence[PostInput]) -> list[Outcome]:
    assert _WORKER_JOB is not None, "worker started without a job"
    return analyze_chunk(_WORKER_JOB, posts)


def parallel_outcomes(
    job: BatchJob,
    posts: Sequence[PostInput],
    processes: int,
    chunk: int,
    spawn: SpawnSpec | None = None,
    fallback: Callable[[Sequence[PostInput]], Iterator[Outcome]] | None = None,
) -> Iterator[Outcome]:
    """Outcomes of `posts`, in order, analysed by `processes` workers, `chunk` at a time.

    Workers are forked unless `spawn` is given. At most two chunks per worker are in flight,
    so closing the iterator (cancel) stops after those and memory stays flat. If the workers
    cannot start (a broken pool), the posts not yet done go to `fallback` (this process).
    """
    done = 0
    if spawn is None and fallback is not None and posts:
        # Forked workers inherit the parent's warm caches (AI-style model, syllables, vocab),
        # so the first post is analysed here before forking instead of once per worker.
        yield from fallback(posts[:1])
        done = 1
    try:
        for outcome in _pooled(job, posts[done:], processes, chunk, spawn):
            done += 1
            yield outcome
    except BrokenProcessPool as exc:
        if fallback is None:
            raise
        log.warning("worker processes failed (%s); analysing the rest in this process", exc)
        yield from fallback(posts[done:])


def _pooled(
    job: BatchJob, posts: Sequence[PostInput], processes: int, chunk: int, spawn: SpawnSpec | None
) -> Iterator[Outcome]:
    chunks = (list(posts[i : i + chunk]) for i in range(0, len(posts), chunk))
    context: Any = multiprocessing.get_context("fork" if spawn is None else "spawn")
    # workers start from this thread; the kernel's parent-death signal follows that thread
    main = threading.current_thread() is threading.main_thread()
    init: tuple[Callable[..., None], tuple[Any, ...]] = (
        (_init_worker, (job, main)) if spawn is None else (_init_spawned, (spawn, main))
    )
    if spawn is None:
        gc.freeze()  # before fork: a collection in a worker would also copy every shared page
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=init[0],
                               initargs=init[1])  # fmt: skip
    try:
        in_flight: deque[Future[list[Outcome]]] = deque(
            pool.submit(_analyze_chunk, c) for c in islice(chunks, 2 * processes)
        )
        while in_flight:
            yield from in_flight.popleft().result()
            following = next(chunks, None)
            if following is not None:
                in_flight.append(pool.submit(_analyze_chunk, following))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
