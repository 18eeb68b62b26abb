"""Welcome page for an empty history: the three steps and ways to get started."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

STEPS_HTML = """
<h1>Welcome to Content Drift</h1>
<p>Find out, from your own published history, whether your writing is drifting toward
generic, repetitive, AI-flavoured prose.</p>
<ol>
<li><b>Import your history</b> — a folder of Markdown, HTML, text or Word files, a WordPress
export, an RSS/Atom feed or a CSV. You can also drop files or a folder anywhere on this window.</li>
<li><b>Let it analyse</b> — every post is measured for lexical diversity, repetition,
genericness and readability, against your team's own baseline. Everything stays on this
computer.</li>
<li><b>Watch the trend and check drafts</b> — the Dashboard shows each quarter against the
baseline; drop a draft on <i>Check</i> to see, in a second, how it compares and which phrases
stand out.</li>
</ol>
<p>Not ready to import yet? <b>Open the demo history</b>: 375 posts from the OpenTelemetry and
Let's Encrypt blogs, kept apart from your own history.</p>
"""


class WelcomePage(QWidget):
    """Shown while the history is empty."""

    import_folder = Signal()
    import_wordpress = Signal()
    open_demo = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = QLabel(STEPS_HTML, wordWrap=True, textFormat=Qt.TextFormat.RichText)
        text.setMaximumWidth(760)
        self.folder_button = QPushButton("Import a &folder…")
        self.folder_button.clicked.connect(self.import_folder)
        self.wordpress_button = QPushButton("Import a &WordPress export…")
        self.wordpress_button.clicked.connect(self.import_wordpress)
        self.demo_button = QPushButton("Open the &demo history")
        self.demo_button.setToolTip(
            "OpenTelemetry and Let's Encrypt blog posts (kept apart from yours)"
        )
        self.demo_button.clicked.connect(self.open_demo)
        self.demo_button.setDefault(True)
        font = self.demo_button.font()
        font.setBold(True)
        self.demo_button.setFont(font)
        buttons = QHBoxLayout()
        for button in (self.demo_button, self.folder_button, self.wordpress_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(text)
        column.addLayout(buttons)
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        outer.setContentsMargins(24, 32, 24, 24)
