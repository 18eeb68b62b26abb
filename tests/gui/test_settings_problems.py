"""A mistyped settings file: the window still opens and says which key was ignored; the
self-test prints every failure, even one while the window is built, on the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.settings import DEFAULT_MAX_FILE_MB
from tests.conftest import REPO, TEST_PIPELINE


def _write_settings(text: str) -> Path:
    path = paths.settings_file()
    path.write_text(text, encoding="utf-8")
    return path


def test_window_opens_and_names_the_ignored_key(qtbot, window_for, db_file: Path) -> None:
    bad = {"spacy_pipeline": TEST_PIPELINE, "ai_tag": "written-by-ai", "max_file_mb": "huge"}
    path = _write_settings(json.dumps(bad))
    window = window_for(db_file)
    window.start_background()
    box = window.settings_box
    qtbot.waitUntil(box.isVisible, timeout=10_000)
    assert str(path) in box.text() and "'max_file_mb'" in box.text()
    page = window.settings_page
    assert page.max_mb.value() == DEFAULT_MAX_FILE_MB  # the bad key: its default
    assert page.ai_tag.text() == "written-by-ai"  # the good ones: as written
    box.close()


def test_self_test_prints_its_failure_on_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    path = _write_settings("{broken")
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--self-test", "--db", str(folder)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 1
    assert f"self-test warning: {path}: not valid JSON" in done.stderr
    assert "self-test FAILED: HistoryError" in done.stderr
    assert f"{folder}: is a folder, not a history file" in done.stderr
