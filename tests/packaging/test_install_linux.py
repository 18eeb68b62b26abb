"""packaging/install-linux.sh puts a bundle, its menu entry and icons under a user's HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("bash") is None,
    reason="the Linux installer",
)
SCRIPT = REPO / "packaging" / "install-linux.sh"


def _fake_bundle(root: Path) -> Path:
    """A bundle-shaped folder: an executable content-drift and an _internal dir."""
    bundle = root / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "content-drift"
    exe.write_text("#!/bin/sh\necho content-drift\n", encoding="utf-8")
    exe.chmod(0o755)
    return bundle


def _install(home: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    return subprocess.run(
        ["bash", str(SCRIPT), str(bundle)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_install_puts_bundle_menu_entry_and_icons_in_home(tmp_path: Path) -> None:
    home = tmp_path / "user"
    home.mkdir()
    result = _install(home, _fake_bundle(tmp_path))
    assert result.returncode == 0, result.stderr
    dest = home / ".local" / "opt" / "content-drift"
    assert (dest / "content-drift").is_file()
    entry = (home / ".local/share/applications/content-drift.desktop").read_text(encoding="utf-8")
    assert f"Exec={dest}/content-drift %F" in entry
    assert "@BUNDLE@" not in entry
    icons = home / ".local/share/icons/hicolor"
    assert (icons / "scalable/apps/content-drift.svg").is_file()
    assert (icons / "256x256/apps/content-drift.png").is_file()
    link = home / ".local" / "bin" / "content-drift"
    assert link.is_symlink() and link.resolve() == (dest / "content-drift").resolve()


def test_install_without_a_bundle_says_so(tmp_path: Path) -> None:
    result = _install(tmp_path, tmp_path / "missing")
    assert result.returncode != 0
    assert "no bundle at" in result.stderr
