"""models/MANIFEST lists the sha256 of every model file; a changed model must update it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_manifest", REPO / "scripts" / "build_manifest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_matches_the_model_files() -> None:
    manifest = (REPO / "models" / "MANIFEST").read_text(encoding="utf-8")
    assert manifest == _script().manifest_text(), (
        "models/ changed: run .venv/bin/python scripts/build_manifest.py"
    )
    listed = {line.split("  ", 1)[1] for line in manifest.splitlines()}
    assert {"ai_style/model.json", "ai_style/weights.npz", "lexicons/ai_markers.txt"} <= listed


def test_a_changed_model_file_changes_the_manifest(tmp_path: Path) -> None:
    script = _script()
    root = tmp_path / "models"
    (root / "lexicons").mkdir(parents=True)
    source = REPO / "models" / "lexicons" / "ai_markers.txt"
    copy = root / "lexicons" / "ai_markers.txt"
    copy.write_bytes(source.read_bytes())
    before = script.manifest_text(root)
    assert before.split("  ")[0] == script.sha256(source)
    copy.write_bytes(source.read_bytes() + b"synergy\n")
    assert script.manifest_text(root) != before
