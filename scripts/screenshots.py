"""Drive the main window over the imported + analysed OpenTelemetry blog and save screenshots.

Usage: CONTENT_DRIFT_HOME=/tmp/cd-shots DISPLAY=:99 .venv/bin/python scripts/screenshots.py [OUT]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from desktop_app.core import paths
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.history import open_history
from desktop_app.core.history.repository import count_posts
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.settings import load_settings
from desktop_app.gui.app import application
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.pages.post_dialog import PostDialog

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "resources/demo/otel-blog/2025/sampling-milestones.md"


def prepare(db_path: Path) -> None:
    """Import and analyse the otel blog once."""
    db = open_history(db_path)
    if count_posts(db) == 0:
        print(import_paths(db, [REPO / "resources/demo/otel-blog"], ImportOptions()).summary_line())
    db.conn.close()
    report = AnalysisEngine(db_path, load_settings()).analyze_posts(None)
    print(f"analysed {report.analyzed} of {report.total}")


def wait(condition: Callable[[], bool], timeout_ms: int = 120_000) -> None:
    """Process events until `condition()` or the timeout."""
    loop, waited = QEventLoop(), 0
    while not condition() and waited < timeout_ms:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50


def settle(ms: int = 600) -> None:
    """Let layouts and charts finish painting."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: Path) -> int:
    """Take one PNG per page (and Check with an article) into `out`."""
    app = application()
    db_path = paths.default_db_path()
    prepare(db_path)
    window = MainWindow(AppContext(db_path))
    window.resize(1400, 900)
    window.show()
    loaded: list[bool] = []
    window.dashboard.loaded.connect(lambda: loaded.append(True))
    window.start_background()
    wait(lambda: bool(loaded) and window.app.tasks.is_idle())
    out.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(["dashboard", "library", "check", "reports", "settings"]):
        window.show_page(number)
        if name == "reports" and window.reports.quarter.count():
            window.reports.quarter.setCurrentIndex(1)
            window.reports.preview()
            wait(lambda: window.reports.browser.toPlainText() != "")
        settle()
        window.grab().save(str(out / f"{name}.png"))
    page = window.settings_page
    page.scroll_area.ensureWidgetVisible(page.team)
    settle()
    window.grab().save(str(out / "settings-team.png"))
    window.show_page(2)
    done: list[bool] = []
    window.check.checked.connect(lambda _c: done.append(True))
    window.check.check_file(ARTICLE)
    wait(lambda: bool(done))
    window.check.view.step(1)
    settle()
    window.grab().save(str(out / "check-article.png"))
    narrow_library_and_post_dialog(window, out)
    print(f"screenshots in {out}")
    if "--keep-open" in sys.argv:
        return int(app.exec())
    window.close()
    return 0


def narrow_library_and_post_dialog(window: MainWindow, out: Path) -> None:
    """The Library at 1280 px wide, and one post's analysis dialog."""
    window.resize(1280, 800)
    window.show_page(1)
    settle()
    window.grab().save(str(out / "library-1280.png"))
    dialog = PostDialog(window.app, window.library.model.post_id(0), window)
    dialog.show()
    wait(lambda: dialog.view.display is not None)
    settle()
    dialog.grab().save(str(out / "post-dialog.png"))
    dialog.close()
    window.resize(1400, 900)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main(Path(args[0]) if args else REPO / "docs" / "screenshots"))
