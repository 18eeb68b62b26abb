"""The persisted corpus index: loaded and extended indexes give a fresh build's lookups."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from desktop_app.core import paths
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history import open_history
from desktop_app.core.history.repository import store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.metrics import index_cache
from desktop_app.core.metrics.corpus_index import (
    CorpusIndex,
    IndexedPost,
    build_index,
    order,
    tokenize,
)
from desktop_app.core.metrics.index_append import append_posts, can_append
from desktop_app.core.records import Post
from desktop_app.core.settings import Settings
from tests.conftest import DEMO

REF = 10
KEY = {"file": "x", "posts_counter": 1}


@cache
def _demo_posts() -> tuple[Post, ...]:
    """The real Let's Encrypt and OpenTelemetry posts shipped as the demo (dated)."""
    files, _ = discover_files([DEMO])
    posts = [p for f in files for p in read_file(f, ImportOptions()).posts]
    return tuple(p for p in posts if p.published is not None)


def _pairs(posts: tuple[Post, ...] | list[Post]) -> list[tuple[IndexedPost, str]]:
    return order([(IndexedPost(p.id, p.title, p.published), p.text) for p in posts])


def _lookups(index: CorpusIndex, texts: dict[str, str]) -> list[tuple[list[int], float | None]]:
    """Per post: first-use sources of its 4-grams in its reference window, and its sameness."""
    out = []
    for post in index.posts:
        tokens = tokenize(texts[post.id])
        cutoff = index.cutoff(None, post.id)
        start, end = index.window(cutoff) or (0, 0)
        source = index.lookup_ngrams(tokens, start, end).source.tolist()
        out.append((source, index.centroid_cosine(index.similarities(tokens), cutoff)))
    return out


def _assert_same_lookups(got: CorpusIndex, fresh: CorpusIndex, texts: dict[str, str]) -> None:
    assert got.posts == fresh.posts
    mine, theirs = _lookups(got, texts), _lookups(fresh, texts)
    assert [m[0] for m in mine] == [t[0] for t in theirs]  # recycled phrasing: exact
    for (_, a), (_, b) in zip(mine, theirs, strict=True):
        assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, abs=1e-6))


def test_demo_corpus_is_big_enough() -> None:
    assert len(_demo_posts()) > 3 * REF  # otherwise the checks below see few full windows


def test_saved_and_loaded_index_gives_the_fresh_lookups(tmp_path: Path) -> None:
    pairs = _pairs(_demo_posts())
    fresh = build_index(pairs, REF)
    entry = index_cache.save(tmp_path, KEY, build_index(pairs, REF))
    loaded = index_cache.load(entry, KEY)
    assert loaded is not None and isinstance(loaded.postings, np.memmap)
    _assert_same_lookups(loaded, fresh, {p.id: t for p, t in pairs})
    assert index_cache.load(entry, {**KEY, "posts_counter": 2}) is None  # another state


def test_appended_index_equals_a_fresh_build_of_the_whole_history(tmp_path: Path) -> None:
    pairs = _pairs(_demo_posts())
    cut = len(pairs) * 2 // 3
    fresh = build_index(pairs, REF)
    stored = index_cache.load(index_cache.save(tmp_path, KEY, build_index(pairs[:cut], REF)))
    assert stored is not None and can_append(stored, fresh.posts)
    grown = append_posts(stored, pairs[cut:])
    _assert_same_lookups(grown, fresh, {p.id: t for p, t in pairs})
    assert grown.vocab == fresh.vocab
    assert np.array_equal(grown.postings, fresh.postings)
    assert grown.matrix is not None and fresh.matrix is not None
    assert abs(grown.matrix - fresh.matrix).max() < 1e-6
    # independent reference: sameness of the last post from the matrix rows themselves
    centroid = np.asarray(fresh.matrix[len(pairs) - 1 - REF : len(pairs) - 1].mean(axis=0))
    expected = cosine_similarity(centroid, fresh.matrix[len(pairs) - 1]).item()
    sims = grown.similarities(tokenize(pairs[-1][1]))
    assert grown.centroid_cosine(sims, len(pairs) - 1) == pytest.approx(expected, abs=1e-5)


def test_a_post_dated_before_the_last_indexed_one_cannot_be_appended() -> None:
    pairs = _pairs(_demo_posts())
    stored = build_index(pairs[1:], REF)
    assert not can_append(stored, [p for p, _ in pairs])  # inserted at the front
    assert not can_append(stored, [p for p, _ in pairs[1:-1]])  # one deleted


def test_corrupt_or_foreign_entries_are_not_loaded(tmp_path: Path) -> None:
    pairs = _pairs(_demo_posts()[:20])
    entry = index_cache.save(tmp_path, KEY, build_index(pairs, REF))
    postings = entry / "postings.npy"
    postings.write_bytes(postings.read_bytes()[:-16])  # truncated
    assert index_cache.load(entry) is None
    entry = index_cache.save(tmp_path, KEY, build_index(pairs, REF))
    (entry / "manifest.json").write_text("{not json", encoding="utf-8")
    assert index_cache.load(entry) is None
    entry = index_cache.save(tmp_path, KEY, build_index(pairs, REF))
    meta = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    (entry / "manifest.json").write_text(json.dumps({**meta, "format": -1}), encoding="utf-8")
    assert index_cache.load(entry) is None


def test_cache_keeps_only_the_latest_entries(tmp_path: Path) -> None:
    index = build_index(_pairs(_demo_posts()[:5]), REF)
    for counter in range(index_cache.KEEP + 3):
        index_cache.save(tmp_path, {**KEY, "posts_counter": counter}, index)
    kept = index_cache.entries(tmp_path)
    assert len(kept) == index_cache.KEEP
    assert [json.loads((e / "manifest.json").read_text())["key"]["posts_counter"] for e in kept] \
        == [5, 4, 3]  # fmt: skip
    assert not list(tmp_path.glob(".tmp-*"))


def _engine_index(path: Path) -> CorpusIndex:
    return AnalysisEngine(path, Settings(reference_posts=REF)).corpus_index()


def test_engine_caches_reuses_extends_and_rebuilds_on_disk(tmp_path: Path) -> None:
    posts = sorted(_demo_posts(), key=lambda p: (p.published, p.title, p.id))
    path = tmp_path / "history.sqlite"
    db = open_history(str(path))
    store_posts(db, posts[:-5])
    first = _engine_index(path)  # built, then cached
    assert not isinstance(first.postings, np.memmap)
    assert len(index_cache.entries(paths.index_cache_dir())) == 1
    again = _engine_index(path)  # a new session: memory-mapped from the cache
    assert isinstance(again.postings, np.memmap) and again.posts == first.posts
    store_posts(db, posts[-5:])  # newer posts: extended
    grown = _engine_index(path)
    pairs = _pairs(posts)
    _assert_same_lookups(grown, build_index(pairs, REF), {p.id: t for p, t in pairs})
    db.execute("update posts set title = 'Renamed' where id = ?", [posts[0].id])
    db.conn.commit()
    assert _engine_index(path).posts[0].title == "Renamed"  # the cached entry is stale
    db.execute("update posts set title = ? where id = ?", [posts[0].title, posts[0].id])
    db.execute("delete from posts where id = ?", [posts[3].id])  # not an append: rebuilt
    db.conn.commit()
    rebuilt = _engine_index(path)
    rest = _pairs([p for p in posts if p.id != posts[3].id])
    _assert_same_lookups(rebuilt, build_index(rest, REF), {p.id: t for p, t in rest})
    db.conn.close()


def test_engine_rebuilds_when_the_cached_entry_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    db = open_history(str(path))
    store_posts(db, list(_demo_posts()[:30]))
    db.conn.close()
    fresh = _engine_index(path)
    (entry,) = index_cache.entries(paths.index_cache_dir())
    (entry / "gram_hashes.npy").write_bytes(b"\x93NUMPY garbage")
    again = _engine_index(path)
    assert not isinstance(again.postings, np.memmap)  # rebuilt, not read from the bad entry
    assert np.array_equal(again.postings, fresh.postings)
