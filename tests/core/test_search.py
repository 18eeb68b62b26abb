"""Search finds what was typed: exact words by default, word* prefixes, "a phrase" phrases.

Results are checked against an independent scan of the stored texts with regular expressions.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop_app.cli import run
from desktop_app.core.history.library_rows import ID, RowQuery, load_rows
from desktop_app.core.history.migrations import MIGRATIONS
from desktop_app.core.history.repository import PostFilter, list_posts, store_posts
from desktop_app.core.history.search import SYNTAX_HINT, fts_expression
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.records import Post
from tests.conftest import DEMO, HistoryAt, history_file


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "history.sqlite"
    with history_file(path) as db:
        import_paths(db, [DEMO / "letsencrypt-blog"], ImportOptions())
    return path


def _ids(db: Database, search: str, stemmed: bool = False) -> set[str]:
    return {p.id for p in list_posts(db, PostFilter(search=search, stemmed=stemmed))}


def _scan(db: Database, pattern: str) -> set[str]:
    """Ids of posts whose title or text matches `pattern` (word edges as FTS5 sees them)."""
    rx = re.compile(rf"(?<![^\W_]){pattern}(?![^\W_])", re.IGNORECASE)
    return {p.id for p in list_posts(db) if rx.search(p.title) or rx.search(p.text)}


def test_query_syntax_becomes_safe_fts5() -> None:
    assert fts_expression("generics") == '"generics"'
    assert fts_expression("collect* logs") == '"collect"* "logs"'
    assert fts_expression('"root certificate" expiry') == '"root certificate" "expiry"'
    assert fts_expression("a OR b NEAR(c)") == '"a" "OR" "b" "NEAR(c)"'
    assert fts_expression('"unbalanced ( quote') == '"unbalanced ( quote"'
    assert fts_expression('say "hi""') == '"say" "hi"'
    assert fts_expression("* - ()") == ""


def test_exact_words_by_default(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    exact = _ids(db, "certificates")
    assert exact and exact == _scan(db, "certificates")
    only_singular = _scan(db, "certificate") - _scan(db, "certificates")
    assert only_singular  # posts that say "certificate" but never "certificates"
    assert not exact & only_singular


def test_stemming_only_when_turned_on(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    stemmed = _ids(db, "certificates", stemmed=True)
    assert stemmed >= _scan(db, "certificates") | _scan(db, "certificate")
    assert stemmed > _ids(db, "certificates")


def test_prefix_and_phrase(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    assert _ids(db, "revoc*") == _scan(db, r"revoc\w*") != set()
    phrase = _ids(db, '"certificate authority"')
    assert phrase and phrase == _scan(db, r"certificate\W+authority")
    assert phrase < _ids(db, "certificate authority")  # both words anywhere: more posts


def test_library_rows_use_the_same_syntax(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    rows = load_rows(db, [], RowQuery(search='"certificate authority"'))
    assert {r[ID] for r in rows} == _scan(db, r"certificate\W+authority")
    assert {r[ID] for r in load_rows(db, [], RowQuery(search="revoc*"))} == _scan(db, r"revoc\w*")


def test_cli_search_is_exact_and_stem_widens_it(
    history: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    db = history_at(history)
    capsys.readouterr()
    assert run(["--db", str(history), "posts", "--search", "certificates", "--json"]) == 0
    exact = capsys.readouterr().out.count('"id":')
    assert exact == len(_scan(db, "certificates"))
    assert run(["--db", str(history), "posts", "--search", "certificates", "--stem", "--json"]) == 0
    assert capsys.readouterr().out.count('"id":') > exact


def test_migration_moves_an_old_history_to_exact_search(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "old.sqlite"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="m005_exact_search")
    post = Post(title="Generics", text="We wrote about generics and general ideas.", source="x")
    store_posts(old, [post])
    assert (
        old.execute("select count(*) from posts_fts where posts_fts match 'general'").fetchone()[0]
        == 1
    )
    old.conn.close()
    db = history_at(path)  # applies m005
    assert _ids(db, "generics") == {post.id} and _ids(db, "generic") == set()
    assert _ids(db, "generic", stemmed=True) == {post.id}  # the stemmed index was rebuilt
    newer = Post(title="Later", text="Generic advice, generated quickly.", source="y")
    store_posts(db, [newer])  # triggers keep both indexes in step
    assert _ids(db, "generic") == {newer.id}
    assert _ids(db, "generic", stemmed=True) == {post.id, newer.id}
    db.execute("delete from posts where id = ?", [newer.id])
    assert _ids(db, "generic", stemmed=True) == {post.id} and _ids(db, "generic") == set()


def test_the_hint_names_the_syntax() -> None:
    assert "word*" in SYNTAX_HINT and '"a phrase"' in SYNTAX_HINT
