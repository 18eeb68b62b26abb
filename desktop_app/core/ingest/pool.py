"""Cleaning raw rows in worker processes (spawned: safe beside a running Qt window), or here."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from desktop_app.core.ingest.clean import clean_items
from desktop_app.core.ingest.stream import Cleaned, RawItem, StreamContext

#: Fewer rows to clean than this in a chunk are cleaned here: starting workers costs more.
MIN_POOL_ITEMS = 64
#: Files smaller than this are cleaned in this process whatever the worker count.
MIN_POOL_BYTES = 4 * 1024 * 1024

Pending = Callable[[], list[Cleaned]]


class Cleaner:
    """Cleans chunks of raw items, in `workers` spawned processes or (1) in this one.

    The results are the same either way (`clean_items` is a pure function of the items and
    the context); a pool that breaks (a worker killed) is dropped and the chunk cleaned here.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, context: StreamContext, items: list[RawItem]) -> Pending:
        """Start cleaning `items`; the returned call waits for the results, in order."""
        if self.workers <= 1 or len(items) < MIN_POOL_ITEMS:
            return lambda: clean_items(context, items)
        pool = self._started()
        size = -(-len(items) // self.workers)
        parts = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [pool.submit(clean_items, context, part) for part in parts]
        return lambda: self._results(futures, context, items)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            spawn = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=spawn)
        return self._pool

    def _results(
        self, futures: list[Future[list[Cleaned]]], context: StreamContext, items: list[RawItem]
    ) -> list[Cleaned]:
        try:
            return [cleaned for future in futures for cleaned in future.result()]
        except BrokenProcessPool:
            self.close()
            self.workers = 1
            return clean_items(context, items)

    def close(self) -> None:
        """Stop the workers (pending work is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
