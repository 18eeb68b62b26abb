"""Library rows (core, shared by the GUI table and `content-drift library`) on a real history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.library_rows import (
    AI,
    ID,
    METRICS_START,
    PUBLISHED,
    TAGS,
    RowQuery,
    load_rows,
    quarters,
)
from desktop_app.core.history.metrics_repo import stored_values
from desktop_app.core.history.repository import set_ai_assisted, set_tags
from tests.conftest import HistoryAt, copy_history
from tests.core.analysis_support import SUBSET, build_analyzed

METRICS = ["mtld", "sameness_knn", "ai_style_probability"]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_analyzed(tmp_path_factory.mktemp("library"))


@pytest.fixture
def history(analysed: Path, tmp_path: Path) -> Path:
    return copy_history(analysed, tmp_path / "copy.sqlite")


def test_rows_pivot_the_stored_values_newest_first(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    rows = load_rows(db, METRICS)
    assert len(rows) == len(SUBSET)
    dates = [r[PUBLISHED] for r in rows]
    assert dates == sorted(dates, reverse=True)
    for row in rows:
        stored = stored_values(db, row[ID])
        assert row[METRICS_START:] == [stored[m].value for m in METRICS]


def test_search_tag_and_ai_filters_narrow_the_rows(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    every = load_rows(db, [])
    found = load_rows(db, [], RowQuery(search="ninety"))  # only "Why ninety-day lifetimes"
    assert 0 < len(found) < len(every)
    assert len(load_rows(db, [], RowQuery(search="nine*"))) >= len(found)  # word*: a prefix
    first, second = every[0][ID], every[1][ID]
    set_tags(db, first, ["Launch", "PKI"])
    set_ai_assisted(db, second, True)
    assert [r[ID] for r in load_rows(db, [], RowQuery(tag="launch"))] == [first]
    flagged = load_rows(db, [], RowQuery(ai_assisted=True))
    assert [r[ID] for r in flagged] == [second] and flagged[0][AI] is True
    assert len(load_rows(db, [], RowQuery(ai_assisted=False))) == len(every) - 1
    assert next(r for r in load_rows(db, []) if r[ID] == first)[TAGS] == ["Launch", "PKI"]


def test_cli_library_json_matches_the_rows(
    history: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    capsys.readouterr()
    args = ["--db", str(history), "library", "--json", "--search", "ninety"]
    assert run([*args, *[x for m in METRICS for x in ("--metric", m)]]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = load_rows(history_at(history), METRICS, RowQuery(search="ninety"))
    assert [d["id"] for d in data] == [r[ID] for r in rows]
    assert [list(d["metrics"].values()) for d in data] == [r[METRICS_START:] for r in rows]
    assert run(["--db", str(history), "library", "--metric", "no_such_metric"]) == 1
    assert "unknown metric(s): no_such_metric" in capsys.readouterr().err


def _quarter(published: str) -> str:
    return f"{published[:4]}Q{(int(published[5:7]) + 2) // 3}"


def test_quarters_are_those_with_an_analysed_post(history: Path, history_at: HistoryAt) -> None:
    db = history_at(history)
    sql = "select id, published from posts where published is not null and superseded_by is null"
    dated = db.execute(sql).fetchall()
    every = sorted({_quarter(p) for _, p in dated}, reverse=True)
    assert len(every) >= 2 and quarters(db) == every
    newest = every[0]
    unanalysed = [(i,) for i, p in dated if _quarter(p) == newest]
    with db.conn:
        db.conn.executemany("delete from metric_values where post_id = ?", unanalysed)
    assert quarters(db) == every[1:]  # imported but not analysed: nothing to report on
