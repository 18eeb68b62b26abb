"""SIGKILL of `content-drift sync` at random moments: a rerun completes, with no duplicate
and no lost label (against a real server; the CLI runs as a subprocess)."""

from __future__ import annotations

import gc
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer
from tests.core.team.support import BLOG, Laptop
from tests.core.team.test_pg_sync import _connect, _server_rows

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _sync_killed_after(laptop: Laptop, delay: float) -> tuple[int, float]:
    """Start `sync` as a subprocess, SIGKILL it after `delay` s: its exit code and run time."""
    env = _env()
    cmd = [sys.executable, "-m", "desktop_app", "--home", str(laptop.home), "--db",
           str(laptop.db), "sync"]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while time.monotonic() < started + delay and proc.poll() is None:
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"sync ended with {proc.returncode}: {err.decode(errors='replace')}")
    return proc.returncode, time.monotonic() - started


class KillClock:
    """Random kill delays that follow the machine's speed.

    A fixed range stops killing anything once syncs get faster than it (it did: every run
    ended on its own). Delays start in a range and then are drawn from the later part of
    the shortest completed run of the same laptop (its start is the interpreter's), so
    later runs are killed part-way through their work wherever that falls.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.completed: dict[str, float] = {}

    def delay(self, laptop: Laptop) -> float:
        """The next delay for `laptop`'s sync."""
        shortest = self.completed.get(laptop.name)
        if shortest is None:
            return self.rng.uniform(0.8, 2.6)
        return self.rng.uniform(0.55, 1.0) * shortest

    def run(self, laptop: Laptop) -> int:
        """One sync of `laptop` killed after the next delay: its exit code."""
        code, seconds = _sync_killed_after(laptop, self.delay(laptop))
        if code == 0:
            self.completed[laptop.name] = min(seconds, self.completed.get(laptop.name, seconds))
        return code


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO))


def _label(db_path: Path, post_ids: list[str]) -> None:
    """Label posts AI-assisted by hand, in a process of its own.

    Everything that touches the history while other processes get killed runs in its own
    process, as in tests/core/test_crash_safety.py: SQLite's in-process WAL-index state
    can outlive a killed peer (a later open in this process then fails with "disk I/O
    error" while a new process opens the same file fine).
    """
    code = (
        "import sys\n"
        "from desktop_app.core.history import open_history\n"
        "from desktop_app.core.history.repository import set_ai_assisted\n"
        "db = open_history(sys.argv[1])\n"
        "for post_id in sys.argv[2:]:\n"
        "    set_ai_assisted(db, post_id, True)\n"
        "db.conn.close()\n"
    )
    cmd = [sys.executable, "-c", code, str(db_path), *post_ids]
    subprocess.run(cmd, env=_env(), check=True, capture_output=True, timeout=60)


def _sync(laptop: Laptop) -> None:
    cmd = [sys.executable, "-m", "desktop_app", "--home", str(laptop.home), "--db",
           str(laptop.db), "sync"]  # fmt: skip
    subprocess.run(cmd, env=_env(), check=True, capture_output=True, timeout=120)


def test_sync_killed_at_random_moments_loses_and_duplicates_nothing(
    pg_server: PgServer, team_db: str, pgpass: Path, tmp_path: Path
):
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(sorted(BLOG.glob("*.markdown")))
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    gc.collect()  # close the in-process CLI's connections before processes get killed
    clock = KillClock(20261201)
    posts = sorted(a.post_ids())
    labelled: set[str] = set()
    outcomes = []
    for round_no in range(7):
        _label(a.db, posts[round_no * 5 : round_no * 5 + 5])  # five new labels per round
        labelled.update(posts[round_no * 5 : round_no * 5 + 5])
        outcomes.append(clock.run(a))
        outcomes.append(clock.run(b))
    assert -signal.SIGKILL in outcomes, "no run was killed: the test proved nothing"
    assert set(outcomes) <= {0, -signal.SIGKILL}
    _sync(a)
    _sync(b)
    rows = _server_rows(pg_server, team_db, "select kind, count(*), count(distinct key) from "
                        "content_drift.changes group by kind order by kind")  # fmt: skip
    assert [r for r in rows if r[0] == "post"] == [("post", len(posts), len(posts))]
    labels = [r for r in rows if r[0] == "label"]
    assert all(count == distinct for _, count, distinct in labels)  # no label sent twice
    # a label set before its post was first sent travels inside the post itself
    in_posts = _server_rows(pg_server, team_db, "select key from content_drift.changes where "
                            "kind = 'post' and value ->> 'ai_assisted' = 'true'")  # fmt: skip
    as_labels = _server_rows(pg_server, team_db, "select key from content_drift.changes "
                             "where kind = 'label'")  # fmt: skip
    assert {k for (k,) in in_posts} | {k for (k,) in as_labels} == labelled
    # A kill can delay a post's first push past a later label round: its label then travels
    # both inside the post and as a label change (the same value, once each; seen in about
    # one run in five). Every label change on the server says what laptop a set.
    values = _server_rows(pg_server, team_db, "select distinct value::text from "
                          "content_drift.changes where kind = 'label'")  # fmt: skip
    assert values in ([], [("true",)]), values
    assert b.post_ids() == set(posts)
    assert {p for p, row in b.state()["posts"].items() if row[1] == 1} == labelled
    assert a.state() == b.state()
