"""Settings -> Team: background sync with one status line, against a real server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.core.history import open_history
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.team.secrets import parse_spec
from desktop_app.core.team.sync import link
from desktop_app.gui.context import AppContext
from desktop_app.gui.pages.team_page import TeamPage
from tests.core.team.conftest import new_server, pg_server, pgpass, team_db  # noqa: F401
from tests.core.team.pg_server import PASSWORD, SUPERUSER, PgServer
from tests.core.team.support import demo_files

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _history(tmp_path: Path, server: PgServer | None = None, db: str = "postgres") -> Path:
    path = tmp_path / "history.sqlite"
    folder = tmp_path / "posts"
    folder.mkdir()
    for file in demo_files(0, 5):
        (folder / file.name).write_bytes(file.read_bytes())
    history = open_history(path)
    import_paths(history, [folder], ImportOptions())
    if server is not None:
        spec, password = parse_spec(server.dsn(db=db))
        link(history, spec, "brand-a", password=password)
    history.conn.close()
    return path


def _page(qtbot, path: Path) -> TeamPage:
    app = AppContext(path)
    page = TeamPage(app)
    qtbot.addWidget(page)
    page.show()
    return page


def _no_dialog() -> bool:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    return QApplication.activeModalWidget() is None and not any(b.isVisible() for b in boxes)


def test_local_history_says_so_and_cannot_sync(qtbot, tmp_path):
    page = _page(qtbot, _history(tmp_path))
    assert "local only" in page.status.text()
    assert not page.sync_button.isEnabled()


def test_sync_button_syncs_in_the_background(qtbot, tmp_path, pg_server, team_db, pgpass):  # noqa: F811
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    page = _page(qtbot, _history(tmp_path, pg_server, team_db))
    assert page.sync_button.isEnabled()
    with qtbot.waitSignal(page.sync_finished, timeout=30_000) as blocker:
        page.sync_button.click()
    assert blocker.args[0].startswith("synced: sent 5 change(s)")
    assert page.status.text() == blocker.args[0]
    with psycopg.connect(pg_server.dsn(db=team_db)) as conn:
        count = conn.execute("select count(*) from content_drift.changes").fetchone()
    assert count == (5,)


def test_server_down_is_one_status_line_and_no_dialog(qtbot, tmp_path, pgpass):  # noqa: F811
    with new_server() as server:
        pgpass.write_text(f"127.0.0.1:{server.port}:*:{SUPERUSER}:{PASSWORD}\n")
        path = _history(tmp_path, server)
        server.stop("immediate")
        page = _page(qtbot, path)
        with qtbot.waitSignal(page.sync_finished, timeout=30_000) as blocker:
            page.sync_button.click()
        line = blocker.args[0]
        assert line.startswith("Team: cannot reach the team server") and "\n" not in line
        assert _no_dialog()
        page._changed()  # a label change right after: no retry storm while the server is down
        assert not page._timer.isActive()


def test_a_change_to_the_history_starts_a_sync_by_itself(
    qtbot,
    tmp_path,
    pg_server,  # noqa: F811
    team_db,  # noqa: F811
    pgpass,  # noqa: F811
):
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n")
    page = _page(qtbot, _history(tmp_path, pg_server, team_db))
    with qtbot.waitSignal(page.sync_finished, timeout=30_000) as blocker:
        page.app.mark_history_changed()  # what an import or a label change emits
    assert blocker.args[0].startswith("synced: sent 5 change(s)")
