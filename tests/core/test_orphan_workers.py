"""After kill -9 of `analyze`, its worker processes notice the dead parent and exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.cli import run
from tests.conftest import DEMO, REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
START_WAIT_S = 180
EXIT_WAIT_S = 30


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None if fields[0] in ("Z", "X") else (fields[0], int(fields[1]))


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] == pid:
            found.add(int(entry.name))
    return found


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_exit_when_analyze_is_killed(start: str, db_file: Path) -> None:
    assert run(["--db", str(db_file), "import", str(DEMO / "otel-blog")]) == 0
    command = [sys.executable, "-m", "desktop_app", "--db", str(db_file), "analyze",
               "--processes", "2", *(["--spawn"] if start == "spawn" else [])]  # fmt: skip
    parent = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        assert _wait_for(lambda: len(_children(parent.pid)) >= 2, START_WAIT_S), "no workers"
        workers = _children(parent.pid)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    gone = _wait_for(lambda: all(_stat(pid) is None for pid in workers), EXIT_WAIT_S)
    alive = [pid for pid in workers if _stat(pid) is not None]
    for pid in alive:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert gone, f"workers {alive} outlived their parent"
