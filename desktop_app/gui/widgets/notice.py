"""A centred, word-wrapped notice for empty and 'not available yet' states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class Notice(QLabel):
    """Muted explanatory text shown in place of content that cannot be shown."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # notices carry error texts
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setForegroundRole(self.foregroundRole().PlaceholderText)
        self.setMargin(24)
