"""Keyboard shortcuts bound to a widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def shortcut(
    keys: QKeySequence | QKeySequence.StandardKey | str, parent: QWidget, slot: Callable[[], Any]
) -> QShortcut:
    """A shortcut active while `parent` (or a child) has focus in the window."""
    item = QShortcut(QKeySequence(keys), parent)
    item.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    item.activated.connect(slot)
    return item
