"""Helpers for team tests: histories built from the demo posts, and their team state."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from desktop_app import cli
from desktop_app.core.history import open_history
from desktop_app.core.settings import load_settings
from desktop_app.core.team.local import team_settings
from tests.conftest import DEMO

BLOG = DEMO / "letsencrypt-blog"


def demo_files(start: int, stop: int) -> list[Path]:
    """Demo posts number start..stop-1 (sorted by name: by date)."""
    return sorted(BLOG.glob("*.markdown"))[start:stop]


def import_files(db: Path, files: list[Path], folder: Path) -> None:
    """Import `files` into the history at `db` through the CLI."""
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy(file, folder / file.name)
    assert cli.run(["--db", str(db), "import", str(folder)]) == 0


def snapshot(db_path: Path) -> dict[str, Any]:
    """The team-visible state of a history: posts with version links and labels, tombstones."""
    db = open_history(db_path)
    try:
        posts = {
            row[0]: tuple(row[1:])
            for row in db.execute(
                "select id, title, ai_assisted, previous_id, superseded_by from posts"
            ).fetchall()
        }
        tombstones = {r[0] for r in db.execute("select post_id from team_tombstones")}
    finally:
        db.conn.close()
    return {"posts": posts, "tombstones": tombstones}


def team_settings_now() -> dict[str, Any]:
    """The team settings in the current settings file."""
    return team_settings(load_settings())
