"""Storing posts a chunk at a time: one INSERT statement for a chunk's new posts.

Each write statement inside a transaction makes FTS5 (SQLite 3.40) flush its pending terms to
a new index segment: a post per statement meant a segment per post, merged again and again,
most of the store time. The rows are kept here and inserted together; the outcome of every
post (new, unchanged, new version of a stored one) and the stored rows are those of storing
the posts one by one, in order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from desktop_app.core.history.db import write_transaction
from desktop_app.core.records import Post


@dataclass
class StoreSummary:
    """What a store call did: counts per outcome."""

    imported: int = 0
    unchanged: int = 0
    updated: int = 0

    def add(self, other: StoreSummary) -> None:
        """Accumulate another summary into this one."""
        self.imported += other.imported
        self.unchanged += other.unchanged
        self.updated += other.updated


_POST_COLUMNS = (
    "id", "title", "published", "authors", "url", "tags", "source", "ai_assisted", "status",
    "word_count", "text", "imported_at", "previous_id", "superseded_by",
)  # fmt: skip
_ROW = "(" + ", ".join("?" * len(_POST_COLUMNS)) + ")"
#: SQLite's default bound on a statement's parameters (the build may set another; read it).
_DEFAULT_MAX_PARAMETERS = 32_766


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row_for(post: Post, post_id: str, previous_id: str | None, words: int) -> list[Any]:
    ai = None if post.ai_assisted is None else int(post.ai_assisted)
    published = post.published.isoformat() if post.published else None
    return [post_id, post.title, published, json.dumps(post.authors), post.url,
            json.dumps(post.tags), post.source, ai, post.status, words, post.text, _now(),
            previous_id, None]  # fmt: skip


def _current_version_of(db: Database, post: Post) -> str | None:
    """Id of the current stored version of the same article (same url, else same source)."""
    if post.url:
        sql = "select id from posts where url = ? and superseded_by is null limit 1"
        row = db.execute(sql, [post.url]).fetchone()
    else:
        sql = "select id from posts where source = ? and superseded_by is null limit 1"
        row = db.execute(sql, [post.source]).fetchone()
    return row[0] if row else None


def _rows_per_statement(conn: sqlite3.Connection) -> int:
    try:
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):
        limit = _DEFAULT_MAX_PARAMETERS
    return max(1, min(limit, _DEFAULT_MAX_PARAMETERS) // len(_POST_COLUMNS))


class _Pending:
    """New posts of the chunk not yet inserted, and the stored versions they supersede.

    A post whose checks could see one of them (same id, same url, or same source when it has
    no url, or the same stored version to supersede) first has them written: the checks then
    read exactly what storing post by post would have left in the table.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: list[list[Any]] = []
        self.ids: set[str] = set()
        self.urls: set[str] = set()
        self.sources: set[str] = set()
        self.superseded: dict[str, str] = {}  # stored version -> the new post's id

    def clashes(self, post: Post, post_id: str) -> bool:
        """Whether checking `post` depends on the posts held here."""
        if post_id in self.ids:
            return True
        return post.url in self.urls if post.url else post.source in self.sources

    def add(self, post: Post, post_id: str, previous: str | None, words: int) -> None:
        """Hold a new post (a new version of `previous` when given)."""
        self.rows.append(_row_for(post, post_id, previous, words))
        self.ids.add(post_id)
        if post.url:
            self.urls.add(post.url)
        self.sources.add(post.source)
        if previous:
            self.superseded[previous] = post_id

    def flush(self) -> None:
        """Insert the held posts (one statement per `_rows_per_statement` rows), in order,
        then mark the versions they supersede."""
        step = _rows_per_statement(self.db.conn)
        columns = ", ".join(_POST_COLUMNS)
        for start in range(0, len(self.rows), step):
            part = self.rows[start : start + step]
            sql = f"insert into posts ({columns}) values {', '.join([_ROW] * len(part))}"
            self.db.conn.execute(sql, [value for row in part for value in row])
        for previous, post_id in self.superseded.items():
            self.db.conn.execute(
                "update posts set superseded_by = ? where id = ?", [post_id, previous]
            )
        self.rows, self.superseded = [], {}
        self.ids, self.urls, self.sources = set(), set(), set()


def _store(pending: _Pending, post: Post, post_id: str, words: int) -> str:
    """Check one post and hold it if new; return 'imported'/'unchanged'/'updated'."""
    db = pending.db
    if pending.clashes(post, post_id):
        pending.flush()
    if db.execute("select 1 from posts where id = ?", [post_id]).fetchone():
        return "unchanged"
    previous = _current_version_of(db, post)
    if previous in pending.superseded:  # already being superseded: its successor is current
        pending.flush()
        previous = _current_version_of(db, post)
    pending.add(post, post_id, previous, words)
    return "updated" if previous else "imported"


def _store_all(db: Database, items: Iterable[tuple[Post, str, int]]) -> StoreSummary:
    """Store (post, id, word count) inside the caller's transaction."""
    summary = StoreSummary()
    pending = _Pending(db)
    for post, post_id, words in items:
        outcome = _store(pending, post, post_id, words)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    pending.flush()
    return summary


def store_posts(db: Database, posts: Iterable[Post]) -> StoreSummary:
    """Store posts in ONE transaction (all or nothing); duplicates are no-ops."""
    with write_transaction(db):
        return _store_all(db, ((post, post.id, post.word_count) for post in posts))


def store_fingerprinted(db: Database, items: Sequence[tuple[Post, str, str, int]]) -> StoreSummary:
    """Store (post, raw-row fingerprint, post id, word count) in ONE transaction: the posts as
    `store_posts` does, each fingerprint with the id of its post (table of migration m008).
    The id and word count come precomputed (by the worker that cleaned the post)."""
    with write_transaction(db):
        summary = _store_all(db, ((post, post_id, words) for post, _, post_id, words in items))
        pairs = [(fingerprint, post_id) for _, fingerprint, post_id, _ in items]
        db.conn.executemany("insert or replace into import_fingerprints values (?, ?)", pairs)
    return summary


def known_fingerprints(db: Database, fingerprints: Sequence[str]) -> set[str]:
    """Those of `fingerprints` already imported whose post is still in the history."""
    found: set[str] = set()
    for start in range(0, len(fingerprints), 500):
        chunk = list(fingerprints[start : start + 500])
        sql = (
            "select f.fingerprint from import_fingerprints f join posts p on p.id = f.post_id "
            f"where f.fingerprint in ({', '.join('?' for _ in chunk)})"
        )
        found.update(row[0] for row in db.execute(sql, chunk))
    return found
