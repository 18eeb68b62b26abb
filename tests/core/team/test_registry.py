"""Known histories: `team switch` changes which history the app and the commands open."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.core import paths
from desktop_app.core.settings import load_settings, save_settings
from desktop_app.core.team import registry
from tests.core.team.support import demo_files, import_files


def test_switch_opens_another_history_with_its_team_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    local = paths.default_db_path()
    brand = tmp_path / "brand.sqlite"
    import_files(brand, demo_files(0, 2), tmp_path / "in")
    save_settings(dataclasses.replace(load_settings(), ai_adoption_date="2024-01-01"))
    assert cli.run(["--db", str(brand), "export-team", str(tmp_path / "b.jsonl")]) == 0
    save_settings(dataclasses.replace(load_settings(), ai_adoption_date=None))
    registry.remember("brand", brand, None, None)
    assert cli.run(["team", "switch", "brand"]) == 0
    assert paths.default_db_path() == brand.resolve()
    assert load_settings().ai_adoption_date == "2024-01-01"  # its team settings came along
    capsys.readouterr()
    assert cli.run(["team", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("  local:") and listed[1].startswith("* brand:")
    assert cli.run(["team", "switch", "local"]) == 0
    assert paths.default_db_path() == local
    assert cli.run(["team", "switch", "nope"]) == 1
    assert "no history named 'nope' (known: local, brand)" in capsys.readouterr().err
