"""Help > Glossary: every measure in plain words, from the core glossary (one source)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the glossary reads the metric registry, which loads spaCy: not at start-up
    from desktop_app.core.metrics.glossary import Entry


def _entry_html(entry: Entry) -> str:
    unit = f"{entry.unit}; " if entry.unit else ""
    rows = (
        ("What it means", entry.meaning),
        ("What moves it", entry.moves_it),
        ("What it does not prove", entry.does_not_prove),
    )
    body = "".join(f"<p><b>{name}:</b> {html.escape(text)}</p>" for name, text in rows)
    return (
        f'<h3><a name="{html.escape(entry.key)}"></a>{html.escape(entry.label)} '
        f"<small>({html.escape(unit + entry.direction)})</small></h3>{body}"
    )


def glossary_html() -> str:
    """The glossary page as HTML (all text escaped)."""
    from desktop_app.core.metrics.glossary import AI_CAVEAT, DIVERSITY_CAVEAT, glossary

    caveats = "".join(f"<li>{html.escape(c)}</li>" for c in (DIVERSITY_CAVEAT, AI_CAVEAT))
    entries = "".join(_entry_html(e) for e in glossary())
    return f"<h2>What the measures mean</h2><ul>{caveats}</ul>{entries}"


class GlossaryDialog(QDialog):
    """A browsable glossary that can jump to one measure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary — Content Drift")
        self.resize(720, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(glossary_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def show_entry(self, key: str) -> None:
        """Scroll to the entry of `key` (a measure name, 'freshness' or 'percentile')."""
        self.browser.scrollToAnchor(key)
