"""The window's batch analysis: a big batch goes to spawned worker processes (never a fork of
the running Qt application), every post is stored, and the window hears when it is done."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.analysis import engine as engine_module
from desktop_app.core.analysis import pipeline as analysis


def test_analysing_a_whole_blog_spawns_workers_and_stores_every_post(
    qtbot: Any, window_for: Any, otel_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs: list[Any] = []
    original = analysis.spawn_spec

    def recording(*args: Any) -> Any:
        specs.append(original(*args))
        return specs[-1]

    monkeypatch.setattr(analysis, "spawn_spec", recording)
    window = window_for(otel_db)
    with qtbot.waitSignal(window.analysis.analysis_finished, timeout=600_000) as blocker:
        window.analysis.analyze_pending()
    report = blocker.args[0]
    assert report.total >= 250 and report.analyzed == report.total and not report.failed
    assert len(specs) == 1 and specs[0].index is not None  # workers got the corpus index
    conn = sqlite3.connect(otel_db)
    stored = conn.execute("select count(distinct post_id) from metric_values").fetchone()[0]
    conn.close()
    assert stored == report.total


def test_cancelling_on_the_first_progress_stops_the_analysis_and_says_so(
    qtbot: Any, window_for: Any, otel_db: Path
) -> None:
    window = window_for(otel_db)
    cancel_at_first = lambda handle: handle.done >= 1 and handle.cancel()  # noqa: E731
    window.app.tasks.task_progress.connect(cancel_at_first)
    with qtbot.waitSignal(window.analysis.analysis_finished, timeout=600_000) as blocker:
        window.analysis.analyze_pending()
    report = blocker.args[0]
    assert report.cancelled and 0 < report.analyzed < report.total
    assert multiprocessing.active_children() == []  # the worker pool is shut down
    conn = sqlite3.connect(otel_db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    stored = conn.execute("select count(distinct post_id) from metric_values").fetchone()[0]
    conn.close()
    assert stored == report.analyzed  # whatever was finished is stored, nothing more


def test_closing_the_window_mid_analysis_stops_the_workers(
    qtbot: Any, window_for: Any, otel_db: Path
) -> None:
    window = window_for(otel_db)
    closed: list[int] = []

    def close_at_first_progress(handle: Any) -> None:
        if handle.done >= 1 and not closed:
            closed.append(handle.done)
            window.close()  # cancels the task and waits for it: the worker pool is shut down

    window.app.tasks.task_progress.connect(close_at_first_progress)
    window.analysis.analyze_pending()
    qtbot.waitUntil(lambda: bool(closed), timeout=600_000)
    assert multiprocessing.active_children() == []
    conn = sqlite3.connect(otel_db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    stored = conn.execute("select count(distinct post_id) from metric_values").fetchone()[0]
    conn.close()
    assert stored < 256  # stopped early; whatever was stored stays


def test_history_is_indexed_in_the_background_so_the_first_check_is_quick(
    qtbot: Any, window_for: Any, analyzed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    original = engine_module.persisted_index  # a file history's index: built or loaded

    def counting(db: Any, *args: Any) -> Any:
        builds.append(1)
        return original(db, *args)

    monkeypatch.setattr(engine_module, "persisted_index", counting)
    window = window_for(analyzed_db)
    window.start_background()
    qtbot.waitUntil(lambda: builds == [1] and not window.app.tasks.running, timeout=120_000)
    engine = window.app.engines.get(analyzed_db, window.app.settings)
    engine.check_text("A short draft about certificates that renew every ninety days.")
    assert builds == [1]  # the check used the index built in the background
