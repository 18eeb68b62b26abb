"""Where the engine gets its corpus index: the on-disk cache, an extended entry, or a build.

At start the cached entry for the history's current state is memory-mapped (well under a
second at 50,000 posts, against ~14 s to rebuild). After an import that only appended posts
newer than every indexed one, the latest entry of the same history file is extended; any
other change (an edit, a deletion, a post dated in the past) rebuilds. Every entry is checked
against the history's posts before use, so a stale or damaged cache only costs a rebuild.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core import paths
from desktop_app.core.history.repository import PostFilter, fetch_texts, iter_posts
from desktop_app.core.metrics import index_cache
from desktop_app.core.metrics.corpus_index import CorpusIndex, IndexedPost, build_streamed
from desktop_app.core.metrics.index_append import append_posts, can_append
from desktop_app.core.metrics.index_build import CHUNK

log = logging.getLogger(__name__)
_CHUNK = 500
Row = tuple[str, str, str | None]


def current_rows(db: Database) -> list[Row]:
    """(id, title, ISO date) of the current posts in index order, no texts read.

    SQLite's binary collation orders UTF-8 text by code point, as Python orders str, so this
    is the order of ``corpus_index.order_key``.
    """
    sql = ("select id, title, published from posts where superseded_by is null"
           " order by published is null, published, title, id")  # fmt: skip
    return [tuple(row) for row in db.execute(sql)]


def rows_digest(db: Database) -> str:
    """SHA-256 of the current posts' (id, title, date) in index order, joined in SQL.

    Compared with the digest stored with a cache entry, this checks an entry against the
    history without a Python object per post. Should SQLite ever join the rows in another
    order, the digests differ and the caller falls back to comparing the rows themselves.
    """
    sql = ("select group_concat(r, char(30)) from (select id || char(31) || coalesce(title, '')"
           " || char(31) || coalesce(published, '') as r from posts where superseded_by is null"
           " order by published is null, published, title, id)")  # fmt: skip
    joined = db.execute(sql).fetchone()[0] or ""
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _rows_of(index: CorpusIndex) -> list[Row]:
    return [(p.id, p.title, p.published.isoformat() if p.published else None)
            for p in index.posts]  # fmt: skip


def _posts_of(rows: Sequence[Row]) -> list[IndexedPost]:
    return [IndexedPost(i, t, date.fromisoformat(d) if d else None) for i, t, d in rows]


def history_key(db_path: str, counter: int, reference_posts: int, digest: str) -> dict[str, Any]:
    """The cache key: the history file's identity, its posts change counter and rows digest,
    the reference size."""
    real = os.path.realpath(db_path)
    stat = os.stat(real)
    return {"file": real, "device": stat.st_dev, "inode": stat.st_ino, "posts_counter": counter,
            "rows": digest, "reference_posts": reference_posts}  # fmt: skip


def _same_history(meta: dict[str, Any] | None, key: dict[str, Any]) -> bool:
    found = (meta or {}).get("key") or {}
    fields = ("file", "device", "inode", "reference_posts")
    return all(found.get(f) == key[f] for f in fields)


def _texts(db: Database, posts: Sequence[IndexedPost]) -> list[tuple[IndexedPost, str]]:
    ids = [p.id for p in posts]
    texts: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        texts.update((p.id, p.text) for p in iter_posts(db, PostFilter(ids=chunk)))
    return [(p, texts[p.id]) for p in posts]


def _text_chunks(db: Database, posts: Sequence[IndexedPost]) -> Iterator[list[str]]:
    """The posts' texts, `index_build.CHUNK` at a time, in the given order (never all held)."""
    for start in range(0, len(posts), CHUNK):
        chunk = [p.id for p in posts[start : start + CHUNK]]
        texts = fetch_texts(db, chunk)
        yield [texts[i] for i in chunk]


def _latest_entry(folder: Path, key: dict[str, Any]) -> Path | None:
    """The newest entry written for the same history file and reference size."""
    for entry in index_cache.entries(folder):
        if _same_history(index_cache.manifest(entry), key):
            return entry
    return None


def _from_latest(folder: Path, key: dict[str, Any], db: Database, rows: list[Row]
                 ) -> CorpusIndex | None:  # fmt: skip
    """The latest entry of the same history: as is when it holds the current posts (a write
    that left them alone, e.g. analysis), extended when posts were only appended, else None."""
    entry = _latest_entry(folder, key)
    base = index_cache.load(entry) if entry is not None else None
    if entry is None or base is None:
        return None
    if _rows_of(base) == rows:
        _store(lambda: index_cache.relabel(entry, folder, key), folder)
        return base
    current = _posts_of(rows)
    if not can_append(base, current):
        return None
    index = append_posts(base, _texts(db, current[len(base) :]))
    _store(lambda: index_cache.save(folder, key, index), folder)
    return index


def _store(write: Callable[[], Path], folder: Path) -> None:
    try:
        write()
    except OSError as exc:  # a full or read-only disk costs the next start a rebuild
        log.warning("could not cache the corpus index in %s: %s", folder, exc)


def persisted_index(
    db: Database,
    db_path: str,
    counter: int,
    reference_posts: int,
    folder: Path | None = None,
    digest: str | None = None,
) -> CorpusIndex:
    """The history's corpus index from the cache, extended, or built (and then cached);
    `digest`: the `rows_digest` of `db` when the caller has it already."""
    folder = folder or paths.index_cache_dir()
    key = history_key(db_path, counter, reference_posts, digest or rows_digest(db))
    found = index_cache.load(folder / index_cache.entry_name(key), key)
    if found is not None:  # the key holds the digest of exactly these posts
        return found
    rows = current_rows(db)
    index = _from_latest(folder, key, db, rows)
    if index is None:
        posts = _posts_of(rows)
        index = build_streamed(posts, _text_chunks(db, posts), reference_posts)
        _store(lambda: index_cache.save(folder, key, index), folder)
    index.counts = None  # only needed to extend, and the saved entry has them
    return index
