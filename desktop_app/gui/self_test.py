"""`content-drift --self-test`: pipeline, a sample article, the history DB and the window."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.core import paths
from desktop_app.core.history.repository import count_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.tasks import TaskContext, TaskFailure

if TYPE_CHECKING:
    from desktop_app.core.nlp.pipeline import PipelineInfo

TIMEOUT_MS = 180_000
SAMPLE = "sample/sample-article.md"


def is_frozen() -> bool:
    """True in the PyInstaller bundle (where the staged pipeline must load)."""
    return bool(getattr(sys, "frozen", False))


def _sample_text() -> tuple[str, str]:
    path = paths.resource_file(SAMPLE)
    outcome = read_file(path, ImportOptions())
    if not outcome.posts:
        raise RuntimeError(f"{path}: bundled sample unreadable: {outcome.error}")
    post = outcome.posts[0]
    return post.title, post.text


def check_pipeline(info: PipelineInfo, frozen: bool) -> str:
    """Describe the loaded pipeline; raise in the bundle when it is the blank fallback."""
    if info.is_fallback and frozen:
        raise RuntimeError(f"the bundled pipeline did not load: {info.label}")
    where = "fallback allowed from source" if info.is_fallback else "loaded"
    return f"pipeline {info.label} ({where})"


def _check_window(window: MainWindow, context: AppContext) -> str:
    """The window is up and the history DB opens, answers and closes."""
    if not window.isVisible():
        raise RuntimeError("the main window did not show")
    posts = count_posts(context.db)
    context.close_db()
    return f"history {context.db_path.name} opened ({posts} posts) and closed"


def run_self_test(db_path: Path | None) -> int:
    """Exit code 0 when the window, the history DB, the pipeline and the sample all worked.

    Every failure, even one while the window is being built, is printed on the terminal.
    """
    try:
        return _run(db_path)
    except Exception as exc:  # the verdict, printed: there may be no window to show it
        print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _run(db_path: Path | None) -> int:
    app = QApplication.instance()
    assert app is not None
    with tempfile.TemporaryDirectory(prefix="content-drift-selftest-") as tmp:
        context = AppContext(db_path or Path(tmp) / "selftest.sqlite")
        for problem in context.settings_problems:
            print(f"self-test warning: {problem}", file=sys.stderr)
        window = MainWindow(context)
        window.show()
        outcome: dict[str, int] = {"code": 1}
        try:
            db_line = _check_window(window, context)
        except Exception as exc:  # any failure is the verdict, printed
            print(f"self-test FAILED: {exc}", file=sys.stderr)
            window.close()
            return 1

        def work(ctx: TaskContext) -> str:
            title, text = _sample_text()
            engine = context.engine(ctx)
            pipeline = check_pipeline(engine.pipeline_info, is_frozen())
            result = engine.check_text(text, title)
            return f"{pipeline}; sample '{title}': {len(result.metrics)} metrics"

        def done(summary: str) -> None:
            print(f"self-test OK: {summary}; {db_line}; window shown")
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
        return outcome["code"]
