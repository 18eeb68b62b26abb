"""Python's cyclic garbage collection on the GUI thread only.

A Qt widget caught in a Python reference cycle (a lambda slot that captures `self`, say) is
destroyed when the cycle is collected. If that happens on a worker thread, Qt destroys a widget
off its thread and the process can crash. So automatic collection is switched off and a timer
on the GUI thread collects each generation once its threshold is passed, as Anki does
(qt/aqt/__init__.py, GarbageCollector).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadCollector(QObject):
    """Owns the timer; create it once, on the GUI thread, after the QApplication."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(INTERVAL_MS)

    def collect(self) -> int:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        found = 0
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                found += gc.collect(generation)
                break
        return found

    def stop(self) -> None:
        """Give collection back to Python (tests, shutdown)."""
        self.timer.stop()
        gc.enable()
