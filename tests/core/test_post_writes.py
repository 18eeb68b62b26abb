"""Storing a chunk with one INSERT (history/post_writes.py) gives what storing post by post
gives: the same outcomes, rows, versions and search index entries, whatever the chunk holds
(repeats, several versions of one article, versions of stored posts); m010's index triggers
leave the index alone when only a flag, the tags or the version links change."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from desktop_app.core.history.migrations import MIGRATIONS
from desktop_app.core.history.repository import (
    PostFilter,
    StoreSummary,
    list_posts,
    set_ai_assisted,
    set_tags,
    store_posts,
)
from desktop_app.core.history.search import EXACT_TABLE, STEMMED_TABLE
from desktop_app.core.records import Post
from tests.benchmarks.scale_files import demo_posts
from tests.conftest import HistoryAt

COLUMNS = "rowid, id, title, published, authors, url, tags, source, ai_assisted, status, "
COLUMNS += "word_count, text, previous_id, superseded_by"


def _post(text: str, source: str, url: str | None = None, title: str = "T") -> Post:
    return Post(title=title, text=text, source=source, url=url, published=date(2021, 3, 4))


def _already_stored() -> list[Post]:
    return [
        _post("Stored first: observability pipelines need sampling.", "x.md", "https://e.org/x"),
        _post("Stored second: a post without a url, known by its file.", "y.md"),
    ]


def _tricky_chunk() -> list[Post]:
    """New posts, repeats, chains of versions inside the chunk and of stored posts."""
    return [
        _post("Alpha one: certificates expire and renewals fail.", "a.md", "https://e.org/a"),
        _post("Alpha   ONE: certificates expire and renewals fail.", "a2.md"),  # same id
        _post("Alpha two: certificate renewal, edited.", "a.md", "https://e.org/a"),
        _post("Alpha three: the renewal, edited again.", "other.md", "https://e.org/a"),
        _post("Beta one: a file without a url.", "b.md"),
        _post("Beta two: the same file, edited.", "b.md"),
        _post("Gamma: a url of its own, the source of beta.", "b.md", "https://e.org/g"),
        _post("Stored first, edited: sampling pipelines.", "x.md", "https://e.org/x"),
        _post("Stored first, edited twice: sampled.", "x.md", "https://e.org/x"),
        _post("Stored second, now with a url of its own.", "y.md", "https://e.org/y"),
        _post("Stored second, edited: known by its file.", "y.md"),
        _post("Stored first: observability pipelines need sampling.", "z.md"),  # stored id
        _post("Delta: an ordinary new post about résumés.", "d.md", "https://e.org/d"),
    ]


def _stored_rows(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(f"select {COLUMNS} from posts order by rowid").fetchall()


def _index_entries(db: Database, table: str) -> list[tuple[Any, ...]]:
    """Every (term, post id, column, offset) the FTS5 index holds."""
    db.execute(f"create virtual table if not exists temp.v_{table} using fts5vocab(main, {table}, "
               "'instance')")  # fmt: skip
    sql = (f"select v.term, p.id, v.col, v.offset from temp.v_{table} v "
           "join posts p on p.rowid = v.doc order by 1, 2, 3, 4")  # fmt: skip
    return db.execute(sql).fetchall()


def _check_indexes(db: Database) -> None:
    """FTS5's check of both indexes against the posts table (raises when they differ)."""
    for table in (EXACT_TABLE, STEMMED_TABLE):
        db.execute(f"insert into {table} ({table}, rank) values ('integrity-check', 1)")


def _two_histories(tmp_path: Path, history_at: HistoryAt, chunk: list[Post]) -> tuple[
    tuple[Database, StoreSummary], tuple[Database, StoreSummary]
]:  # fmt: skip
    """The chunk stored in one call, and post by post (one call each), over the same start."""
    together, one_by_one = history_at(tmp_path / "a.sqlite"), history_at(tmp_path / "b.sqlite")
    for db in (together, one_by_one):
        store_posts(db, _already_stored())
    summary = store_posts(together, chunk)
    singles = StoreSummary()
    for post in chunk:
        singles.add(store_posts(one_by_one, [post]))
    return (together, summary), (one_by_one, singles)


def test_a_tricky_chunk_stores_what_storing_post_by_post_stores(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    (together, summary), (one_by_one, singles) = _two_histories(
        tmp_path, history_at, _tricky_chunk()
    )
    assert summary == singles
    assert (summary.imported, summary.updated, summary.unchanged) == (5, 6, 2)
    assert _stored_rows(together) == _stored_rows(one_by_one)
    for table in (EXACT_TABLE, STEMMED_TABLE):
        assert _index_entries(together, table) == _index_entries(one_by_one, table) != []
    _check_indexes(together)
    chain = together.execute(
        "select text, superseded_by is null from posts where url = 'https://e.org/a' order by rowid"
    ).fetchall()
    assert [(text[:10], current) for text, current in chain] == [
        ("Alpha one:", 0), ("Alpha two:", 0), ("Alpha thre", 1)]  # fmt: skip


def test_real_posts_search_the_same_stored_together_or_one_by_one(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    chunk = [Post(title=p.title, text=p.body, source=f"{n}.md", url=f"https://e.org/{n % 30}")
             for n, p in enumerate(demo_posts(60))]  # fmt: skip
    (together, summary), (one_by_one, singles) = _two_histories(tmp_path, history_at, chunk)
    assert summary == singles and summary.updated == 30
    words = {w.strip(".,;:!?()[]\"'").lower() for p in chunk[:10] for w in p.text.split()[:40]}
    for word in sorted(w for w in words if w.isalpha()):
        for stemmed in (False, True):
            flt = PostFilter(search=word, stemmed=stemmed, include_superseded=True)
            found = [p.id for p in list_posts(together, flt)]
            assert found == [p.id for p in list_posts(one_by_one, flt)]
    _check_indexes(together)


def test_a_failing_chunk_stores_none_of_its_posts(tmp_path: Path, history_at: HistoryAt) -> None:
    db = history_at(tmp_path / "h.sqlite")
    store_posts(db, _already_stored())
    before = _stored_rows(db)
    broken = _post("A post whose title is missing.", "n.md")
    broken.title = None  # type: ignore[assignment]  # posts.title is NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        store_posts(db, [*_tricky_chunk(), broken])
    assert _stored_rows(db) == before
    _check_indexes(db)


def _index_pages(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(
        f"select * from {EXACT_TABLE}_data union all select * from {STEMMED_TABLE}_data order by 1"
    ).fetchall()


def test_flags_tags_and_versions_leave_the_index_alone_since_m010(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    db = history_at(tmp_path / "h.sqlite")
    store_posts(db, _already_stored())
    post_id = _already_stored()[0].id  # the one about sampling
    pages = _index_pages(db)
    set_ai_assisted(db, post_id, True)
    set_tags(db, post_id, ["ops"])
    db.execute("update posts set superseded_by = 'later' where id = ?", [post_id])
    assert _index_pages(db) == pages  # before m010 each update rewrote both index entries
    db.execute("update posts set text = 'Rewritten about tracing.' where id = ?", [post_id])
    flt = PostFilter(search="tracing", include_superseded=True)
    assert [p.id for p in list_posts(db, flt)] == [post_id]
    assert list_posts(db, PostFilter(search="sampling", include_superseded=True)) == []
    _check_indexes(db)


def test_a_history_made_at_m009_gets_the_text_only_index_triggers(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "old.sqlite"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="m010_index_on_text_updates")
    store_posts(old, _already_stored())
    old.conn.close()
    db = history_at(path)
    sql = "select name, sql from sqlite_master where type = 'trigger' and name like '%_au'"
    triggers = dict(db.execute(sql).fetchall())
    assert set(triggers) == {"posts_au", "posts_fts_stemmed_au"}
    assert all("update of title, text on posts" in body for body in triggers.values())
    post_id = list_posts(db, PostFilter(search="sampling"))[0].id
    db.execute("update posts set title = 'Renamed tracing' where id = ?", [post_id])
    assert [p.id for p in list_posts(db, PostFilter(search="renamed"))] == [post_id]
    assert [p.id for p in list_posts(db, PostFilter(search="tracing", stemmed=True))] == [post_id]
    _check_indexes(db)
