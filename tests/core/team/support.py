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


class Laptop:
    """One simulated laptop: its own home (settings) and history, driven through the CLI."""

    def __init__(self, root: Path, name: str) -> None:
        self.home = root / name / "home"
        self.db = root / name / "history.sqlite"
        self.inbox = root / name / "inbox"
        self.name = name

    def run(self, *args: str) -> int:
        """Run a CLI command as this laptop."""
        return cli.run(["--home", str(self.home), "--db", str(self.db), *args])

    def import_files(self, files: list[Path]) -> None:
        """Import demo files (copied into this laptop's inbox)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.copy(file, self.inbox / file.name)
        assert self.run("import", str(self.inbox)) == 0

    def settings(self) -> dict[str, Any]:
        """This laptop's team settings."""
        import os

        from desktop_app.core import paths

        os.environ[paths.ENV_HOME] = str(self.home)
        return team_settings_now()

    def set_setting(self, key: str, value: Any) -> None:
        """Change one setting in this laptop's settings file."""
        import dataclasses
        import os

        from desktop_app.core import paths
        from desktop_app.core.settings import save_settings

        os.environ[paths.ENV_HOME] = str(self.home)
        save_settings(dataclasses.replace(load_settings(), **{key: value}))

    def state(self) -> dict[str, Any]:
        """Posts, labels, version links and tombstones of this laptop's history."""
        return snapshot(self.db)

    def post_ids(self) -> set[str]:
        """Ids of every post this laptop holds."""
        return set(self.state()["posts"])
