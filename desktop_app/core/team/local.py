"""This laptop's side of team data: its identity, capturing local changes, and the known
winning stamp of every label and team setting (tables of core/history/team_tables.py)."""

from __future__ import annotations

import getpass
import json
import socket
import uuid
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from desktop_app.core.settings import Settings
from desktop_app.core.team.model import (
    POST_FIELDS,
    TEAM_SETTING_KEYS,
    Change,
    encode,
    new_change_id,
    now_stamp,
)


def get_state(db: Database, key: str) -> str | None:
    """A value of the team_state table (None when unset)."""
    row = db.execute("select value from team_state where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_state(db: Database, key: str, value: str | None) -> None:
    """Set (or with None, delete) a team_state value, in the caller's transaction."""
    if value is None:
        db.execute("delete from team_state where key = ?", [key])
    else:
        db.execute("insert or replace into team_state values (?, ?)", [key, value])


@dataclass(frozen=True)
class Laptop:
    """Who makes changes: a stable id per history and a readable name."""

    id: str
    name: str


def laptop(db: Database) -> Laptop:
    """This history's laptop identity, created on first use."""
    laptop_id = get_state(db, "laptop_id")
    if laptop_id is None:
        laptop_id = str(uuid.uuid4())
        set_state(db, "laptop_id", laptop_id)
    name = get_state(db, "laptop_name")
    if name is None:
        name = f"{getpass.getuser()}@{socket.gethostname()}"
        set_state(db, "laptop_name", name)
    return Laptop(laptop_id, name)


def cursor(db: Database) -> int:
    """The last server order this history has pulled."""
    return int(get_state(db, "cursor") or 0)


def post_payload(db: Database, post_id: str) -> dict[str, Any] | None:
    """A stored post as team data (the fields that travel), or None if it is gone."""
    cols = ", ".join(POST_FIELDS)
    cur = db.execute(f"select {cols} from posts where id = ?", [post_id])
    row = cur.fetchone()
    if row is None:
        return None
    data = dict(zip(POST_FIELDS, row, strict=True))
    data["authors"] = json.loads(data["authors"] or "[]")
    data["tags"] = json.loads(data["tags"] or "[]")
    data["ai_assisted"] = None if data["ai_assisted"] is None else bool(data["ai_assisted"])
    return data


def known_value(db: Database, kind: str, key: str) -> Change | None:
    """The winning change this history knows for a label or team setting."""
    row = db.execute(
        "select value, change_id, laptop, laptop_name, made_at, seq from team_values "
        "where kind = ? and key = ?",
        [kind, key],
    ).fetchone()
    if row is None:
        return None
    value, change_id, who, name, made_at, seq = row
    return Change(change_id, kind, key, json.loads(value), who, name or "", made_at, 0, seq)


def store_known(db: Database, change: Change) -> None:
    """Record `change` as the winner for its label or setting."""
    db.execute(
        "insert or replace into team_values values (?, ?, ?, ?, ?, ?, ?, ?)",
        [change.kind, change.key, encode(change.value), change.change_id, change.laptop,
         change.laptop_name, change.made_at, change.seq],
    )  # fmt: skip


def team_settings(settings: Settings) -> dict[str, Any]:
    """The team part of the settings."""
    return {key: getattr(settings, key) for key in TEAM_SETTING_KEYS}


class _Capture:
    """Builds the changes for what differs between the history and what the team knows."""

    def __init__(self, db: Database, queue: bool) -> None:
        self.db, self.queue, self.me = db, queue, laptop(db)
        self.base = cursor(db)
        self.changes: list[Change] = []

    def add(self, kind: str, key: str, value: Any) -> Change:
        change = Change(new_change_id(), kind, key, value, self.me.id, self.me.name,
                        now_stamp(), self.base)  # fmt: skip
        self.changes.append(change)
        if self.queue:
            stored = None if kind == "post" else encode(value)  # a post is read at push time
            self.db.execute(
                "insert into team_outbox (change_id, kind, key, value, made_at, base) "
                "values (?, ?, ?, ?, ?, ?)",
                [change.change_id, kind, key, stored, change.made_at, self.base],
            )
        return change

    def posts(self) -> None:
        rows = self.db.execute(
            "select p.rowid, p.id, p.ai_assisted from posts p where not exists "
            "(select 1 from team_posts t where t.post_id = p.id)"
        ).fetchall()  # reads the (id, ai_assisted) index, not the texts
        for _, post_id, ai in sorted(rows):  # in import order: an old version before its edit
            self.db.execute("insert into team_posts values (?)", [post_id])
            change = self.add("post", post_id, None)
            label = None if ai is None else bool(ai)
            store_known(self.db, Change(change.change_id, "label", post_id, label,
                                        self.me.id, self.me.name, change.made_at))  # fmt: skip

    def removals(self) -> None:
        """Posts deleted here (a trigger fills team_deleted) that are not gone for the team."""
        rows = self.db.execute(
            "select d.post_id from team_deleted d left join posts p on p.id = d.post_id "
            "left join team_tombstones t on t.post_id = d.post_id "
            "where p.id is null and t.post_id is null"
        ).fetchall()
        self.db.execute("delete from team_deleted")
        for (post_id,) in rows:
            change = self.add("removal", post_id, None)
            self.db.execute("delete from team_posts where post_id = ?", [post_id])
            self.db.execute("delete from team_values where kind = 'label' and key = ?", [post_id])
            self.db.execute(
                "insert or replace into team_tombstones values (?, ?, ?, ?, ?)",
                [post_id, change.change_id, self.me.id, self.me.name, change.made_at],
            )

    def labels(self) -> None:
        rows = self.db.execute(
            "select p.id, p.ai_assisted from posts p cross join team_values v "
            "on v.kind = 'label' and v.key = p.id where v.value != case p.ai_assisted "
            "when 1 then 'true' when 0 then 'false' else 'null' end"
        ).fetchall()  # compared in SQL: the whole history is looked at on every sync
        for post_id, ai in rows:
            label = None if ai is None else bool(ai)
            store_known(self.db, self.add("label", post_id, label))

    def settings(self, settings: Settings) -> None:
        defaults = team_settings(Settings())
        for key, value in team_settings(settings).items():
            known = known_value(self.db, "setting", key)
            reference = defaults[key] if known is None else known.value
            if encode(value) != encode(reference):
                store_known(self.db, self.add("setting", key, value))


def capture(db: Database, settings: Settings, *, queue: bool) -> list[Change]:
    """Turn local edits since the last capture into team changes (caller's transaction).

    New posts, removed posts (tombstones), changed labels and team settings each become one
    stamped change and the new known winner; with `queue` they also go to the outbox that
    the next push sends.
    """
    work = _Capture(db, queue)
    work.posts()
    work.removals()
    work.labels()
    work.settings(settings)
    return work.changes


def save_team_settings(updates: dict[str, Any]) -> None:
    """Write team settings that came from the team into the settings file."""
    if not updates:
        return
    from dataclasses import replace

    from desktop_app.core.settings import load_settings, save_settings

    save_settings(replace(load_settings(), **updates))


def known_changes(db: Database) -> list[Change]:
    """Every piece of team data this history holds, as changes with their winning stamps:
    posts (carrying their label's stamp), team settings and tombstones."""
    me = laptop(db)
    out: list[Change] = []
    rows = db.execute(
        "select t.post_id from team_posts t join posts p on p.id = t.post_id order by p.rowid"
    ).fetchall()
    for (post_id,) in rows:
        payload = post_payload(db, post_id)
        label = known_value(db, "label", post_id)
        if payload is None:
            continue
        if label is None:
            label = Change(new_change_id(), "label", post_id, payload["ai_assisted"], me.id,
                           me.name, now_stamp())  # fmt: skip
        payload["ai_assisted"] = label.value
        out.append(Change(label.change_id, "post", post_id, payload, label.laptop,
                          label.laptop_name, label.made_at))  # fmt: skip
    for key in TEAM_SETTING_KEYS:
        setting = known_value(db, "setting", key)
        if setting is not None:
            out.append(setting)
    for post_id, change_id, who, name, made_at in db.execute(
        "select post_id, change_id, laptop, laptop_name, made_at from team_tombstones"
    ).fetchall():
        out.append(Change(change_id, "removal", post_id, None, who, name or "", made_at))
    return out


def queue_known(db: Database) -> int:
    """Queue every piece of team data already captured (for merge files) for the server,
    when a history is linked to a team store for the first time (caller's transaction)."""
    changes = known_changes(db)
    for change in changes:
        stored = None if change.kind == "post" else encode(change.value)
        db.execute(
            "insert or ignore into team_outbox (change_id, kind, key, value, made_at, base) "
            "values (?, ?, ?, ?, ?, 0)",
            [change.change_id, change.kind, change.key, stored, change.made_at],
        )
    return len(changes)
