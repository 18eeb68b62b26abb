"""Team store faults against a real server: wrong password, read-only role, newer schema,
a server that stops mid-sync, and secrets kept out of files."""

from __future__ import annotations

import uuid

import keyring
import psycopg
import pytest
from keyring.backend import KeyringBackend

from desktop_app.core.history import open_history
from desktop_app.core.settings import Settings
from desktop_app.core.team import sync as team_sync
from desktop_app.core.team.local import get_state
from tests.core.team.conftest import new_server
from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer
from tests.core.team.support import Laptop, demo_files
from tests.core.team.test_pg_sync import _connect, _server_rows

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

#: The viewer role of docs/team.md ({role}, {db} filled in).
VIEWER_SQL = (
    "create role {role} login password '{pw}'",
    "grant connect on database {db} to {role}",
    "grant usage on schema content_drift to {role}",
    "grant select on all tables in schema content_drift to {role}",
)


def _admin(server: PgServer, db: str, *statements: str) -> None:
    with psycopg.connect(server.dsn(db=db), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]  # fixed test SQL


def _history_link(laptop: Laptop) -> str | None:
    db = open_history(laptop.db)
    try:
        return get_state(db, "server")
    finally:
        db.conn.close()


def test_wrong_password_is_one_clear_line_and_links_nothing(pg_server, team_db, pgpass,
                                                            tmp_path, capsys):  # fmt: skip
    a = Laptop(tmp_path, "a")
    a.import_files(demo_files(0, 2))
    assert _connect(a, pg_server, team_db, password="not-the-password") == 1
    err = capsys.readouterr().err
    assert "password authentication failed" in err
    assert "not-the-password" not in err
    assert _history_link(a) is None


def test_read_only_role_pulls_and_sends_nothing(pg_server, team_db, pgpass, tmp_path, capsys):
    role, pw = f"viewer_{uuid.uuid4().hex[:8]}", "viewer-pw"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n"
                      f"127.0.0.1:{pg_server.port}:*:{role}:{pw}\n")  # fmt: skip
    a, v = Laptop(tmp_path, "a"), Laptop(tmp_path, "v")
    a.import_files(demo_files(0, 4))
    assert _connect(a, pg_server, team_db) == 0 and a.run("sync") == 0
    _admin(pg_server, team_db, *(s.format(role=role, pw=pw, db=team_db) for s in VIEWER_SQL))
    capsys.readouterr()
    assert _connect(v, pg_server, team_db, "--join", user=role, password=pw) == 0
    assert "read-only viewer" in capsys.readouterr().out
    assert v.run("sync") == 0
    assert v.post_ids() == a.post_ids()
    assert v.run("label", sorted(v.post_ids())[0], "yes") == 0
    capsys.readouterr()
    assert v.run("sync") == 0
    assert "read-only access: local changes are not sent" in capsys.readouterr().out
    labels = "select count(*) from content_drift.changes where kind = 'label'"
    assert _server_rows(pg_server, team_db, labels) == [(0,)]


def test_newer_server_schema_is_refused_and_nothing_is_written(pg_server, team_db, pgpass,
                                                               tmp_path, capsys):  # fmt: skip
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 3))
    assert _connect(a, pg_server, team_db) == 0 and a.run("sync") == 0
    _admin(pg_server, team_db, "insert into content_drift.schema_migrations (name) "
           "values ('t999_from_a_newer_version')")  # fmt: skip
    count = "select count(*) from content_drift.changes"
    before = _server_rows(pg_server, team_db, count)
    assert a.run("label", sorted(a.post_ids())[0], "yes") == 0
    capsys.readouterr()
    assert a.run("sync") == 1
    err = capsys.readouterr().err
    assert "newer version of Content Drift" in err and "t999_from_a_newer_version" in err
    assert _server_rows(pg_server, team_db, count) == before
    b.import_files(demo_files(3, 4))
    assert _connect(b, pg_server, team_db, "--join") == 1
    assert _history_link(b) is None


def test_server_stopping_mid_sync_keeps_the_queue_and_a_rerun_completes(
    tmp_path, pgpass, monkeypatch
):
    with new_server() as server:
        pgpass.write_text(f"127.0.0.1:{server.port}:*:{SUPERUSER}:{PASSWORD}\n")
        a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
        a.import_files(demo_files(0, 12))
        assert _connect(a, server, "postgres") == 0
        monkeypatch.setattr(team_sync, "BATCH", 4)
        stopped: list[int] = []

        def stop_after_first_batch(stage: str, done: int, total: int | None) -> None:
            if stage == "send" and not stopped:
                stopped.append(done)
                server.stop("immediate")

        db = open_history(a.db)
        with pytest.raises(team_sync.SyncError) as failure:
            team_sync.sync(db, Settings(), stop_after_first_batch)
        message = str(failure.value)
        assert "\n" not in message and "wait for the next sync" in message
        assert stopped == [4]
        server.start()
        report = team_sync.sync(db, Settings())
        db.conn.close()
        assert report.sent == 8  # the first batch was acknowledged before the stop
        posts = "select count(*), count(distinct key) from content_drift.changes"
        assert _server_rows(server, "postgres", posts) == [(12, 12)]
        assert _connect(b, server, "postgres", "--join") == 0 and b.run("sync") == 0
        assert b.post_ids() == a.post_ids()


class _MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (the machine has no OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


def test_password_goes_to_the_keyring_and_into_no_file(pg_server, team_db, tmp_path):
    previous = keyring.get_keyring()
    memory = _MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        a = Laptop(tmp_path, "a")
        a.import_files(demo_files(0, 2))
        assert _connect(a, pg_server, team_db) == 0
        assert list(memory.saved.values()) == [PASSWORD]
        assert a.run("sync") == 0  # no pgpass file: the password came from the keyring
    finally:
        keyring.set_keyring(previous)
    for file in (tmp_path / "a").rglob("*"):
        if file.is_file():
            assert PASSWORD.encode() not in file.read_bytes(), file
