"""The team store's SQL schema on PostgreSQL, as ordered, named migrations (all SQL of the
server side lives here and in pg_store.py; every value is passed as a parameter)."""

from __future__ import annotations

import psycopg

SCHEMA = "content_drift"

#: (name, statements). Append only: never edit a migration that has shipped.
MIGRATIONS: list[tuple[str, tuple[str, ...]]] = [
    (
        "t001_histories_and_changes",
        (
            """create table content_drift.histories (
                name text primary key,
                created_at timestamptz not null default now(),
                created_by text not null default current_user)""",
            """create table content_drift.changes (
                seq bigserial primary key,
                history text not null references content_drift.histories (name),
                change_id uuid not null unique,
                kind text not null check (kind in ('post', 'label', 'setting', 'removal')),
                key text not null,
                value jsonb,
                laptop text not null,
                laptop_name text not null,
                made_at text not null,
                base bigint not null default 0,
                received_at timestamptz not null default now())""",
            "create index changes_history_seq on content_drift.changes (history, seq)",
            """create unique index changes_one_post on content_drift.changes (history, key)
                where kind = 'post'""",
        ),
    ),
]


class TeamSchemaError(Exception):
    """The server's team schema cannot be used by this version; nothing was written."""


def known_names() -> list[str]:
    """Names of the migrations this version knows, in order."""
    return [name for name, _ in MIGRATIONS]


def applied(conn: psycopg.Connection) -> list[str] | None:
    """Migrations applied on the server, or None when it has no team schema yet."""
    exists = conn.execute(
        "select to_regclass('content_drift.schema_migrations') is not null"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    rows = conn.execute("select name from content_drift.schema_migrations").fetchall()
    return [row[0] for row in rows]


def check_version(conn: psycopg.Connection, where: str) -> list[str]:
    """The pending migrations; TeamSchemaError when the server's schema is newer."""
    done = applied(conn)
    unknown = sorted(set(done or []) - set(known_names()))
    if unknown:
        raise TeamSchemaError(
            f"{where}: the team store was set up by a newer version of Content Drift "
            f"(unknown schema changes: {', '.join(unknown)}); update the app; nothing was "
            "written"
        )
    return [name for name in known_names() if name not in (done or [])]


def migrate(conn: psycopg.Connection, where: str) -> list[str]:
    """Apply pending migrations in one transaction (under a lock); return their names."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext('content_drift:schema'))")
        pending = check_version(conn, where)
        if not pending:
            return []
        conn.execute("create schema if not exists content_drift")
        conn.execute(
            "create table if not exists content_drift.schema_migrations ("
            "name text primary key, applied_at timestamptz not null default now())"
        )
        for name, statements in MIGRATIONS:
            if name in pending:
                for statement in statements:
                    conn.execute(statement)  # type: ignore[arg-type]  # fixed DDL, no values
                conn.execute(
                    "insert into content_drift.schema_migrations (name) values (%s)", [name]
                )
    return pending
