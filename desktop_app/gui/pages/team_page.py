"""Settings -> Team: connect this history to a team store, sync in the background with one
status line, switch between known histories, merge files, and the overruled changes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import settings as settings_mod
from desktop_app.core.team import registry
from desktop_app.core.team.apply import ApplyResult
from desktop_app.core.team.local import get_state
from desktop_app.core.team.mergefile import MergeFileError, export_team, merge_file
from desktop_app.core.team.secrets import ConnectionSpecError, parse_spec, store_password

if TYPE_CHECKING:
    from desktop_app.core.team.sync import SyncReport
from desktop_app.gui.context import AppContext
from desktop_app.gui.safe_text import plain_label
from desktop_app.gui.tasks import Lane, TaskContext, TaskFailure

#: Auto-syncs after a change wait this long, so a burst of edits is one sync.
SYNC_DELAY_MS = 1500
#: After a failed sync (server down), automatic syncs pause this long; the button still works.
BACKOFF_S = 60.0


def _known_errors() -> tuple[type[BaseException], ...]:
    """The failures shown as one plain line (the sync module loads psycopg: not at start-up)."""
    from desktop_app.core.team.sync import SyncError

    return (SyncError, MergeFileError, ConnectionSpecError, OSError)


def _shown(value: str) -> str:
    data: Any = json.loads(value)
    if isinstance(data, bool) or data is None:
        return {True: "yes", False: "no", None: "not set"}[data]
    return value


def team_summary(line: str) -> str:
    """A sync status line shortened for the window's status bar."""
    if line.startswith("synced:"):
        return "Team " + line.split(" (")[0]
    return line if len(line) <= 90 else line[:89] + "…"


class TeamPage(QWidget):
    """The team part of the settings; every server call runs on the history-writer lane."""

    #: a sync (or connect/merge) finished: the status line text
    sync_finished = Signal(str)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._syncing = False
        self._own_change = False
        self._paused_until = 0.0
        self._timer = QTimer(self, singleShot=True, interval=SYNC_DELAY_MS)
        self._timer.timeout.connect(self.sync_now)
        self._build()
        self.refresh()
        app.history_changed.connect(self._changed)
        app.settings_changed.connect(self._changed)
        app.db_switched.connect(self.refresh)

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._server_group())
        layout.addWidget(self._histories_group())
        layout.addWidget(self._conflicts_group())

    def _server_group(self) -> QGroupBox:
        group = QGroupBox("Team: sync through a PostgreSQL server, or merge files")
        form = QFormLayout(group)
        self.link_label = plain_label()
        self.link_label.setWordWrap(True)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Team sync status")
        form.addRow("This history:", self.link_label)
        form.addRow("Last sync:", self.status)
        self.url = QLineEdit(placeholderText="postgresql://you@db.example.com/teams")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in a file")
        self.team = QLineEdit(placeholderText="e.g. brand-a")
        self.verify = QCheckBox("Check the server certificate (verify-full)")
        connect = QPushButton("&Connect")
        connect.clicked.connect(self.connect_team)
        self.sync_button = QPushButton("S&ync now")
        self.sync_button.clicked.connect(self.sync_now)
        export = QPushButton("Export team file…")
        export.clicked.connect(self.export_file)
        merge = QPushButton("Merge team file…")
        merge.clicked.connect(self.merge_file_dialog)
        row = QHBoxLayout()
        for button in (connect, self.sync_button, export, merge):
            row.addWidget(button)
        form.addRow("Server:", self.url)
        form.addRow("Password:", self.password)
        form.addRow("Team history:", self.team)
        form.addRow("", self.verify)
        form.addRow(row)
        return group

    def _histories_group(self) -> QGroupBox:
        group = QGroupBox("Histories on this laptop")
        column = QVBoxLayout(group)
        self.histories = QListWidget()
        self.histories.setMaximumHeight(110)
        switch = QPushButton("Open the selected history")
        switch.clicked.connect(self.switch_history)
        column.addWidget(self.histories)
        column.addWidget(switch)
        return group

    def _conflicts_group(self) -> QGroupBox:
        group = QGroupBox("Overruled changes (a later change from another laptop won)")
        column = QVBoxLayout(group)
        self.conflicts = QListWidget()
        self.conflicts.setMaximumHeight(130)
        column.addWidget(self.conflicts)
        return group

    # -- state ----------------------------------------------------------------------------
    def linked(self) -> bool:
        """Whether the open history syncs with a team store."""
        return get_state(self.app.db, "server") is not None

    def refresh(self) -> None:
        """Reload the link, known histories and overruled changes from the history."""
        server, team = get_state(self.app.db, "server"), get_state(self.app.db, "team")
        self.sync_button.setEnabled(server is not None)
        if server:
            self.link_label.setText(f"syncs with team history {team!r} on {server}")
            if not self._syncing and not self.status.text():
                self.status.setText("not synced yet in this window")
        else:
            self.link_label.setText("local only (not connected to a team)")
            self.status.setText("This history is local only (not connected to a team).")
        self.histories.clear()
        shown = self.app.db_path.resolve()
        for h in registry.known_histories():
            where = f"team {h.team!r}" if h.server else "local"
            mark = "● " if h.db.resolve() == shown else ""
            self.histories.addItem(f"{mark}{h.name} ({where}): {h.db}")
        self.conflicts.clear()
        rows = self.app.db.execute(
            "select kind, key, winner_value, winner_laptop, winner_at, loser_value, "
            "loser_laptop, loser_at from team_conflicts order by id desc limit 200"
        ).fetchall()
        for kind, key, win, win_by, win_at, lose, lose_by, lose_at in rows:
            what = f"AI-assisted (post {key})" if kind == "label" else key
            self.conflicts.addItem(
                f"{what} = {_shown(lose)}, set on {lose_by} at {lose_at[11:16]} UTC "
                f"{lose_at[:10]}; overruled from {win_by} at {win_at[11:16]} UTC {win_at[:10]} "
                f"(now {_shown(win)})"
            )

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.sync_finished.emit(text)

    # -- actions --------------------------------------------------------------------------
    def _changed(self) -> None:
        if self._own_change or time.monotonic() < self._paused_until:
            return  # our own reload, or the server was just found down: no retry storm
        if self.linked():
            self._timer.start()

    def sync_if_linked(self) -> None:
        """Start a background sync when the history is connected to a team (app start)."""
        if self.linked():
            self.sync_now()

    def sync_now(self) -> None:
        """Sync in the background; the outcome is one status line."""
        if self._syncing:
            self._timer.start()  # one more after this one
            return
        self._syncing = True
        self.status.setText("Syncing with the team…")
        settings = self.app.settings

        def work(ctx: TaskContext) -> SyncReport:
            from desktop_app.core.team.sync import sync

            return sync(ctx.db(), settings, lambda _s, d, t: ctx.progress(d, t or 0, "team"))

        self.app.tasks.run(work, self._synced, label="Team sync", lane=Lane.WRITE,
                           on_error=self._failed)  # fmt: skip

    def _synced(self, report: SyncReport | None) -> None:
        self._syncing = False
        self._paused_until = 0.0
        if report is None:
            return self._set_status("Team sync cancelled; it resumes at the next sync.")
        a = report.applied
        if report.received:
            self._reload_after_pull(bool(a.settings))
        self.refresh()
        return self._set_status(report.line())

    def _reload_after_pull(self, settings_changed: bool) -> None:
        self._own_change = True
        try:
            if settings_changed:
                self.app.settings, _ = settings_mod.read_settings()
                self.app.engines.invalidate()
                self.app.settings_changed.emit()
            self.app.mark_history_changed()
        finally:
            self._own_change = False

    def _failed(self, failure: TaskFailure) -> None:
        self._syncing = False
        self._paused_until = time.monotonic() + BACKOFF_S
        if isinstance(failure.error, _known_errors()):
            self._set_status(f"Team: {failure.error}")
        else:
            self._set_status(f"Team sync failed unexpectedly: {failure.error!r}")

    def connect_team(self) -> None:
        """Create or join the named team history on the server (background)."""
        try:
            spec, in_url = parse_spec(self.url.text().strip(), self.verify.isChecked())
        except ConnectionSpecError as exc:
            return self._set_status(f"Team: {exc}")
        team = self.team.text().strip()
        if not team:
            return self._set_status("Team: give the team history a name")
        password = self.password.text() or in_url
        db_path = self.app.db_path

        def work(ctx: TaskContext) -> bool:
            from desktop_app.core.team.sync import link

            writer = link(ctx.db(), spec, team, password=password)
            if password:
                store_password(spec, password)
            registry.remember(team, db_path, spec.conninfo, team)
            return writer

        def done(writer: bool) -> None:
            self.password.clear()
            self.refresh()
            role = "editor" if writer else "read-only viewer"
            self._set_status(f"Connected to team history {team!r} as {role}; syncing…")
            self.sync_now()

        self.app.tasks.run(work, done, label="Connect to team", lane=Lane.WRITE,
                           on_error=self._failed)  # fmt: skip
        return None

    def switch_history(self) -> None:
        """Open the selected known history in this window."""
        row = self.histories.currentRow()
        known = registry.known_histories()
        if not 0 <= row < len(known):
            return
        chosen = registry.switch(known[row].name)
        self.app.switch_db(chosen.db)
        self.status.setText("")
        self.refresh()

    def export_file(self, path: str | None = None) -> None:
        """Write the team merge file (background)."""
        target = (
            path
            or QFileDialog.getSaveFileName(
                self, "Export team file", "team.jsonl", "Team files (*.jsonl *.gz)"
            )[0]
        )
        if not target:
            return
        settings = self.app.settings

        def work(ctx: TaskContext) -> str:
            s = export_team(ctx.db(), Path(target), settings)
            return f"Wrote {s.path}: {s.posts} post(s), {s.settings} team setting(s)"

        self.app.tasks.run(work, self._set_status, label="Export team file", lane=Lane.WRITE,
                           on_error=self._failed)  # fmt: skip

    def merge_file_dialog(self, path: str | None = None) -> None:
        """Merge a team merge file (background)."""
        source = (
            path
            or QFileDialog.getOpenFileName(
                self, "Merge team file", "", "Team files (*.jsonl *.gz)"
            )[0]
        )
        if not source:
            return
        settings = self.app.settings

        def work(ctx: TaskContext) -> ApplyResult:
            return merge_file(ctx.db(), Path(source), settings)

        def done(r: ApplyResult) -> None:
            self._reload_after_pull(bool(r.settings))
            self.refresh()
            self._set_status(f"Merged {source}: {r.posts} new post(s), {r.labels} label(s), "
                             f"{r.removed} removal(s), {r.conflicts} overruled")  # fmt: skip

        self.app.tasks.run(work, done, label="Merge team file", lane=Lane.WRITE,
                           on_error=self._failed)  # fmt: skip
