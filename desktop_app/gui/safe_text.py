"""User text into Qt widgets without it being read as markup (no fake layout, images or links).

Qt guesses rich text for labels with the default format, for tooltips and for chart legends:
a post title such as ``<img src="/dev/zero">`` would make Qt load that file. Every string that
comes from the user's data goes through one of these helpers (or a plain-text label).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

__all__ = ["PLAIN", "plain_label", "plain_message_box", "rich", "tooltip"]

PLAIN = Qt.TextFormat.PlainText


def rich(text: object) -> str:
    """`text` escaped for a rich-text label or document (quotes too, for attributes)."""
    return html.escape(str(text), quote=True)


def tooltip(text: object) -> str:
    """A tooltip that shows `text` literally (Qt would read a tag-like tooltip as rich text)."""
    return f"<p>{rich(text).replace(chr(10), '<br>')}</p>"


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text as markup."""
    label = QLabel(text, parent)
    label.setTextFormat(PLAIN)
    label.setWordWrap(wrap)
    return label


def plain_message_box(box: QMessageBox) -> QMessageBox:
    """Make a message box show its main and informative text literally."""
    box.setTextFormat(PLAIN)
    return box
