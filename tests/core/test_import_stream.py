"""Streamed CSV/WXR import: same history as a whole-file read, chunks committed, re-import a
no-op that cleans nothing, per-row cap, bad input, cancel; built from the real demo posts."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from desktop_app.core import importer
from desktop_app.core.history.migrations import MIGRATIONS
from desktop_app.core.history.repository import remove_posts, store_posts
from desktop_app.core.importer import ImportReport, StreamProgress, import_paths
from desktop_app.core.ingest import pool
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.csvfile import read_csv
from desktop_app.core.ingest.wxr import read_wxr
from tests.benchmarks.scale_files import demo_posts, write_csv, write_wxr
from tests.conftest import DATA, HistoryAt

COLUMNS = "id, title, published, authors, url, tags, source, ai_assisted, status, word_count, text"
WHOLE = ImportOptions(max_file_bytes=1 << 30)


def _rows(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(f"select {COLUMNS} from posts order by source, id").fetchall()


def _whole_file(db: Database, posts: list[Any]) -> None:
    for start in range(0, len(posts), 200):
        store_posts(db, posts[start : start + 200])


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    """120 rows: the first two paragraphs of 40 real demo posts, three times, numbered."""
    return write_csv(tmp_path / "archive.csv", 120, demo_posts(40, paragraphs=2))


def test_streamed_csv_stores_what_a_whole_file_read_stores(
    small_csv: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    with small_csv.open("a", encoding="utf-8") as handle:  # markup and a formula, as text
        handle.write('"<b>Bold</b> =SUM(A1)",2020-01-01,Ann,,,"=HYPERLINK(""x"") real words"\n')
        handle.write("Empty,2020-01-02,Ann,,,\n")
    streamed, whole = history_at(tmp_path / "a.sqlite"), history_at(tmp_path / "b.sqlite")
    report = import_paths(streamed, [small_csv], ImportOptions())
    outcome = read_csv(small_csv, WHOLE)
    _whole_file(whole, outcome.posts)
    assert report.totals.imported == len(outcome.posts) == 121
    assert _rows(streamed) == _rows(whole)
    assert report.files[0].warnings == outcome.warnings
    assert "row 122 has no text: skipped" in outcome.warnings
    title, text = streamed.execute(
        "select title, text from posts where title like '<b>%'"
    ).fetchone()
    assert (title, text) == ("<b>Bold</b> =SUM(A1)", '=HYPERLINK("x") real words')


@pytest.mark.parametrize("include", [False, True])
def test_streamed_wxr_of_the_wordpress_test_data_equals_a_whole_file_read(
    include: bool, tmp_path: Path, history_at: HistoryAt
) -> None:
    source = DATA / "wordpress-wxr" / "themeunittestdata.wordpress.xml"
    options = ImportOptions(include_pages=include, include_drafts=include, include_private=include)
    streamed, whole = history_at(tmp_path / "a.sqlite"), history_at(tmp_path / "b.sqlite")
    report = import_paths(streamed, [source], options)
    outcome = read_wxr(source, options)
    _whole_file(whole, outcome.posts)
    assert report.totals.imported + report.totals.updated > 20
    assert _rows(streamed) == _rows(whole)
    assert report.files[0].warnings == outcome.warnings


def test_worker_processes_store_the_same_history_as_one_process(
    small_csv: Path, tmp_path: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    wxr = write_wxr(tmp_path / "archive.xml", 120, demo_posts(40, paragraphs=2))
    one, two = history_at(tmp_path / "one.sqlite"), history_at(tmp_path / "two.sqlite")
    alone = import_paths(one, [small_csv, wxr], ImportOptions(import_workers=1))
    monkeypatch.setattr(importer, "MIN_POOL_BYTES", 0)  # these small files use the workers too
    monkeypatch.setattr(pool, "MIN_POOL_ITEMS", 1)
    workers_seen: list[int] = []

    def seen(_: StreamProgress) -> None:
        workers_seen.append(len(multiprocessing.active_children()))

    pooled = import_paths(two, [small_csv, wxr], ImportOptions(import_workers=2), on_rows=seen)
    assert workers_seen and min(workers_seen) >= 1  # cleaned in worker processes
    assert _rows(one) == _rows(two)
    assert [f.warnings for f in alone.files] == [f.warnings for f in pooled.files]
    # the export holds the same posts as HTML: they clean to the same texts, so are unchanged
    assert pooled.totals == alone.totals and (alone.totals.imported, alone.totals.unchanged) == (
        120, 120)  # fmt: skip


def test_each_chunk_is_committed_as_it_is_read(
    small_csv: Path, db_file: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "STREAM_CHUNK", 50)
    db = history_at(db_file)
    seen: list[tuple[int, int, int, int]] = []

    def committed(done: StreamProgress) -> None:
        other = sqlite3.connect(db_file)  # another connection sees only committed rows
        stored = other.execute("select count(*) from posts").fetchone()[0]
        other.close()
        seen.append((done.rows, stored, done.bytes_read, done.total_bytes))

    import_paths(db, [small_csv], ImportOptions(), on_rows=committed)
    size = small_csv.stat().st_size
    assert [(rows, stored) for rows, stored, _, _ in seen] == [(50, 50), (100, 100), (120, 120)]
    assert seen[-1][2:] == (size, size)
    assert 0 < seen[0][2] <= seen[1][2] <= size


def test_cancel_keeps_the_committed_chunks_and_a_rerun_completes(
    small_csv: Path, db_file: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "STREAM_CHUNK", 50)
    db = history_at(db_file)
    progress: list[int] = []
    report = import_paths(
        db, [small_csv], ImportOptions(), cancelled=lambda: bool(progress),
        on_rows=lambda done: progress.append(done.rows),
    )  # fmt: skip
    assert report.cancelled
    stored = db.execute("select count(*) from posts").fetchone()[0]
    assert stored == sum(report.totals.__dict__.values()) and 50 <= stored < 120
    rerun = import_paths(db, [small_csv], ImportOptions())
    assert (rerun.totals.imported, rerun.totals.unchanged) == (120 - stored, stored)
    assert rerun.files[0].not_cleaned == stored
    assert db.execute("select count(distinct source), count(*) from posts").fetchone() == (120, 120)


def test_reimport_stores_nothing_and_cleans_nothing(
    small_csv: Path, db_file: Path, history_at: HistoryAt
) -> None:
    db = history_at(db_file)
    import_paths(db, [small_csv], ImportOptions())
    before = _rows(db)
    again = import_paths(db, [small_csv], ImportOptions())
    assert (again.totals.imported, again.totals.updated, again.totals.unchanged) == (0, 0, 120)
    assert again.files[0].not_cleaned == 120 and again.files[0].status == "unchanged"
    assert _rows(db) == before
    lines = small_csv.read_text(encoding="utf-8").split("\n")
    edited = [line.replace("archive entry number 7.", "archive entry number 7, revised.")
              for line in lines]  # fmt: skip
    small_csv.write_text("\n".join(edited), encoding="utf-8")
    (gone,) = db.execute("select id from posts where title like '% (9)'").fetchone()
    remove_posts(db, [gone])
    third = import_paths(db, [small_csv], ImportOptions())
    t = third.totals
    assert (t.imported, t.updated, t.unchanged) == (1, 1, 118)  # the removed post, the edit
    assert third.files[0].not_cleaned == 118


def test_a_row_over_the_per_row_cap_is_skipped_and_the_rest_continues(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    posts = demo_posts(5, paragraphs=2)
    path = write_csv(tmp_path / "big-row.csv", 5, posts)
    long_text = (posts[0].body + "\n\n") * (2 * 1024 * 1024 // len(posts[0].body))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            f'Long,2020-01-01,Ann,,,"{long_text}"\nAfter,2020-01-02,Ann,,,Words after it.\n'
        )
    db = history_at(tmp_path / "h.sqlite")
    report = import_paths(db, [path], ImportOptions(max_item_bytes=1024 * 1024))
    (file_report,) = report.files
    assert file_report.status == "imported" and report.totals.imported == 6
    assert f"row 6 is {len(long_text) / 1024**2:.1f} MB, over the per-row limit of 1.0 MB: " \
           "skipped" in file_report.warnings  # fmt: skip
    assert str(path) in file_report.line() and "row 6 is" in file_report.line()
    titles = {t for (t,) in db.execute("select title from posts")}
    assert "After" in titles and "Long" not in titles


def test_an_item_over_the_per_row_cap_is_skipped_in_a_wxr(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    posts = demo_posts(4, paragraphs=2)
    huge = posts[0].__class__(posts[0].title, posts[0].author, posts[0].body * 400)
    path = write_wxr(tmp_path / "export.xml", 4, [posts[1], huge, posts[2], posts[3]])
    report = import_paths(history_at(tmp_path / "h.sqlite"), [path],
                          ImportOptions(max_item_bytes=64 * 1024))  # fmt: skip
    assert report.totals.imported == 3
    (warning,) = [w for w in report.files[0].warnings if "per-row limit" in w]
    assert warning.startswith(f"post '{huge.title} (1)' is ") and warning.endswith(": skipped")


def test_a_field_far_over_the_cap_stops_the_file_and_keeps_the_rows_before(
    tmp_path: Path, history_at: HistoryAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "STREAM_CHUNK", 2)
    path = write_csv(tmp_path / "broken.csv", 4, demo_posts(4, paragraphs=1))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('Huge,2020-01-01,Ann,,,"' + "word " * 4000 + '"\n')
    db = history_at(tmp_path / "h.sqlite")
    report = import_paths(db, [path], ImportOptions(max_item_bytes=4096))
    (file_report,) = report.files
    assert file_report.status == "partial" and report.failed == [file_report]
    assert file_report.reason is not None
    assert file_report.reason.startswith("malformed CSV at row 5 (line ")
    assert "field larger than field limit" in file_report.reason
    assert file_report.reason.endswith("the 4 posts before it are stored")
    assert db.execute("select count(*) from posts").fetchone()[0] == 4


def test_a_truncated_wxr_keeps_the_items_before_it_and_a_rerun_completes(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    full = write_wxr(tmp_path / "full.xml", 30, demo_posts(30, paragraphs=2))
    data = full.read_bytes()
    cut = data.index(b"<item>", data.index(b"<wp:post_id>20<")) + 40  # inside item 21
    truncated = tmp_path / "export.xml"
    truncated.write_bytes(data[:cut])
    db = history_at(tmp_path / "h.sqlite")
    report = import_paths(db, [truncated], ImportOptions())
    (file_report,) = report.files
    assert file_report.status == "partial" and file_report.reason is not None
    assert file_report.reason.startswith("malformed XML (line ")
    assert report.totals.imported == 21  # items 0..20 were complete
    truncated.write_bytes(data)
    rerun = import_paths(db, [truncated], ImportOptions())
    assert (rerun.totals.imported, rerun.totals.unchanged) == (9, 21)
    assert db.execute("select count(*) from posts").fetchone()[0] == 30


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"title,text\n\x00\x01binary\x00", "binary file (contains NUL bytes), not text"),
        (b"title,body text\nA,B\n", "missing column for text"),
    ],
)
def test_unreadable_csv_is_skipped_with_the_reason(
    content: bytes, reason: str, tmp_path: Path, history_at: HistoryAt
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    good = write_csv(tmp_path / "good.csv", 3, demo_posts(3, paragraphs=1))
    report = import_paths(history_at(tmp_path / "h.sqlite"), [bad, good], ImportOptions())
    assert report.files[0].status == "skipped" and report.files[0].reason is not None
    assert report.files[0].reason.startswith(reason)
    assert report.totals.imported == 3


def test_a_cp1252_csv_is_read_as_cp1252_when_streamed(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "legacy.csv"
    text = 'title,text\nCafé,"Le café ouvre à huit heures — tous les jours."\n' * 1
    path.write_bytes(text.encode("cp1252"))
    db = history_at(tmp_path / "h.sqlite")
    report: ImportReport = import_paths(db, [path], ImportOptions())
    assert report.totals.imported == 1
    assert db.execute("select title, text from posts").fetchone() == (
        "Café", "Le café ouvre à huit heures — tous les jours."
    )  # fmt: skip


def test_a_history_made_at_m007_migrates_and_its_reimport_is_then_a_no_op(
    small_csv: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "old.sqlite"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="m008_import_fingerprints")
    assert "import_fingerprints" not in old.table_names()
    store_posts(old, read_csv(small_csv, WHOLE).posts)  # imported by the version before m008
    before = _rows(old)
    old.conn.close()
    db = history_at(path)  # opening migrates (after a backup copy)
    assert {m.name for m in MIGRATIONS.applied(db)} >= {"m008_import_fingerprints"}
    assert list(tmp_path.glob("old.sqlite.backup-*")) and _rows(db) == before
    first = import_paths(db, [small_csv], ImportOptions())  # no fingerprints yet: cleaned
    assert (first.totals.unchanged, first.files[0].not_cleaned) == (120, 0)
    second = import_paths(db, [small_csv], ImportOptions())
    assert (second.totals.unchanged, second.files[0].not_cleaned) == (120, 120)
    assert db.execute("select count(*) from import_fingerprints").fetchone()[0] == 120
    remove_posts(db, [before[0][0]])  # the m008 trigger drops a removed post's fingerprint
    assert db.execute("select count(*) from import_fingerprints").fetchone()[0] == 119
    assert _rows(db) == before[1:]


def _check_search_indexes(conn: sqlite3.Connection) -> None:
    """FTS5's own check of both search indexes against the posts (raises when they differ;
    rank 1 compares with the posts table, without it only the index's own structure)."""
    for table in ("posts_fts", "posts_fts_stemmed"):
        conn.execute(f"insert into {table} ({table}, rank) values ('integrity-check', 1)")
    conn.commit()


def _cli(db: Path, path: Path) -> list[str]:
    return [sys.executable, "-m", "desktop_app", "--db", str(db), "import", str(path)]


def test_a_killed_cli_import_keeps_its_committed_chunks_and_a_rerun_completes(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "archive.csv", 3000, demo_posts(paragraphs=1))
    db = tmp_path / "history.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(_cli(db, path), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, env=env)  # fmt: skip
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the CLI's first row-progress line: a chunk is committed
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert first.startswith("archive.csv: ") and " rows read, " in first, first
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    _check_search_indexes(conn)  # every committed post has its index entries, no other
    stored = conn.execute("select count(*) from posts").fetchone()[0]
    assert stored >= int(first.split(": ")[1].split(" rows")[0].replace(",", "")) >= 500
    assert conn.execute("select count(*) from import_fingerprints").fetchone()[0] == stored
    conn.close()
    done = subprocess.run(_cli(db, path), capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert f"imported {3000 - stored}, updated 0, unchanged {stored}," in done.stdout
    assert "archive.csv: 3,000 rows read, 100% of" in done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*), count(distinct source) from posts").fetchone() == (
        3000, 3000)  # fmt: skip
    _check_search_indexes(conn)
    conn.close()


def test_a_row_that_cannot_be_cleaned_is_named_and_the_rest_continues(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = write_csv(tmp_path / "nested.csv", 3, demo_posts(3, paragraphs=1))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            "Deep,2020-01-01,Ann,,," + "> " * 2100 + "too deep\nLast,,,,,Words at the end.\n"
        )
    report = import_paths(history_at(tmp_path / "h.sqlite"), [path], ImportOptions())
    assert report.totals.imported == 4 and report.files[0].status == "imported"
    assert any(w.startswith("row 4: Markdown nested too deeply") and w.endswith(": skipped")
               for w in report.files[0].warnings), report.files[0].warnings  # fmt: skip
