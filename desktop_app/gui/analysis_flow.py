"""Background analysis: load the pipeline, analyse new posts, re-analyse, build the demo history."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal

from desktop_app.core import paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.gui.context import AppContext
from desktop_app.gui.tasks import Lane, TaskContext, TaskFailure, TaskHandle

if TYPE_CHECKING:  # the analysis wing loads spaCy: imported by the worker on first use
    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.analysis.pipeline import AnalyzeReport
    from desktop_app.core.nlp.pipeline import PipelineInfo

#: Which posts to analyse: None = new and stale ones, "all" = every post again.
Which = Literal["all"] | None

log = logging.getLogger(__name__)


def _progress_fn(ctx: TaskContext) -> Callable[[int, int], None]:
    """Adapter for the engine's progress callback (done, total[, ...])."""

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, f"{done} of {total} posts")

    return progress


class AnalysisFlow(QObject):
    """Owns the long analysis tasks of one window."""

    pipeline_loaded = Signal(object)
    analysis_finished = Signal(object)
    demo_ready = Signal()

    def __init__(self, app: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        #: The loaded pipeline, or why it failed to load (None until then).
        self.pipeline_info: PipelineInfo | BaseException | None = None

    def load_pipeline(self) -> TaskHandle:
        """Build the engine (and its spaCy pipeline) in the background; emits pipeline_loaded."""

        def work(ctx: TaskContext) -> PipelineInfo:
            return self.app.engine(ctx).pipeline_info

        return self.app.tasks.run(
            work, self._pipeline_done, label="Loading the language pipeline", lane=Lane.READ,
            on_error=lambda f: self._pipeline_done(f.error),
        )  # fmt: skip

    def _pipeline_done(self, info: PipelineInfo | BaseException) -> None:
        self.pipeline_info = info
        self.pipeline_loaded.emit(info)
        if not isinstance(info, BaseException):
            self.warm_history()

    def warm_history(self) -> TaskHandle | None:
        """Load (or build) the corpus index, baseline and AI-style state and run one short
        check in the background (engine.warm_up), so the first check of a draft is as quick
        as the next ones instead of paying that start-up cost itself."""

        def work(ctx: TaskContext) -> None:
            self.app.engine(ctx).warm_up()

        def failed(failure: TaskFailure) -> None:  # the first check will report it in the window
            log.warning("indexing the history in the background failed: %s", failure.error)

        return self.app.tasks.run(
            work, None, label="Indexing the history", lane=Lane.READ, on_error=failed
        )

    def analyze_pending(self) -> TaskHandle | None:
        """Analyse every post that has no values yet (writer lane; cancel keeps finished posts)."""
        return self._analyze(None, "Analysing new posts")

    def reanalyze(self) -> TaskHandle | None:
        """Re-analyse every post (e.g. after changing the pipeline)."""
        return self._analyze("all", "Re-analysing the history")

    def _analyze(self, which: Which, label: str) -> TaskHandle | None:
        def work(ctx: TaskContext) -> AnalyzeReport:
            engine = self.app.engine(ctx)
            return run_analysis(engine, which, ctx)

        return self.app.tasks.run(work, self._analyzed, label=label, lane=Lane.WRITE)

    def _analyzed(self, result: AnalyzeReport) -> None:
        self.app.mark_history_changed()
        self.analysis_finished.emit(result)

    def open_demo(self) -> TaskHandle:
        """Build (first time) and open the demo history, then analyse it."""
        demo_path = paths.demo_db_path()
        options = ImportOptions.from_settings(self.app.settings)

        def work(ctx: TaskContext) -> int:
            return build_demo(demo_path, options, ctx)

        return self.app.tasks.run(
            work,
            lambda _n: self._demo_built(demo_path),
            label="Preparing the demo",
            lane=Lane.WRITE,
        )

    def _demo_built(self, demo_path: Path) -> None:
        self.app.switch_db(demo_path, demo=True)
        self.demo_ready.emit()
        self.analyze_demo()

    def analyze_demo(self) -> TaskHandle | None:
        """Analyse a sample spread over the demo first (the dashboard fills), then the rest."""

        def work(ctx: TaskContext) -> AnalyzeReport | None:
            engine = self.app.engine(ctx)
            from desktop_app.core.demo import first_pass_pending  # heavy: not at start-up

            ids = first_pass_pending(ctx.db(), engine.pipeline_info)
            return engine.analyze_posts(ids, _progress_fn(ctx), ctx.cancelled) if ids else None

        def first_pass_done(result: AnalyzeReport | None) -> None:
            self.app.mark_history_changed()
            if result is None or not result.cancelled:
                self.analyze_pending()

        return self.app.tasks.run(
            work, first_pass_done, label="Analysing a first sample of the demo", lane=Lane.WRITE
        )


#: Worker processes for batches of 100+ posts (spawned: a Qt application is never forked).
ANALYSIS_PROCESSES = min(2, os.cpu_count() or 1)


def run_analysis(engine: AnalysisEngine, which: Which, ctx: TaskContext) -> AnalyzeReport:
    """Call the engine's analyze_posts with our progress and cancel hooks."""
    mode = "all" if which == "all" else "stale"
    return engine.analyze_posts(
        None, _progress_fn(ctx), ctx.cancelled, mode=mode,
        n_process=ANALYSIS_PROCESSES, spawn=True,
    )  # fmt: skip


def build_demo(demo_path: Path, options: ImportOptions, ctx: TaskContext) -> int:
    """Import the bundled demo corpora into the demo DB (once); return its post count."""

    def progress(done: int, total: int, path: Path) -> None:
        ctx.progress(done, total, path.name)

    from desktop_app.core.demo import build_demo_history  # heavy: not at start-up

    return build_demo_history(demo_path, options, progress, ctx.cancelled)
