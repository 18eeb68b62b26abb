"""`content-drift --self-test`: window offscreen, load the pipeline, check a sample, exit."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.core import paths
from desktop_app.core.ingest import read_file
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.tasks import TaskContext, TaskFailure

TIMEOUT_MS = 180_000
SAMPLE = "demo/otel-blog/2019/opentelemetry-governance-committee-explained/index.md"


def _sample_text() -> tuple[str, str]:
    outcome = read_file(paths.resource_file(SAMPLE), _options())
    if not outcome.posts:
        raise RuntimeError(f"bundled sample unreadable: {outcome.error}")
    post = outcome.posts[0]
    return post.title, post.text


def _options() -> ImportOptions:
    return ImportOptions()


def run_self_test(db_path: Path | None) -> int:
    """Exit code 0 when the window, the pipeline and a check of the sample all worked."""
    app = QApplication.instance()
    assert app is not None
    with tempfile.TemporaryDirectory(prefix="content-drift-selftest-") as tmp:
        context = AppContext(db_path or Path(tmp) / "selftest.sqlite")
        window = MainWindow(context)
        window.show()
        outcome: dict[str, object] = {"code": 1}

        def work(ctx: TaskContext) -> str:
            title, text = _sample_text()
            engine = context.engine(ctx)
            result = engine.check_text(text, title)
            return f"pipeline {engine.pipeline_info.label}; {len(result.metrics)} metrics"

        def done(summary: str) -> None:
            print(f"self-test OK: {summary}")
            outcome["code"] = 0
            app.quit()

        def failed(failure: TaskFailure) -> None:
            print(f"self-test FAILED: {failure.error}\n{failure.trace}", file=sys.stderr)
            app.quit()

        context.tasks.run(work, done, label="Self-test", on_error=failed)
        QTimer.singleShot(TIMEOUT_MS, app.quit)
        app.exec()
        window.close()
        context.close_db()
        return int(outcome["code"])  # type: ignore[call-overload]
