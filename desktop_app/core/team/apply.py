"""Apply team changes to a local history, with the conflict rules of docs/team.md.

With a server, changes arrive in server order and each later one wins; without one (merge
files) the later stamp wins (time, then laptop id, then change id). A label or setting that
loses to a change from another laptop is recorded in team_conflicts and shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from desktop_app.core.history.repository import remove_posts
from desktop_app.core.team.local import known_value, store_known
from desktop_app.core.team.model import POST_FIELDS, Change, encode, now_stamp


@dataclass
class ApplyResult:
    """What applying a batch of changes did."""

    posts: int = 0
    labels: int = 0
    removed: int = 0
    conflicts: int = 0
    settings: dict[str, Any] = field(default_factory=dict)

    def add(self, other: ApplyResult) -> None:
        """Accumulate another result into this one."""
        self.posts += other.posts
        self.labels += other.labels
        self.removed += other.removed
        self.conflicts += other.conflicts
        self.settings.update(other.settings)


def _record_conflict(db: Database, winner: Change, loser: Change) -> int:
    cur = db.execute(
        "insert or ignore into team_conflicts (kind, key, winner_value, winner_laptop, "
        "winner_at, loser_value, loser_laptop, loser_at, loser_change_id, recorded_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [winner.kind, winner.key, encode(winner.value), winner.laptop_name or winner.laptop,
         winner.made_at, encode(loser.value), loser.laptop_name or loser.laptop, loser.made_at,
         loser.change_id, now_stamp()],
    )  # fmt: skip
    return cur.rowcount


def _disagree(a: Change, b: Change) -> bool:
    return a.laptop != b.laptop and encode(a.value) != encode(b.value)


def _resolve(db: Database, change: Change, by_server: bool, result: ApplyResult) -> bool:
    """Whether `change` becomes the winner for its key (recording any overruled change)."""
    known = known_value(db, change.kind, change.key)
    if known is None:
        return True
    if known.change_id == change.change_id:
        return by_server  # our own change back from the server: keep its order
    if by_server:
        if known.seq is not None and change.seq is not None and change.seq < known.seq:
            if _disagree(known, change):  # our own later change, already on the server
                result.conflicts += _record_conflict(db, known, change)
            return False
        unseen = known.seq is None or change.base < known.seq
        if unseen and _disagree(known, change):
            result.conflicts += _record_conflict(db, change, known)
        return True
    if change.stamp() > known.stamp():
        if _disagree(known, change):
            result.conflicts += _record_conflict(db, change, known)
        return True
    if _disagree(known, change):
        result.conflicts += _record_conflict(db, known, change)
    return False


def _set_label(db: Database, post_id: str, value: bool | None) -> None:
    db.execute(
        "update posts set ai_assisted = ?1 where id = ?2 and ai_assisted is not ?1",
        [None if value is None else int(value), post_id],  # no-op writes re-index the text
    )


_COLUMNS = (*POST_FIELDS, "imported_at")
_INSERT_POST = (
    f"insert into posts ({', '.join(_COLUMNS)}) values ({', '.join('?' for _ in _COLUMNS)})"
)


def _insert_post(db: Database, post: dict[str, Any]) -> None:
    row = dict(post, authors=json.dumps(post["authors"]), tags=json.dumps(post["tags"]))
    row["ai_assisted"] = None if post["ai_assisted"] is None else int(post["ai_assisted"])
    row["imported_at"] = now_stamp()[:19] + "+00:00"
    db.execute(_INSERT_POST, [row[c] for c in _COLUMNS])
    if post["previous_id"]:
        db.execute(
            "update posts set superseded_by = ? where id = ? and superseded_by is null",
            [post["id"], post["previous_id"]],
        )
    newer = db.execute(
        "select id from posts where previous_id = ? and id != ?", [post["id"], post["id"]]
    ).fetchone()
    if newer:
        db.execute("update posts set superseded_by = ? where id = ?", [newer[0], post["id"]])


def _apply_post(db: Database, change: Change, by_server: bool, result: ApplyResult) -> None:
    post_id = change.key
    if db.execute("select 1 from team_tombstones where post_id = ?", [post_id]).fetchone():
        return  # removed for the team: it does not come back
    if not db.execute("select 1 from posts where id = ?", [post_id]).fetchone():
        _insert_post(db, change.value)
        result.posts += 1
    db.execute("insert or ignore into team_posts values (?)", [post_id])
    label = Change(
        change.change_id,
        "label",
        post_id,
        change.value["ai_assisted"],
        change.laptop,
        change.laptop_name,
        change.made_at,
        change.base,
        change.seq,
    )
    # the label a post carries is a label change of the post's order (the same post
    # imported on two laptops: the one the server took first)
    if _resolve(db, label, by_server, result):
        store_known(db, label)
    _set_label(db, post_id, (known_value(db, "label", post_id) or label).value)


def _apply_removal(db: Database, change: Change, result: ApplyResult) -> None:
    db.execute(
        "insert or ignore into team_tombstones values (?, ?, ?, ?, ?)",
        [change.key, change.change_id, change.laptop, change.laptop_name, change.made_at],
    )
    db.execute("delete from team_posts where post_id = ?", [change.key])
    db.execute("delete from team_values where kind = 'label' and key = ?", [change.key])
    result.removed += remove_posts(db, [change.key])


def apply_change(db: Database, change: Change, *, by_server: bool) -> ApplyResult:
    """Apply one change inside the caller's transaction; settings are returned, not saved."""
    result = ApplyResult()
    if change.kind == "post":
        _apply_post(db, change, by_server, result)
    elif change.kind == "removal":
        _apply_removal(db, change, result)
    elif change.kind == "label":
        tombstoned = db.execute(
            "select 1 from team_tombstones where post_id = ?", [change.key]
        ).fetchone()
        if not tombstoned and _resolve(db, change, by_server, result):
            store_known(db, change)
            _set_label(db, change.key, change.value)
            result.labels += 1
    elif _resolve(db, change, by_server, result):
        store_known(db, change)
        result.settings[change.key] = change.value
    return result


def apply_changes(db: Database, changes: Iterable[Change], *, by_server: bool) -> ApplyResult:
    """Apply changes in order inside the caller's transaction."""
    total = ApplyResult()
    for change in changes:
        total.add(apply_change(db, change, by_server=by_server))
    return total
