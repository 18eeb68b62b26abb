"""A first launch over an empty history opens the demo; a used install or own posts do not."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core import paths
from desktop_app.gui.app import GuiArgs, first_launch, wants_demo


def test_first_launch_with_empty_history_wants_the_demo(qtbot, window_for, db_file: Path) -> None:
    paths.settings_file().unlink()  # the test fixture wrote one; a new install has none
    assert first_launch()
    window = window_for(db_file)
    assert wants_demo(GuiArgs(), first_launch(), window)
    assert not wants_demo(GuiArgs(db=db_file), True, window)  # an explicit --db is respected
    window.save_state()
    assert not first_launch()  # once the window state is saved, the app was used


def test_own_posts_or_settings_keep_the_users_history(qtbot, window_for, otel_db: Path) -> None:
    window = window_for(otel_db)
    assert not wants_demo(GuiArgs(), True, window)  # the user already has posts
    assert not first_launch()  # settings exist
    assert wants_demo(GuiArgs(demo=True), False, window)
