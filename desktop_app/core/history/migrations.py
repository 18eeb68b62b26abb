"""Registered, ordered schema changes of the history DB (sqlite-utils Migrations)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("content_drift")


@MIGRATIONS()
def m001_posts(db: Database) -> None:
    """Posts with full-text search over title and text."""
    db["posts"].create(  # type: ignore[union-attr]
        {
            "id": str,
            "title": str,
            "published": str,
            "authors": str,
            "url": str,
            "tags": str,
            "source": str,
            "ai_assisted": int,
            "status": str,
            "word_count": int,
            "text": str,
            "imported_at": str,
            "previous_id": str,
            "superseded_by": str,
        },
        pk="id",
        not_null={"title", "source", "text", "word_count", "imported_at"},
    )
    db["posts"].create_index(["published"])  # type: ignore[union-attr]
    db["posts"].create_index(["source"])  # type: ignore[union-attr]
    db["posts"].create_index(["url"])  # type: ignore[union-attr]
    db["posts"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")  # type: ignore[union-attr]


@MIGRATIONS()
def m002_metric_values(db: Database) -> None:
    """Per-post metric values with the pipeline and analyzer that produced them, and evidence."""
    db["metric_values"].create(  # type: ignore[union-attr]
        {
            "post_id": str,
            "metric": str,
            "value": float,
            "confidence": str,
            "pipeline": str,
            "pipeline_version": str,
            "analyzer_version": str,
            "computed_at": str,
        },
        pk=("post_id", "metric"),
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["metric_values"].create_index(["metric"])  # type: ignore[union-attr]
    db["evidence"].create(  # type: ignore[union-attr]
        {
            "post_id": str,
            "kind": str,
            "start": int,
            "end": int,
            "text": str,
            "ref_post_id": str,
        },
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["evidence"].create_index(["post_id"])  # type: ignore[union-attr]


@MIGRATIONS()
def m003_analysis_detail(db: Database) -> None:
    """Evidence rows name their metric; metric values keep their JSON detail."""
    db["evidence"].add_column("metric", str)  # type: ignore[union-attr]
    db["metric_values"].add_column("detail", str)  # type: ignore[union-attr]
    db["evidence"].create_index(["post_id", "metric"])  # type: ignore[union-attr]


@MIGRATIONS()
def m004_change_counters(db: Database) -> None:
    """A counter per table, bumped by triggers on every write, so caches (corpus index,
    baseline, AI-style threshold) can tell in one cheap read whether the history changed."""
    db.execute("create table change_counters (name text primary key, n integer not null)")
    for table in ("posts", "metric_values"):
        db.execute("insert into change_counters values (?, 0)", [table])
        for event in ("insert", "update", "delete"):
            db.execute(
                f"create trigger {table}_{event}_counter after {event} on {table} "
                f"begin update change_counters set n = n + 1 where name = '{table}'; end"
            )


_STEMMED_TRIGGERS = {
    "ai": "after insert on posts begin {add}; end",
    "ad": "after delete on posts begin {remove}; end",
    "au": "after update on posts begin {remove}; {add}; end",
}


@MIGRATIONS()
def m005_exact_search(db: Database) -> None:
    """Search matches words exactly by default; a second, stemmed index for users who want it.

    m001's index stemmed every word (porter), so 'generics' also found 'general'.
    """
    db["posts"].disable_fts()  # type: ignore[union-attr]
    db["posts"].enable_fts(  # type: ignore[union-attr]
        ["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db.execute(
        "create virtual table posts_fts_stemmed using fts5(title, text, content=[posts], "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    add = (
        "insert into posts_fts_stemmed (rowid, title, text) values (new.rowid, new.title, new.text)"
    )
    remove = (
        "insert into posts_fts_stemmed (posts_fts_stemmed, rowid, title, text) "
        "values ('delete', old.rowid, old.title, old.text)"
    )
    for suffix, body in _STEMMED_TRIGGERS.items():
        sql = body.format(add=add, remove=remove)
        db.execute(f"create trigger posts_fts_stemmed_{suffix} {sql}")
    db.execute("insert into posts_fts_stemmed (posts_fts_stemmed) values ('rebuild')")


@MIGRATIONS()
def m006_metric_columns_index(db: Database) -> None:
    """Covering indexes for trends and the report: one to read a metric's values column by
    column, grouped by what produced them (it starts with `metric`, so it replaces m002's
    index on that column), one for the post metadata of the dated current posts (without it
    every post's row, long text included, is read from disk)."""
    db.execute(
        "create index idx_metric_values_columns on metric_values "
        "(metric, pipeline, pipeline_version, analyzer_version, post_id, value)"
    )
    db.execute("drop index if exists idx_metric_values_metric")
    db.execute(
        "create index idx_posts_table on posts "
        "(superseded_by, published, id, ai_assisted, title, authors, tags)"
    )


@MIGRATIONS()
def m007_team_sync(db: Database) -> None:
    """Team sync bookkeeping (core/team): what this history shares, its pending changes,
    tombstones, the winning stamp of each label/team setting, and overruled changes."""
    from desktop_app.core.history.team_tables import create_team_tables

    create_team_tables(db)


@MIGRATIONS()
def m008_import_fingerprints(db: Database) -> None:
    """Fingerprints of the raw CSV rows / WXR items already imported (SHA-256 of the raw fields
    and the reading options, see core/ingest/stream.py) with the post each one gave, so a
    re-import skips cleaning them; a deleted post takes its fingerprints with it."""
    db.execute(
        "create table import_fingerprints (fingerprint text primary key, post_id text not null)"
    )
    db.execute("create index idx_import_fingerprints_post on import_fingerprints (post_id)")
    db.execute(
        "create trigger posts_delete_fingerprints after delete on posts "
        "begin delete from import_fingerprints where post_id = old.id; end"
    )


@MIGRATIONS()
def m009_metric_columns_cache(db: Database) -> None:
    """A packed, column-wise copy of the metric values (history/column_cache.py): derived
    data, valid only at the `metric_values` change counter it carries."""
    from desktop_app.core.history.column_cache import create_table

    create_table(db)


_TEXT_UPDATE_TRIGGERS = {
    "posts_au": "posts_fts",
    "posts_fts_stemmed_au": "posts_fts_stemmed",
}


@MIGRATIONS()
def m010_index_on_text_updates(db: Database) -> None:
    """The search indexes re-read a post only when its title or text changes: flagging,
    tagging or superseding a post rewrote both of its index entries with the same words (and,
    a statement each, made FTS5 write a new index segment every time)."""
    for trigger, table in _TEXT_UPDATE_TRIGGERS.items():
        db.execute(f"drop trigger if exists [{trigger}]")
        db.execute(
            f"create trigger [{trigger}] after update of title, text on posts begin "
            f"insert into [{table}] ([{table}], rowid, title, text) "
            f"values ('delete', old.rowid, old.title, old.text); "
            f"insert into [{table}] (rowid, title, text) values (new.rowid, new.title, new.text); "
            "end"
        )


def known_migration_names() -> set[str]:
    """Names of every migration this version of the app knows."""
    return {m.name for m in MIGRATIONS._migrations}
