"""`sync`: send this history's queued team changes, then take everyone else's.

Offline-first: local edits are captured into an outbox in the history; a push is one
server transaction per batch, acknowledged locally only after it committed; a pull applies
one page per local transaction together with the new cursor. Killed at any moment, a rerun
sends what was not acknowledged (the server ignores change ids it has) and pulls from the
last committed cursor: no duplicate, nothing lost.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from sqlite_utils import Database

from desktop_app.core.history.db import write_transaction
from desktop_app.core.settings import Settings
from desktop_app.core.team import pg_store
from desktop_app.core.team.apply import ApplyResult, apply_changes
from desktop_app.core.team.local import (
    capture,
    cursor,
    get_state,
    laptop,
    post_payload,
    queue_known,
    save_team_settings,
    set_state,
)
from desktop_app.core.team.model import Change
from desktop_app.core.team.pg_schema import TeamSchemaError
from desktop_app.core.team.secrets import ServerSpec, spec_from_conninfo

BATCH = 1000
#: progress(stage, done, total): stage is "send" or "receive"; total None when unknown.
Progress = Callable[[str, int, int | None], None]


class SyncError(Exception):
    """Sync could not finish; one line for the status bar (queued changes are kept)."""


@dataclass
class SyncReport:
    """What one sync did."""

    sent: int = 0
    received: int = 0
    read_only: bool = False
    waiting: int = 0
    seconds: float = 0.0
    applied: ApplyResult = field(default_factory=ApplyResult)

    def line(self) -> str:
        """One line for the CLI and the status bar."""
        a = self.applied
        text = (f"synced: sent {self.sent} change(s), received {self.received} "
                f"({a.posts} new post(s), {a.labels} label(s), {a.removed} removal(s), "
                f"{len(a.settings)} team setting(s), {a.conflicts} overruled) "
                f"in {self.seconds:.1f} s")  # fmt: skip
        if self.read_only:
            text += "; read-only access: local changes are not sent"
        return text


def link(
    db: Database, spec: ServerSpec, history: str, *, create: bool = True,
    password: str | None = None,
) -> bool:  # fmt: skip
    """Create or join team history `history` on the server and link this history to it.

    Returns whether this role can write. A history linked to another team is refused.
    """
    current = (get_state(db, "server"), get_state(db, "team"))
    if current[0] and current != (spec.conninfo, history):
        raise SyncError(f"this history already syncs with team history {current[1]!r} on "
                        f"{current[0]}; use a new history (--db) for another team")  # fmt: skip
    where = spec.conninfo
    try:
        with pg_store.open_store(spec, password) as conn:
            writer = pg_store.prepare(conn, history, where, create)
    except (pg_store.TeamStoreError, TeamSchemaError) as exc:
        raise SyncError(str(exc)) from exc
    except psycopg.Error as exc:
        raise SyncError(f"team server: {pg_store._reason(exc)}") from exc
    with write_transaction(db):
        if not current[0]:
            queue_known(db)  # what merge files already made team data goes to the server too
        set_state(db, "server", spec.conninfo)
        set_state(db, "team", history)
        laptop(db)
    return writer


def _outbox(db: Database, after: int) -> list[tuple[int, Change]]:
    me = laptop(db)
    rows = db.execute(
        "select position, change_id, kind, key, value, made_at, base from team_outbox "
        "where position > ? order by position limit ?",
        [after, BATCH],
    ).fetchall()
    out: list[tuple[int, Change]] = []
    for position, change_id, kind, key, value, made_at, base in rows:
        data = post_payload(db, key) if kind == "post" else json.loads(value)
        if kind == "post" and data is None:
            continue  # removed before it was sent: its tombstone follows
        out.append((position, Change(change_id, kind, key, data, me.id, me.name, made_at, base)))
    return out


def _dedupe_posts(conn: psycopg.Connection, team: str, batch: list[Change]) -> list[Change]:
    """Posts the server has are not sent again; a label they carry travels as a label."""
    keys = [c.key for c in batch if c.kind == "post"]
    there = pg_store.posts_on_server(conn, team, keys)
    out: list[Change] = []
    for change in batch:
        if change.kind == "post" and change.key in there:
            label = change.value["ai_assisted"]
            if label is not None:
                out.append(Change(change.change_id, "label", change.key, label, change.laptop,
                                  change.laptop_name, change.made_at, change.base))  # fmt: skip
            continue
        out.append(change)
    return out


def _push(db: Database, conn: psycopg.Connection, team: str, progress: Progress | None) -> int:
    sent, position = 0, 0
    total = int(db.execute("select count(*) from team_outbox").fetchone()[0])
    while batch := _outbox(db, position):
        last = batch[-1][0]
        seqs = pg_store.push(conn, team, _dedupe_posts(conn, team, [c for _, c in batch]))
        keys = {c.change_id: c for _, c in batch}
        with write_transaction(db):
            for change_id, seq in seqs.items():
                change = keys[change_id]
                kind = "label" if change.kind == "post" else change.kind  # a post's label
                db.execute(
                    "update team_values set seq = ? where kind = ? and key = ? and change_id = ?",
                    [seq, kind, change.key, change_id],
                )
            db.execute("delete from team_outbox where position <= ?", [last])
            if seqs:
                set_state(db, "own_seq", str(max(max(seqs.values()), _own_seq(db))))
        sent, position = sent + len(batch), last
        if progress:
            progress("send", sent, total)
    with write_transaction(db):  # rows skipped above (posts removed before sending)
        db.execute("delete from team_outbox where position <= ?", [position])
    return sent


def _own_seq(db: Database) -> int:
    return int(get_state(db, "own_seq") or 0)


def _pull(db: Database, conn: psycopg.Connection, team: str, report: SyncReport,
          progress: Progress | None) -> None:  # fmt: skip
    me = laptop(db).id
    total = max(0, pg_store.latest_seq(conn, team) - cursor(db))
    while True:
        changes, last = pg_store.pull_page(conn, team, cursor(db), me)
        if not changes:
            break
        with write_transaction(db):
            result = apply_changes(db, changes, by_server=True)
            set_state(db, "cursor", str(last))
            save_team_settings(result.settings)  # before the commit: see docs/team.md
        report.applied.add(result)
        report.received += len(changes)
        if progress:
            progress("receive", report.received, total)
    if _own_seq(db) > cursor(db):  # everything before our own last push was committed
        with write_transaction(db):
            set_state(db, "cursor", str(_own_seq(db)))


def sync(db: Database, settings: Settings, progress: Progress | None = None) -> SyncReport:
    """Push queued and new local changes, then pull the team's; SyncError on failure."""
    started = time.perf_counter()
    server, team = get_state(db, "server"), get_state(db, "team")
    if not server or not team:
        raise SyncError("this history is not connected to a team "
                        "(content-drift team connect postgresql://...)")  # fmt: skip
    report = SyncReport()
    try:
        with pg_store.open_store(spec_from_conninfo(server)) as conn:
            writer = pg_store.prepare(conn, team, server, create=False)
            report.read_only = not writer
            if writer:
                with write_transaction(db):
                    capture(db, settings, queue=True)
                report.sent = _push(db, conn, team, progress)
            _pull(db, conn, team, report, progress)
    except (pg_store.TeamStoreError, TeamSchemaError) as exc:
        raise SyncError(str(exc)) from exc
    except psycopg.Error as exc:
        waiting = int(db.execute("select count(*) from team_outbox").fetchone()[0])
        raise SyncError(f"team server: {pg_store._reason(exc)}; {waiting} local change(s) "
                        "wait for the next sync") from exc  # fmt: skip
    report.waiting = int(db.execute("select count(*) from team_outbox").fetchone()[0])
    report.seconds = time.perf_counter() - started
    return report
