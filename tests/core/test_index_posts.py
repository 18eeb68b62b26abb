"""A corpus index loaded from the cache reads its per-post parts on demand: same answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history import open_history
from desktop_app.core.history.repository import store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.metrics import index_cache
from desktop_app.core.metrics.corpus_index import IndexedPost, build_index, order
from desktop_app.core.metrics.index_posts import LazyDates, LazyPosts, StoredStrings
from desktop_app.core.records import Post
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE

REF = 10
NEW_POST = DEMO / "letsencrypt-blog" / "2015-12-3-facebook-sponsorship.markdown"


def _stored(values: list[str]) -> StoredStrings:
    ends = np.cumsum([len(v) for v in values], dtype=np.int64)
    return StoredStrings("".join(values), ends)


def test_find_matches_whole_strings_only() -> None:
    strings = _stored(["ab", "c", "abc", "", "bc", "ab"])
    assert [strings.find(v) for v in ("ab", "c", "abc", "", "bc")] == [0, 1, 2, 3, 4]
    assert [strings.find(v) for v in ("b", "ca", "abca", "cab", "x")] == [-1] * 5
    assert strings[2] == "abc" and strings[-1] == "ab" and strings.all()[3] == ""
    with pytest.raises(IndexError):
        strings[6]


def _posts() -> list[Post]:
    """The real demo posts, the last ten made undated (they sort after every dated one)."""
    files, _ = discover_files([DEMO / "letsencrypt-blog"])
    posts = [p for f in files for p in read_file(f, ImportOptions()).posts]
    dated = sorted((p for p in posts if p.published), key=lambda p: (p.published, p.id))
    for post in dated[-10:]:
        post.published = None
    return dated


def test_loaded_index_answers_every_per_post_question_as_the_built_one(tmp_path: Path) -> None:
    pairs = order([(IndexedPost(p.id, p.title, p.published), p.text) for p in _posts()])
    built = build_index(pairs, REF)
    index_cache.save(tmp_path, {"k": 1}, built)
    loaded = index_cache.load(tmp_path / index_cache.entry_name({"k": 1}))
    assert loaded is not None and isinstance(loaded.posts, LazyPosts)
    assert isinstance(loaded.dated_dates, LazyDates) and len(built.dated_dates) < len(built)
    assert [loaded.posts[i] for i in range(len(built))] == list(built.posts)
    assert loaded.posts == built.posts and loaded.posts[-3:] == list(built.posts[-3:])
    assert dict(loaded.position) == dict(built.position)
    assert list(loaded.dated_dates) == list(built.dated_dates)
    days = [date(1999, 1, 1), date(2016, 1, 1), *(p.published for p, _ in pairs if p.published)]
    for day in days:
        assert loaded.cutoff(day) == built.cutoff(day)
    for post, _ in pairs:
        assert loaded.cutoff(None, post.id) == built.cutoff(None, post.id)
        assert loaded.position[post.id] == built.position[post.id]
    assert loaded.cutoff(None, "not-a-post") == built.cutoff(None, "not-a-post") == len(built)
    assert "not-a-post" not in loaded.position


def test_a_check_against_the_loaded_index_equals_one_against_the_built_index(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite"
    db = open_history(str(path))
    store_posts(db, _posts())
    db.conn.close()
    settings = Settings(spacy_pipeline=TEST_PIPELINE, reference_posts=REF)
    draft = read_file(NEW_POST, ImportOptions()).posts[0]
    eager = AnalysisEngine(path, settings)  # builds the index, then caches it
    assert isinstance(eager.corpus_index().posts, list)
    lazy = AnalysisEngine(path, settings)  # a new session: the cached entry
    assert isinstance(lazy.corpus_index().posts, LazyPosts)
    cited = []
    for published in (None, draft.published, date(2015, 6, 1)):
        want = eager.check_text(draft.text, draft.title, published).to_json()
        assert lazy.check_text(draft.text, draft.title, published).to_json() == want
        cited += [s["ref_title"] for s in want["spans"] if s["kind"] == "recycled"]
    assert cited and all(cited)  # evidence that names earlier posts, read from the index
