"""The PostgreSQL team store: open, create or join a team history, push and pull changes.

Every statement is parameterised. Pushes to one team history are serialised by an advisory
lock, so server order (seq) is also commit order and a puller's cursor never skips a change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from desktop_app.core.team.model import Change, TeamDataError, check_change
from desktop_app.core.team.pg_schema import check_version, migrate
from desktop_app.core.team.secrets import ServerSpec, load_password

CONNECT_TIMEOUT_S = 5
PAGE = 2000


class TeamStoreError(Exception):
    """The team store cannot be used right now; one line saying why (no secrets)."""


def _reason(exc: psycopg.Error) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


@contextmanager
def open_store(spec: ServerSpec, password: str | None = None) -> Iterator[psycopg.Connection]:
    """A connection to the team store, closed afterwards; TeamStoreError when unreachable.

    The password comes from the argument, else the keyring, else libpq's pgpass/service.
    """
    password = password or load_password(spec)
    extra: dict[str, Any] = {"password": password} if password else {}
    try:
        conn = psycopg.connect(
            spec.conninfo, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True,
            application_name="content-drift", **extra,
        )  # fmt: skip
    except psycopg.OperationalError as exc:
        raise TeamStoreError(f"cannot reach the team server: {_reason(exc)}") from exc
    try:
        yield conn
    finally:
        conn.close()


def can_write(conn: psycopg.Connection) -> bool:
    """Whether this role may add changes (an editor) or only read them (a viewer)."""
    row = conn.execute("select has_table_privilege('content_drift.changes', 'INSERT')").fetchone()
    return bool(row and row[0])


def prepare(conn: psycopg.Connection, history: str, where: str, create: bool) -> bool:
    """Check (and if needed, as an editor, set up) the schema and the named team history.

    Returns whether this role can write. TeamSchemaError for a newer schema; TeamStoreError
    when a viewer meets a store that is not set up or a history that does not exist.
    """
    pending = check_version(conn, where)
    if pending:
        try:
            migrate(conn, where)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamStoreError(
                f"{where}: the team store is not set up (or needs an update) and this role "
                "may not do it; ask an editor to connect first"
            ) from exc
    writer = can_write(conn)
    found = conn.execute(
        "select 1 from content_drift.histories where name = %s", [history]
    ).fetchone()
    if not found:
        if not (create and writer):
            raise TeamStoreError(f"{where}: there is no team history named {history!r}")
        conn.execute(
            "insert into content_drift.histories (name) values (%s) on conflict do nothing",
            [history],
        )
    return writer


def list_histories(conn: psycopg.Connection) -> list[str]:
    """Names of the team histories on this server."""
    row = conn.execute("select to_regclass('content_drift.histories') is not null").fetchone()
    if not row or not row[0]:
        return []
    return [r[0] for r in conn.execute("select name from content_drift.histories order by name")]


def _row(history: str, c: Change) -> tuple[Any, ...]:
    return (history, c.change_id, c.kind, c.key, Jsonb(c.value), c.laptop, c.laptop_name,
            c.made_at, c.base)  # fmt: skip


def posts_on_server(conn: psycopg.Connection, history: str, ids: Sequence[str]) -> set[str]:
    """Which of these posts the team history already has (so they are not sent again)."""
    if not ids:
        return set()
    rows = conn.execute(
        "select key from content_drift.changes where history = %s and kind = 'post' "
        "and key = any(%s)",
        [history, list(ids)],
    ).fetchall()
    return {r[0] for r in rows}


_INSERT = (
    "insert into content_drift.changes (history, change_id, kind, key, value, laptop, "
    "laptop_name, made_at, base) values (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "on conflict do nothing"
)


def push(conn: psycopg.Connection, history: str, changes: Sequence[Change]) -> dict[str, int]:
    """Add changes in order, in one transaction; return each change id's server order.

    A change the server already has (a rerun after a crash) is not added twice.
    """
    ids = [c.change_id for c in changes]
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"content_drift:{history}"])
        cur.executemany(_INSERT, [_row(history, c) for c in changes])
        cur.execute(
            "select change_id::text, seq from content_drift.changes "
            "where change_id = any(%s::uuid[])",
            [ids],
        )
        return {change_id: seq for change_id, seq in cur.fetchall()}


_PULL = (
    "select seq, change_id::text, kind, key, value, laptop, laptop_name, made_at, base "
    "from content_drift.changes where history = %s and seq > %s and laptop <> %s "
    "order by seq limit %s"
)


def pull_page(
    conn: psycopg.Connection, history: str, after: int, me: str, limit: int = PAGE
) -> tuple[list[Change], int]:
    """The next page of other laptops' changes after `after`, and the last order seen."""
    rows = conn.execute(_PULL, [history, after, me, limit]).fetchall()
    changes: list[Change] = []
    for seq, change_id, kind, key, value, laptop, name, made_at, base in rows:
        record = {"change_id": change_id, "kind": kind, "key": key, "value": value,
                  "laptop": laptop, "laptop_name": name, "made_at": made_at, "base": base,
                  "seq": seq}  # fmt: skip
        try:
            changes.append(check_change(record))
        except TeamDataError as exc:
            raise TeamStoreError(f"the team server sent a bad change #{seq}: {exc}") from exc
    return changes, (rows[-1][0] if rows else after)


def latest_seq(conn: psycopg.Connection, history: str) -> int:
    """The highest server order in a team history (0 when empty)."""
    row = conn.execute(
        "select coalesce(max(seq), 0) from content_drift.changes where history = %s", [history]
    ).fetchone()
    return int(row[0]) if row else 0
