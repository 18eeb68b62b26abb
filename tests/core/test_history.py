"""History DB: migrations, WAL, idempotent storage, versions, refusal of foreign/newer files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop_app.core.history import HistoryError, NewerSchemaError
from desktop_app.core.history.metric_columns import StampMemo
from desktop_app.core.history.repository import (
    PostFilter,
    fetch_texts,
    get_post,
    list_posts,
    post_refs,
    remove_posts,
    set_ai_assisted,
    store_posts,
)
from desktop_app.core.records import Post
from tests.conftest import HistoryAt


def _post(text: str, **kw: object) -> Post:
    base = {"title": "T", "source": "a.md", "published": date(2020, 1, 2)}
    base.update(kw)
    return Post(text=text, **base)  # type: ignore[arg-type]


def test_store_is_idempotent_and_versions_edits(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    first = store_posts(db, [_post("Hello world, this is a post.")])
    again = store_posts(db, [_post("Hello   WORLD, this is a post.")])  # same normalised text
    edited = store_posts(db, [_post("Hello world, this is an edited post.")])
    assert (first.imported, again.unchanged, edited.updated) == (1, 1, 1)
    current = list_posts(db)
    assert len(current) == 1
    assert current[0].previous_id is not None
    old = get_post(db, current[0].previous_id)
    assert old is not None and old.superseded_by == current[0].id


def test_wal_mode_and_fts(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    store_posts(db, [_post("Observability pipelines need sampling.", source="b.md")])
    mode = db.execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"
    assert [p.source for p in list_posts(db, PostFilter(search="sampling"))] == ["b.md"]
    assert list_posts(db, PostFilter(search="kubernetes")) == []


def test_remove_and_flags(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    store_posts(db, [_post("Some text here.")])
    post = list_posts(db)[0]
    set_ai_assisted(db, post.id, True)
    assert get_post(db, post.id).ai_assisted is True  # type: ignore[union-attr]
    assert remove_posts(db, [post.id]) == 1
    assert list_posts(db) == []


def test_refuses_non_sqlite_file_untouched(tmp_path: Path, history_at: HistoryAt) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"just some text, not a database\n" * 10)
    before = bogus.read_bytes()
    with pytest.raises(HistoryError, match="not an SQLite database"):
        history_at(bogus)
    assert bogus.read_bytes() == before


def test_refuses_newer_schema(db_file: Path, history_at: HistoryAt) -> None:
    history_at(db_file).conn.close()
    conn = sqlite3.connect(db_file)
    conn.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) "
        "values ('content_drift', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError, match="newer version"):
        history_at(db_file)


def test_backup_before_migrating_existing_file(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    store_posts(db, [_post("Kept through the migration.")])
    db.execute("delete from _sqlite_migrations where name = 'm002_metric_values'")
    db.execute("drop table evidence")
    db.execute("drop table metric_values")
    db.conn.commit()
    db.conn.close()
    reopened = history_at(db_file)
    backups = list(db_file.parent.glob("history.sqlite.backup-*"))
    assert len(backups) == 1
    assert reopened["metric_values"].exists()
    assert len(list_posts(reopened)) == 1


def _counters(db: object) -> dict[str, int]:
    return dict(db.execute("select name, n from change_counters").fetchall())  # type: ignore[attr-defined]


def test_change_counters_move_on_every_kind_of_write(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    start = _counters(db)
    store_posts(db, [_post("A first post about sampling.")])
    after_insert = _counters(db)
    assert after_insert["posts"] > start["posts"]
    post = list_posts(db)[0]
    set_ai_assisted(db, post.id, False)
    after_update = _counters(db)
    assert after_update["posts"] > after_insert["posts"]
    with db.conn:
        db.execute(
            "insert into metric_values (post_id, metric, value) values (?, 'mtld', 70.0)",
            [post.id],
        )
    assert _counters(db)["metric_values"] == start["metric_values"] + 1
    remove_posts(db, [post.id])
    final = _counters(db)
    assert final["posts"] > after_update["posts"]
    assert final["metric_values"] == start["metric_values"] + 2


def test_post_refs_and_texts_match_the_full_posts(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    store_posts(db, [
        _post("First post about certificates.", published=date(2020, 3, 1)),
        _post("An undated note.", title="U", published=None),
        _post("Second post, flagged.", title="S", published=date(2019, 5, 6)),
    ])  # fmt: skip
    set_ai_assisted(db, list_posts(db)[0].id, True)
    for flt in (None, PostFilter(date_to=date(2020, 1, 1)), PostFilter(ai_assisted=True)):
        full = list_posts(db, flt)
        assert post_refs(db, flt) == [(p.id, p.published, p.ai_assisted) for p in full]
    every = list_posts(db)
    assert fetch_texts(db, [p.id for p in every]) == {p.id: p.text for p in every}


def test_post_refs_for_a_date_range_match_the_sql_filter(
    db_file: Path, history_at: HistoryAt
) -> None:
    """Date ranges are served from one read of every post: same posts, order and bounds as
    the SQL filter, superseded versions and undated posts left out."""
    db = history_at(db_file)
    days = [date(2021, 1, 1), date(2021, 3, 31), date(2021, 4, 1), date(2021, 6, 30)]
    store_posts(db, [_post(f"Post number {i}.", title=f"P{i}", source=f"p{i}.md", published=d)
                     for i, d in enumerate(days)])  # fmt: skip
    store_posts(db, [_post("An undated note.", title="U", source="u.md", published=None)])
    store_posts(
        db, [_post("Post number 1, edited.", title="P1", source="p1.md", published=days[1])]
    )
    ranges = [
        PostFilter(date_from=days[1]),
        PostFilter(date_to=days[1]),
        PostFilter(date_from=days[1], date_to=days[2]),
        PostFilter(date_from=date(2021, 7, 1)),
    ]
    for flt in ranges:
        full = list_posts(db, flt)
        assert post_refs(db, flt) == [(p.id, p.published, p.ai_assisted) for p in full], flt
    q1 = post_refs(db, PostFilter(date_from=days[0], date_to=days[1]))
    assert [get_post(db, r.id).text for r in q1] == ["Post number 0.", "Post number 1, edited."]  # type: ignore[union-attr]


def test_stamp_memo_keeps_a_value_until_the_history_changes(
    db_file: Path, history_at: HistoryAt
) -> None:
    db = history_at(db_file)
    memo: StampMemo[int] = StampMemo(size=2)
    calls: list[str] = []

    def count(key: str) -> int:
        calls.append(key)
        return len(list_posts(db))

    assert memo.get(db, "a", lambda: count("a")) == 0
    assert memo.get(db, "a", lambda: count("a")) == 0 and calls == ["a"]
    store_posts(db, [_post("A first post.")])  # the posts counter moves
    assert memo.get(db, "a", lambda: count("a")) == 1 and calls == ["a", "a"]
    memo.get(db, "b", lambda: count("b"))
    memo.get(db, "c", lambda: count("c"))  # over the size: starts again
    assert memo.get(db, "a", lambda: count("a")) == 1 and calls[-1] == "a"
    memo.clear()
    memo.get(db, "a", lambda: count("a"))
    assert calls.count("a") == 4
    in_memory = Database(memory=True)
    assert memo.get(in_memory, "x", lambda: 5) == 5 and memo.get(in_memory, "x", lambda: 6) == 6
