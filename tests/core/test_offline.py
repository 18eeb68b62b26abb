"""Offline guarantee: import, analyse, check, trends and reports open no network connection."""

from __future__ import annotations

import _socket
import json
import shutil
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import run
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.report import build_report, render_html, rows_to_csv
from desktop_app.core.settings import load_settings
from tests.conftest import DEMO, HistoryAt, history_file

SOURCE = DEMO / "letsencrypt-blog"
#: Audit events that mean a network attempt (checked at the C level, whatever the caller).
NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"}
_ARMED: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _ARMED:
        return
    inet = (socket.AF_INET, socket.AF_INET6)
    if event == "socket.__new__" and len(args) > 1 and args[1] in inet:
        _ARMED[-1].append(f"{event}{args[1:]}")
    elif event in NET_EVENTS and not (len(args) > 1 and isinstance(args[1], (str, bytes))):
        _ARMED[-1].append(f"{event}{args[1:]}")  # a str/bytes address is a local Unix socket


sys.addaudithook(_audit)  # hooks cannot be removed; it records only while a test arms it


def _recorder(attempts: list[str], name: str) -> Callable[..., Any]:
    def record(*args: Any, **kwargs: Any) -> Any:
        attempts.append(f"{name}{args[1:] if name.endswith('connect') else args}")
        raise OSError(f"network access attempted ({name}) during the offline test")

    return record


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every network attempt made while the test runs (socket patches + audit hook)."""
    found: list[str] = []
    monkeypatch.setattr(socket.socket, "connect", _recorder(found, "socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", _recorder(found, "socket.connect_ex"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, _recorder(found, f"socket.{name}"))
    _patch_nltk(monkeypatch, found)
    _ARMED.append(found)
    try:
        yield found
    finally:
        _ARMED.remove(found)


def _patch_nltk(monkeypatch: pytest.MonkeyPatch, found: list[str]) -> None:
    """textstat calls nltk.download('cmudict'): record any call to it."""
    try:
        import nltk
        import nltk.downloader
    except ImportError:
        return
    monkeypatch.setattr(nltk, "download", _recorder(found, "nltk.download"))
    monkeypatch.setattr(nltk.downloader, "download", _recorder(found, "nltk.download"))
    monkeypatch.setattr(
        nltk.downloader.Downloader, "download", _recorder(found, "Downloader.download")
    )


def _subset(folder: Path) -> list[Path]:
    """Every eighth Let's Encrypt post (15 posts, 2014 to 2025)."""
    folder.mkdir()
    chosen = sorted(SOURCE.glob("*.m*"), key=lambda p: p.name)[::8]
    return [Path(shutil.copy(p, folder / p.name)) for p in chosen]


def _latest_quarter(db_path: Path) -> str:
    with history_file(db_path) as db:
        row = db.execute("select max(published) from posts").fetchone()
    year, month = int(row[0][:4]), int(row[0][5:7])
    return f"{year}Q{(month - 1) // 3 + 1}"


def test_recorder_catches_a_real_attempt(attempts: list[str]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - blocked by pytest-socket or our patch
        socket.create_connection(("example.com", 80), timeout=1)
    assert attempts and attempts[0].startswith("socket.create_connection")
    raw = _socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # below pytest-socket's guard
    raw.close()
    assert any(a.startswith("socket.__new__") for a in attempts)  # the audit hook saw it


def test_whole_flow_opens_no_connection(
    tmp_path: Path,
    attempts: list[str],
    capsys: pytest.CaptureFixture[str],
    history_at: HistoryAt,
) -> None:
    files = _subset(tmp_path / "posts")
    db = tmp_path / "history.sqlite"
    base = ["--db", str(db)]
    assert run([*base, "import", str(tmp_path / "posts")]) == 0
    assert run([*base, "analyze"]) == 0
    capsys.readouterr()
    assert run([*base, "check", "--json", str(files[-1])]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["word_count"] > 100
    assert run([*base, "trends", "--json", "--split", "ai"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"]
    quarter = _latest_quarter(db)
    report_dir = tmp_path / "report"
    cli = [*base, "report", "--quarter", quarter, "--format", "html,csv", "--out", str(report_dir)]
    assert run(cli) == 0
    assert (report_dir / f"content-drift-{quarter}.html").stat().st_size > 10_000
    report = build_report(history_at(db), load_settings(), quarter)
    assert "<svg" in render_html(report) and rows_to_csv(report.post_rows).count("\n") >= 2
    result = AnalysisEngine(db, load_settings()).check_text(files[0].read_text(encoding="utf-8"))
    assert result.history_posts == len(files) and result.metrics
    assert attempts == []
