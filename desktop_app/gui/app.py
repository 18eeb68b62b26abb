"""Start the Qt application (minimal window until the full GUI lands)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run_gui(argv: Sequence[str]) -> int:
    """Open the main window; returns the exit code."""
    from PySide6.QtWidgets import QApplication, QListWidget

    from desktop_app.core import paths
    from desktop_app.core.history import open_history
    from desktop_app.core.history.repository import list_posts

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = QListWidget()
    window.setWindowTitle("Content Drift")
    for post in list_posts(open_history(paths.default_db_path())):
        window.addItem(f"{post.published or 'undated'}  {post.title}")
    window.resize(900, 600)
    window.show()
    return int(app.exec())
