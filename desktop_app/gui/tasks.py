"""The one background-task API: work runs off the GUI thread, results come back on it.

Two lanes of QThreadPool threads (real QThreads, so Qt objects such as the PDF writer work
there): ``Lane.READ`` (a small pool for analysis, report building, queries) and
``Lane.WRITE`` (a single thread, so every history write is serialised). Work functions get a
:class:`TaskContext` (progress, cancel flag, a per-task history connection opened from the DB
path on the worker thread) and never touch widgets; their result, failure and progress are
posted back to the GUI thread through one Qt signal carrying closures.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from sqlite_utils import Database

from desktop_app.core.history import open_history

log = logging.getLogger(__name__)

Closure = Callable[[], None]


class Lane(StrEnum):
    """Where a task runs: the shared read pool or the single history-writer thread."""

    READ = "read"
    WRITE = "write"


class TaskCancelled(Exception):
    """Raised by a work function (via TaskContext.check) to stop early; not an error."""


@dataclass
class TaskFailure:
    """An exception raised by a work function, with its formatted traceback."""

    label: str
    error: BaseException
    trace: str


class TaskContext:
    """What a work function may use: progress, cancellation and a thread-own DB connection."""

    def __init__(self, handle: TaskHandle, db_path: Path | None) -> None:
        self._handle = handle
        self._db_path = db_path
        self._db: Database | None = None

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (posted to the GUI thread)."""
        self._handle.post_progress(done, total, message)

    def cancelled(self) -> bool:
        """True once the user pressed Cancel."""
        return self._handle.is_cancelled()

    def check(self) -> None:
        """Raise TaskCancelled when cancelled (for loops that want to stop right away)."""
        if self.cancelled():
            raise TaskCancelled

    def db(self) -> Database:
        """The history, opened on this worker thread from the DB path (closed after the task)."""
        if self._db_path is None:
            raise RuntimeError("this task was started without a history path")
        if self._db is None:
            self._db = open_history(self._db_path)
        return self._db

    def close(self) -> None:
        """Close the task's DB connection, if one was opened."""
        if self._db is not None:
            self._db.conn.close()
            self._db = None


@dataclass
class TaskHandle:
    """A running task as the GUI sees it: label, lane, progress and the cancel switch."""

    label: str
    lane: Lane
    show_progress: bool
    manager: TaskManager
    done: int = 0
    total: int = 0
    message: str = ""
    finished: bool = False
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the work function to stop; what it already finished is kept."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once cancel() was called."""
        return self._cancel.is_set()

    def post_progress(self, done: int, total: int, message: str) -> None:
        """Called on the worker thread: forward progress to the GUI thread."""
        self.manager.post(lambda: self.manager.update_progress(self, done, total, message))


class TaskManager(QObject):
    """Runs work functions in the background and delivers their outcome on the GUI thread."""

    _closures_pending = Signal()
    #: a task started / progressed / finished (TaskHandle)
    task_started = Signal(object)
    task_progress = Signal(object)
    task_finished = Signal(object)
    #: an unexpected exception escaped a work function without an on_error handler
    task_failed = Signal(object)

    def __init__(self, db_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self._pools = {Lane.READ: QThreadPool(self), Lane.WRITE: QThreadPool(self)}
        self._pools[Lane.READ].setMaxThreadCount(2)
        self._pools[Lane.WRITE].setMaxThreadCount(1)  # the single history-writer lane
        self._closures: list[Closure] = []
        self._lock = threading.Lock()
        self.running: list[TaskHandle] = []
        self._closed = False
        self._closures_pending.connect(self._run_closures, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        label: str = "Working",
        lane: Lane = Lane.READ,
        on_error: Callable[[TaskFailure], None] | None = None,
        show_progress: bool = True,
    ) -> TaskHandle:
        """Run `work(ctx)` on `lane`; on_done / on_error then run on the GUI thread."""
        handle = TaskHandle(label, lane, show_progress, self)
        if self._closed:  # the window is closing: nothing new starts
            handle.finished = True
            return handle
        self.running.append(handle)
        self.task_started.emit(handle)
        self._pools[lane].start(lambda: self._execute(handle, work, on_done, on_error))
        return handle

    def _execute(
        self,
        handle: TaskHandle,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[TaskFailure], None] | None,
    ) -> None:
        ctx = TaskContext(handle, self.db_path)
        try:
            result = work(ctx)
        except TaskCancelled:
            self.post(lambda: self._finish(handle, on_done, None))
        except BaseException as exc:
            failure = TaskFailure(handle.label, exc, traceback.format_exc())
            self.post(lambda: self._fail(handle, failure, on_error))
        else:
            self.post(lambda: self._finish(handle, on_done, result))
        finally:
            ctx.close()

    def post(self, closure: Closure) -> None:
        """Queue a closure to run on the GUI thread (safe from any thread)."""
        with self._lock:
            self._closures.append(closure)
        self._closures_pending.emit()

    def _run_closures(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            closure()

    def update_progress(self, handle: TaskHandle, done: int, total: int, message: str) -> None:
        """GUI thread: record progress and tell listeners."""
        if handle.finished:
            return
        handle.done, handle.total, handle.message = done, total, message
        self.task_progress.emit(handle)

    def _finish(
        self, handle: TaskHandle, on_done: Callable[[Any], None] | None, result: Any
    ) -> None:
        self._mark_finished(handle)
        if on_done is not None:
            on_done(result)

    def _fail(
        self,
        handle: TaskHandle,
        failure: TaskFailure,
        on_error: Callable[[TaskFailure], None] | None,
    ) -> None:
        self._mark_finished(handle)
        log.error("task %r failed:\n%s", failure.label, failure.trace)
        if on_error is not None:
            on_error(failure)
        else:
            self.task_failed.emit(failure)

    def _mark_finished(self, handle: TaskHandle) -> None:
        handle.finished = True
        if handle in self.running:
            self.running.remove(handle)
        self.task_finished.emit(handle)

    def cancel_all(self) -> None:
        """Cancel every running task."""
        for handle in list(self.running):
            handle.cancel()

    def is_idle(self) -> bool:
        """True when no task is running."""
        return not self.running

    def shutdown(self) -> None:
        """Cancel everything and wait for the worker threads to end (window closing)."""
        self._closed = True
        self.cancel_all()
        for pool in self._pools.values():
            pool.clear()
        for pool in self._pools.values():
            pool.waitForDone()
        with self._lock:
            self._closures.clear()
        self.running.clear()
