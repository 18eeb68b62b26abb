"""The demo history: both bundled blogs in their own DB, with attribution, and a spread sample."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.demo import (
    DEMO_SOURCES,
    FIRST_PASS_EVERY,
    attribution_lines,
    build_demo_history,
    first_pass_ids,
    stored_attribution,
)
from desktop_app.core.history.repository import list_posts
from tests.conftest import HistoryAt


def test_demo_db_holds_both_blogs_and_their_attribution(
    tmp_path: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "demo.sqlite"
    count = build_demo_history(path)
    assert count > 300
    db = history_at(path)
    try:
        sources = {
            p.source.replace("\\", "/").split("/demo/")[1].split("/")[0] for p in list_posts(db)
        }
        assert sources == {"otel-blog", "letsencrypt-blog"}
        rows = {row["folder"]: row for row in stored_attribution(db)}
        assert rows["otel-blog"]["license"] == "CC-BY-4.0"
        assert rows["letsencrypt-blog"]["license"] == "MPL-2.0"
        for source in DEMO_SOURCES:
            assert (paths.resource_file("demo") / source.license_file).is_file()
        sample = first_pass_ids(db)
        picked = {p.id: p.published for p in list_posts(db) if p.id in set(sample)}
    finally:
        db.conn.close()
    assert build_demo_history(path) == count  # a second open does not import again
    assert count // FIRST_PASS_EVERY <= len(sample) <= count // FIRST_PASS_EVERY + 1
    dates = sorted(d for d in picked.values() if d)
    # the first-pass sample spans the history: baseline years and the latest quarters
    assert dates[0] < date(2020, 1, 1) and dates[-1] >= date(2024, 1, 1)


def test_the_users_history_has_no_demo_attribution(db_file: Path, history_at: HistoryAt) -> None:
    db = history_at(db_file)
    assert stored_attribution(db) == []
    db.conn.close()
    assert any("Let's Encrypt" in line and "MPL-2.0" in line for line in attribution_lines())
