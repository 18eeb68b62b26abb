"""Batch analysis on a Dask cluster: workers score chunks of posts, this process writes them.

The client (this process) stays the single writer of the history: workers get the picklable
part of the job (``SpawnSpec``: pipeline name, lexicons, corpus index), scattered once to the
whole cluster, and chunks of ``PostInput``; each worker loads the spaCy pipeline once (cached
by name in the worker process) and returns ready-to-write ``ResultRows``.

A post is never written twice: each chunk is one Dask task whose result is read once, and
``write_rows`` replaces a post's rows by id anyway. A task on a worker that dies is re-run
elsewhere by the scheduler; a task that raises is retried ``RETRIES`` times, then its posts
are reported as failed and the batch goes on. At most ``IN_FLIGHT_PER_WORKER`` chunks per
worker are submitted at once, so closing the iterator (cancel) stops after those.

``distributed`` is imported only when this route is used: the app starts without it.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from itertools import islice
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from desktop_app.core.analysis.job import BatchJob, DaskTarget, Outcome, PostInput, analyze_chunk
from desktop_app.core.analysis.workers import SpawnSpec, spawn_spec

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

LOCAL = "local"
IN_FLIGHT_PER_WORKER = 2
RETRIES = 2

#: Worker side: pipeline name -> (the spec it was built from, the job). One per worker process.
_JOBS: dict[str, tuple[SpawnSpec, BatchJob]] = {}
_JOBS_LOCK = threading.Lock()
_KEEP: list[Any] = []


class DaskUnavailable(RuntimeError):
    """The Dask route cannot run: no `distributed`, or the scheduler cannot be reached."""


def _worker_job(spec: SpawnSpec) -> BatchJob:
    """The job for `spec` in this worker process: the pipeline is loaded once per name."""
    from desktop_app.core.nlp.pipeline import load_pipeline

    with _JOBS_LOCK:
        cached = _JOBS.get(spec.pipeline)
        if cached is not None and cached[0] is spec:
            return cached[1]
        nlp, info = load_pipeline(spec.pipeline)
        if info.key != spec.pipeline_key:  # never store values under another pipeline's name
            raise RuntimeError(f"worker pipeline is {info.label}, client uses {spec.pipeline_key}")
        if not _KEEP:
            _KEEP.append(threadpool_limits(limits=1))  # one worker thread per core
            gc.freeze()
        job = BatchJob(nlp, info, spec.lexicons, spec.index, spec.names, threading.Lock())
        _JOBS[spec.pipeline] = (spec, job)
        return job


def analyze_on_worker(spec: SpawnSpec, posts: list[PostInput]) -> list[Outcome]:
    """Score one chunk of posts (runs in a Dask worker)."""
    return analyze_chunk(_worker_job(spec), posts)


def _connect(target: DaskTarget, stack: ExitStack) -> Client:
    """A client for `target` ("local": a LocalCluster on loopback), closed with `stack`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("the Dask route needs dask[distributed] installed") from exc
    try:
        if target.address == LOCAL:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=target.workers or 2,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # loopback, any free port
                )
            )
            return stack.enter_context(Client(cluster))
        return stack.enter_context(Client(target.address, timeout=target.timeout))
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: a malformed address
        raise DaskUnavailable(f"cannot reach the Dask scheduler {target.address}: {exc}") from exc


def _n_workers(client: Client, target: DaskTarget) -> int:
    """Workers to keep busy: those the scheduler knows, once at least the asked-for are up."""
    try:
        client.wait_for_workers(target.workers or 1, timeout=target.timeout * 3)
    except TimeoutError as exc:
        raise DaskUnavailable(f"the Dask scheduler {target.address} has no workers") from exc
    return max(1, len(client.scheduler_info().get("workers", {})))


def _failed(chunk: Sequence[PostInput], exc: BaseException) -> list[Outcome]:
    reason = f"Dask task failed: {type(exc).__name__}: {exc}"
    return [(p.id, None, reason) for p in chunk]


def dask_outcomes(
    job: BatchJob, posts: Sequence[PostInput], target: DaskTarget
) -> Iterator[Outcome]:
    """Outcomes of `posts` analysed on the Dask cluster `target`, in completion order."""
    from distributed import as_completed

    with ExitStack() as stack:
        client = _connect(target, stack)
        spec = client.scatter(spawn_spec(job, target.pipeline or job.info.name), broadcast=True)
        chunks = (list(posts[i : i + target.chunk]) for i in range(0, len(posts), target.chunk))
        live: dict[Any, tuple[Future, list[PostInput]]] = {}

        def submit(chunk: list[PostInput]) -> Future:
            future = client.submit(analyze_on_worker, spec, chunk, retries=RETRIES, pure=False)
            live[future.key] = (future, chunk)
            return future

        in_flight = IN_FLIGHT_PER_WORKER * _n_workers(client, target)
        pending = as_completed([submit(c) for c in islice(chunks, in_flight)])
        try:
            for future in pending:
                chunk = live.pop(future.key)[1]
                following = next(chunks, None)
                if following is not None:
                    pending.add(submit(following))
                yield from _chunk_outcomes(future, chunk)
        finally:  # cancel: nothing more is submitted, and what is queued is dropped
            pending.clear()
            if live:
                client.cancel([f for f, _ in live.values()])


def _chunk_outcomes(future: Future, chunk: Sequence[PostInput]) -> list[Outcome]:
    """The chunk's outcomes; every post failed when the task failed for good."""
    try:
        return list(future.result())
    except Exception as exc:  # retries used up, or the task cannot run at all
        log.warning("Dask chunk of %d post(s) failed: %s", len(chunk), exc)
        return _failed(chunk, exc)
