"""What every page shares: the history path, settings, the task manager and the engine factory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from desktop_app.core import settings as settings_mod
from desktop_app.core.history import open_history
from desktop_app.core.settings import Settings
from desktop_app.gui.tasks import TaskContext, TaskManager

if TYPE_CHECKING:  # the engine imports spaCy and scikit-learn: loaded on first use only
    from desktop_app.core.analysis.engine import AnalysisEngine

EngineFactory = Callable[[Path, Settings], "AnalysisEngine"]
log = logging.getLogger(__name__)


def build_engine(db_path: Path, settings: Settings) -> AnalysisEngine:
    """The analysis engine of a history (imports the analysis wing on first call)."""
    from desktop_app.core.analysis.engine import AnalysisEngine

    return AnalysisEngine(db_path, settings)


class EngineCache:
    """The analysis engine (thread-safe: it opens a connection per call), rebuilt on change."""

    def __init__(self, factory: EngineFactory) -> None:
        self.factory = factory
        self.generation = 0
        self._lock = threading.Lock()
        self._engine: tuple[tuple[int, str], AnalysisEngine] | None = None

    def invalidate(self) -> None:
        """Settings or the history file changed: the engine is rebuilt on next use."""
        self.generation += 1

    def get(self, db_path: Path, settings: Settings) -> AnalysisEngine:
        """The engine for (db_path, settings generation); built on first use."""
        key = (self.generation, str(db_path))
        with self._lock:
            if self._engine is None or self._engine[0] != key:
                self._engine = (key, self.factory(db_path, settings))
            return self._engine[1]


class AppContext(QObject):
    """Shared state of one window; emits when the history or the settings change."""

    history_changed = Signal()
    settings_changed = Signal()
    db_switched = Signal()

    def __init__(
        self,
        db_path: Path,
        engine_factory: EngineFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_path = db_path
        #: Problems found in the settings file (file and key); those keys use their defaults.
        self.settings_problems: list[str] = []
        self.settings, self.settings_problems = settings_mod.read_settings()
        for problem in self.settings_problems:
            log.warning("%s", problem)
        self.tasks = TaskManager(db_path, self)
        self.engines = EngineCache(engine_factory or build_engine)
        self._db: Database | None = None
        self.is_demo = False

    @property
    def db(self) -> Database:
        """The GUI thread's own read connection (writes go through the WRITE lane)."""
        if self._db is None:
            self._db = open_history(self.db_path)
        return self._db

    def engine(self, ctx: TaskContext) -> AnalysisEngine:
        """Worker side: the calling thread's engine (call only from a work function)."""
        del ctx  # the argument documents that this is a worker-thread call
        return self.engines.get(self.db_path, self.settings)

    def save_settings(self, new: Settings) -> None:
        """Persist settings and tell the pages (engines are rebuilt with them)."""
        settings_mod.save_settings(new)
        self.settings = new
        self.engines.invalidate()
        self.settings_changed.emit()

    def mark_history_changed(self) -> None:
        """After an import, analysis, edit or delete: pages reload (the engine notices itself)."""
        self.history_changed.emit()

    def switch_db(self, path: Path, *, demo: bool = False) -> None:
        """Show another history (the demo one, or back to the user's)."""
        self.close_db()
        self.db_path = path
        self.tasks.db_path = path
        self.is_demo = demo
        self.engines.invalidate()
        self.db_switched.emit()
        self.history_changed.emit()

    def close_db(self) -> None:
        """Close the GUI thread's connection."""
        if self._db is not None:
            self._db.conn.close()
            self._db = None
