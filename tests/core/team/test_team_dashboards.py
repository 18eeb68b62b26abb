"""Done when: two histories synced through a real server, and two exchanged by merge file,
show identical dashboards (`trends --json`) built from the same posts, labels and settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer
from tests.core.team.support import Laptop, demo_files
from tests.core.team.test_pg_sync import _connect

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _trends(laptop: Laptop, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert laptop.run("analyze") == 0
    capsys.readouterr()
    assert laptop.run("trends", "--json") == 0
    return json.loads(capsys.readouterr().out)


def _diverge(a: Laptop, b: Laptop) -> None:
    """Different posts, a label and a team setting on each side."""
    a.import_files(demo_files(0, 24))
    b.import_files(demo_files(12, 36))
    assert a.run("label", sorted(a.post_ids())[0], "yes") == 0
    assert b.run("label", sorted(b.post_ids())[-1], "yes") == 0
    a.set_setting("ai_adoption_date", "2016-01-01")
    b.set_setting("baseline_end", "2015-07-01")


def test_server_route_gives_identical_dashboards(
    pg_server: PgServer, team_db: str, pgpass: Path, tmp_path: Path, capsys
):
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    _diverge(a, b)
    assert _connect(a, pg_server, team_db) == 0
    assert _connect(b, pg_server, team_db, "--join") == 0
    for laptop in (a, b, a):
        assert laptop.run("sync") == 0
    assert a.state() == b.state() and len(a.post_ids()) == 36
    assert a.settings() == b.settings()
    assert a.settings()["ai_adoption_date"] == "2016-01-01"
    assert a.settings()["baseline_end"] == "2015-07-01"
    trends_a, trends_b = _trends(a, capsys), _trends(b, capsys)
    assert trends_a["periods"] and trends_a == trends_b


def test_merge_file_route_gives_identical_dashboards(tmp_path: Path, capsys):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    _diverge(a, b)
    for source, target in ((a, b), (b, a)):
        file = tmp_path / f"{source.name}.jsonl"
        assert source.run("export-team", str(file)) == 0
        assert target.run("merge", str(file)) == 0
    assert a.state() == b.state() and len(a.post_ids()) == 36
    assert a.settings() == b.settings()
    trends_a, trends_b = _trends(a, capsys), _trends(b, capsys)
    assert trends_a["periods"] and trends_a == trends_b
