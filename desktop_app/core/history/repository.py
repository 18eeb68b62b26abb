"""Read and write posts in the history DB (one transaction per chunk)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlite_utils import Database

from desktop_app.core.history.db import write_transaction
from desktop_app.core.history.metric_columns import CLEARERS, change_stamp
from desktop_app.core.history.post_writes import (
    StoreSummary,
    known_fingerprints,
    store_fingerprinted,
    store_posts,
)
from desktop_app.core.history.search import fts_expression, match_clause

__all__ = ["StoreSummary", "known_fingerprints", "store_fingerprinted", "store_posts"]


@dataclass
class StoredPost:
    """A post as held in the history."""

    id: str
    title: str
    text: str
    source: str
    published: date | None
    authors: list[str]
    url: str | None
    tags: list[str]
    ai_assisted: bool | None
    status: str | None
    word_count: int
    imported_at: str
    previous_id: str | None = None
    superseded_by: str | None = None


@dataclass
class PostFilter:
    """Filters for listing posts; every field optional."""

    date_from: date | None = None
    date_to: date | None = None
    author: str | None = None
    tag: str | None = None
    search: str | None = None  # words, word*, "a phrase" (history.search)
    stemmed: bool = False  # search also matches other forms of each word
    ai_assisted: bool | None = None
    include_superseded: bool = False
    limit: int | None = None
    ids: list[str] = field(default_factory=list)


def _ai_to_db(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _to_stored(row: dict[str, Any]) -> StoredPost:
    ai = row.get("ai_assisted")
    return StoredPost(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        source=row["source"],
        published=_parse_date(row.get("published")),
        authors=json.loads(row.get("authors") or "[]"),
        url=row.get("url"),
        tags=json.loads(row.get("tags") or "[]"),
        ai_assisted=None if ai is None else bool(ai),
        status=row.get("status"),
        word_count=row["word_count"],
        imported_at=row["imported_at"],
        previous_id=row.get("previous_id"),
        superseded_by=row.get("superseded_by"),
    )


def json_list_filters(
    table: str, author: str | None, tag: str | None
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and parameters) on the JSON author and tag lists of `table` (a posts
    table or its alias): author by substring, tag case-insensitively; empty ones are skipped."""
    clauses: list[str] = []
    params: list[Any] = []
    if author:
        clauses.append(f"exists (select 1 from json_each({table}.authors) where value like ?)")
        params.append(f"%{author}%")
    if tag:
        clauses.append(f"exists (select 1 from json_each({table}.tags) where lower(value) = ?)")
        params.append(tag.lower())
    return clauses, params


def _where(flt: PostFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if not flt.include_superseded:
        clauses.append("superseded_by is null")
    if flt.date_from:
        clauses.append("published >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to:
        clauses.append("published <= ?")
        params.append(flt.date_to.isoformat())
    people, values = json_list_filters("posts", flt.author, flt.tag)
    clauses += people
    params += values
    if flt.ai_assisted is not None:
        clauses.append("ai_assisted = ?")
        params.append(int(flt.ai_assisted))
    expression = fts_expression(flt.search or "")
    if expression:
        clauses.append(match_clause("rowid", flt.stemmed))
        params.append(expression)
    if flt.ids:
        clauses.append(f"id in ({', '.join('?' for _ in flt.ids)})")
        params.extend(flt.ids)
    return clauses, params


def _select(columns: str, flt: PostFilter) -> tuple[str, list[Any]]:
    """SQL selecting `columns` of the posts matching `flt`, oldest first (undated last)."""
    clauses, params = _where(flt)
    sql = f"select {columns} from posts"
    if clauses:
        sql += " where " + " and ".join(clauses)
    sql += " order by published is null, published, title"
    if flt.limit:
        sql += f" limit {int(flt.limit)}"
    return sql, params


def iter_posts(db: Database, flt: PostFilter | None = None) -> Iterator[StoredPost]:
    """Posts matching the filter, oldest first (undated last)."""
    cursor = db.execute(*_select("*", flt or PostFilter()))
    columns = [c[0] for c in cursor.description]
    for row in cursor:
        yield _to_stored(dict(zip(columns, row, strict=True)))


class PostRef(NamedTuple):
    """A post's id, date and AI-assisted flag: what per-post statistics need, no text."""

    id: str
    published: date | None
    ai_assisted: bool | None


def post_refs(db: Database, flt: PostFilter | None = None) -> list[PostRef]:
    """`iter_posts` without the texts and JSON fields: same filter, same order, much lighter
    (memoised per filter until the history changes: the report asks several times)."""
    flt = flt or PostFilter()
    if _dates_only(flt):  # one read of every post serves each date range
        every = post_refs(db)
        return [p for p in every if _in_range(p.published, flt.date_from, flt.date_to)]
    stamp, key = change_stamp(db), repr(flt)
    found = _REFS.get(key)
    if stamp is not None and found is not None and found[0] == stamp:
        return list(found[1])
    rows = db.execute(*_select("id, published, ai_assisted", flt))
    days: dict[str | None, date | None] = {}  # a few thousand distinct days among 50,000 posts
    refs = [
        PostRef(i, days[day] if day in days else days.setdefault(day, _parse_date(day)),
                None if ai is None else bool(ai))
        for i, day, ai in rows
    ]  # fmt: skip
    if stamp is not None:
        if len(_REFS) >= 16 or (_REFS and next(iter(_REFS.values()))[0] != stamp):
            _REFS.clear()
        _REFS[key] = (stamp, refs)
    return list(refs)


_REFS: dict[str, tuple[tuple[object, ...], list[PostRef]]] = {}
CLEARERS.append(_REFS.clear)


def _dates_only(flt: PostFilter) -> bool:
    """A filter on a date range and nothing else."""
    return (flt.date_from is not None or flt.date_to is not None) and flt == PostFilter(
        date_from=flt.date_from, date_to=flt.date_to
    )


def _in_range(day: date | None, start: date | None, end: date | None) -> bool:
    """start <= day <= end as the SQL filter has it (an undated post is in no range)."""
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def fetch_texts(db: Database, ids: Sequence[str]) -> dict[str, str]:
    """Texts of the given posts, by id."""
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        sql = f"select id, text from posts where id in ({', '.join('?' for _ in chunk)})"
        out.update(dict(db.execute(sql, chunk).fetchall()))
    return out


def list_posts(db: Database, flt: PostFilter | None = None) -> list[StoredPost]:
    """Posts matching the filter as a list."""
    return list(iter_posts(db, flt))


def get_post(db: Database, post_id: str) -> StoredPost | None:
    """One post by id (or None)."""
    found = list_posts(db, PostFilter(ids=[post_id], include_superseded=True))
    return found[0] if found else None


def count_posts(db: Database) -> int:
    """Number of current (not superseded) posts."""
    return int(db.execute("select count(*) from posts where superseded_by is null").fetchone()[0])


def remove_posts(db: Database, post_ids: Iterable[str]) -> int:
    """Delete posts and their metric values/evidence; return how many posts were removed."""
    ids = list(post_ids)
    removed = 0
    with write_transaction(db):
        for post_id in ids:
            db.execute("delete from evidence where post_id = ?", [post_id])
            db.execute("delete from metric_values where post_id = ?", [post_id])
            db.execute("update posts set previous_id = null where previous_id = ?", [post_id])
            removed += db.execute("delete from posts where id = ?", [post_id]).rowcount
    return removed


def set_ai_assisted(db: Database, post_id: str, value: bool | None) -> None:
    """Set (or clear, with None) the AI-assisted flag of a post."""
    with write_transaction(db):
        db.execute("update posts set ai_assisted = ? where id = ?", [_ai_to_db(value), post_id])


def set_tags(db: Database, post_id: str, tags: list[str]) -> None:
    """Replace the tags of a post."""
    with write_transaction(db):
        db.execute("update posts set tags = ? where id = ?", [json.dumps(tags), post_id])
