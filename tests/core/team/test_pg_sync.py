"""Sync through a real PostgreSQL server: two laptops, labels, removals, settings, roles."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest

from desktop_app.core.history import open_history
from desktop_app.core.settings import Settings
from desktop_app.core.team.sync import sync
from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer
from tests.core.team.support import Laptop, demo_files

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _connect(laptop: Laptop, server: PgServer, db: str, *extra: str, user: str = SUPERUSER,
             password: str = PASSWORD, team: str = "brand-a") -> int:  # fmt: skip
    return laptop.run("team", "connect", server.dsn(user, password, db), "--team", team, *extra)


@pytest.fixture
def admin_pass(pg_server: PgServer, pgpass: Path) -> Path:
    """pgpass with the admin password (the test keyring has no backend)."""
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    return pgpass


def _server_rows(server: PgServer, db: str, sql: str) -> list[tuple]:
    with psycopg.connect(server.dsn(db=db)) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]  # fixed test SQL


def test_two_laptops_end_with_the_same_history(pg_server, team_db, admin_pass, tmp_path):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 10))
    b.import_files(demo_files(5, 15))
    union = a.post_ids() | b.post_ids()
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    a.set_setting("ai_adoption_date", "2022-06-01")
    for laptop in (a, b, a):
        assert laptop.run("sync") == 0
    assert a.post_ids() == b.post_ids() == union
    assert a.state() == b.state()
    assert b.settings()["ai_adoption_date"] == "2022-06-01"
    posts = _server_rows(pg_server, team_db, "select count(*) from content_drift.changes "
                         "where kind = 'post'")  # fmt: skip
    assert posts == [(15,)]  # the five shared posts were stored once


def test_nothing_is_sent_twice(pg_server, team_db, admin_pass, tmp_path, capsys):
    a = Laptop(tmp_path, "a")
    a.import_files(demo_files(0, 6))
    assert _connect(a, pg_server, team_db) == 0
    assert a.run("sync") == 0
    capsys.readouterr()
    assert a.run("sync", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sent"] == 0 and report["received"] == 0


def test_label_and_removal_reach_the_other_laptop(pg_server, team_db, admin_pass, tmp_path):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 5))
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    assert a.run("sync") == 0 and b.run("sync") == 0
    labelled, removed = sorted(a.post_ids())[:2]
    assert b.run("label", labelled, "yes") == 0
    assert b.run("remove", removed) == 0
    assert b.run("sync") == 0 and a.run("sync") == 0
    assert a.state()["posts"][labelled][1] == 1
    assert removed not in a.post_ids()
    c = Laptop(tmp_path, "c")  # a third laptop that still has the removed post
    c.import_files(demo_files(0, 5))
    assert _connect(c, pg_server, team_db, "--join") == 0
    assert c.run("sync") == 0 and a.run("sync") == 0
    assert removed not in c.post_ids() and removed not in a.post_ids()
    assert a.state() == c.state() == b.state()


def _sync_in_thread(db_path: Path, results: dict[str, object], key: str, gate) -> None:
    db = open_history(db_path)
    gate.wait()
    try:
        results[key] = sync(db, Settings())
    finally:
        db.conn.close()


def test_concurrent_label_changes_converge_on_the_later_one(
    pg_server, team_db, admin_pass, tmp_path, capsys
):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 3))
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    assert a.run("sync") == 0 and b.run("sync") == 0
    post = sorted(a.post_ids())[0]
    assert a.run("label", post, "yes") == 0
    assert b.run("label", post, "no") == 0
    results: dict[str, object] = {}
    gate = threading.Barrier(2)
    threads = [threading.Thread(target=_sync_in_thread, args=(lp.db, results, lp.name, gate))
               for lp in (a, b)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(results) == {"a", "b"}
    assert a.run("sync") == 0 and b.run("sync") == 0
    (last,) = _server_rows(pg_server, team_db, "select value from content_drift.changes "
                           "where kind = 'label' order by seq desc limit 1")  # fmt: skip
    expected = 1 if last[0] is True else 0
    assert a.state()["posts"][post][1] == expected == b.state()["posts"][post][1]
    capsys.readouterr()
    assert a.run("team", "conflicts", "--json") == 0
    conflicts = json.loads(capsys.readouterr().out)
    assert [(c["winner_value"], c["loser_value"]) for c in conflicts] == [
        (json.dumps(last[0]), json.dumps(not last[0]))
    ]


def test_same_post_on_two_laptops_takes_the_label_the_server_got_first(
    pg_server, team_db, admin_pass, tmp_path
):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 2))
    b.import_files(demo_files(0, 2))
    post = sorted(a.post_ids())[0]
    assert a.run("label", post, "yes") == 0  # before A's first sync: it travels in the post
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    for laptop in (a, b, a):
        assert laptop.run("sync") == 0
    assert a.state()["posts"][post][1] == 1 == b.state()["posts"][post][1]
    assert a.state() == b.state()


def test_data_merged_from_files_before_connecting_reaches_the_server(
    pg_server, team_db, admin_pass, tmp_path
):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 4))
    assert a.run("export-team", str(tmp_path / "a.jsonl")) == 0  # captured for the file route
    assert _connect(a, pg_server, team_db) == 0
    assert a.run("sync") == 0
    assert _connect(b, pg_server, team_db, "--join") == 0 and b.run("sync") == 0
    assert b.post_ids() == a.post_ids() and len(b.post_ids()) == 4


def test_one_server_holds_several_team_histories(pg_server, team_db, admin_pass, tmp_path,
                                                 capsys):  # fmt: skip
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 3))
    b.import_files(demo_files(3, 5))
    assert _connect(a, pg_server, team_db, team="brand-a") == 0 and a.run("sync") == 0
    assert _connect(b, pg_server, team_db, team="brand-b") == 0 and b.run("sync") == 0
    assert a.run("sync") == 0
    assert len(a.post_ids()) == 3 and len(b.post_ids()) == 2  # nothing crossed over
    capsys.readouterr()
    assert a.run("team", "list", "--server", "--json") == 0
    assert json.loads(capsys.readouterr().out) == ["brand-a", "brand-b"]
