"""Help > About: version, license, the pipeline in use, data and model provenance (offline)."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.core import paths

LEXICON_SUMMARY = (
    "Lexicons (models/lexicons/): AI-marker words from published studies of excess vocabulary "
    "in LLM-assisted writing (Kobak et al. 2025; Liang et al. 2024); stock phrases compiled by "
    "the Content Drift developers (MIT). Sources and caveats: models/lexicons/PROVENANCE.md."
)
NO_UPDATES = (
    "Content Drift never connects to the network: it does not check for updates. "
    "To update, install a newer release over this one; your history is kept."
)


def _ai_model_line() -> str:
    """One line on the AI-style model: version, training data, its license and CV score."""
    try:
        meta: dict[str, Any] = json.loads(
            paths.model_file("ai_style/model.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError) as exc:
        return f"AI-style model: not readable ({exc})"
    data = meta.get("training_data", {})
    auc = meta.get("metrics", {}).get("cv_roc_auc")
    return (
        f"AI-style model {meta.get('version', '?')} (models/ai_style/, made by "
        f"{meta.get('created_by', '?')}): trained on {data.get('n_texts', '?')} texts of the "
        f"{data.get('source', '?')}; license {data.get('license', '?')}; "
        f"cross-validated ROC AUC {auc}."
    )


def _items(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


def about_html(pipeline_label: str | None) -> str:
    """The About text as HTML (pipeline_label: the loaded pipeline, None while loading)."""
    pipeline = pipeline_label or "not loaded yet"
    parts = [
        f"<h2>Content Drift {html.escape(__version__)}</h2>",
        "<p>Measures whether a team's writing drifts toward generic, repetitive, AI-flavoured "
        "prose, on this computer only. MIT License, © Content Drift contributors "
        "(the LICENSE file ships with the app).</p>",
        f"<h3>Language pipeline</h3><p>In use: {html.escape(pipeline)}. The installable "
        "app bundles spaCy's English pipeline en_core_web_sm 3.8 (Explosion, MIT License).</p>",
        "<h3>Models and lexicons</h3>",
        _items([_ai_model_line(), LEXICON_SUMMARY]),
        "<h3>Demo history</h3><p>Unchanged copies of two public blogs, kept in a separate "
        "history file:</p>",
        _items(_attribution_lines()),
        f"<h3>Updates</h3><p>{html.escape(NO_UPDATES)}</p>",
    ]
    return "\n".join(parts)


class AboutDialog(QDialog):
    """A read-only page of about_html with a Close button."""

    def __init__(self, pipeline_label: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Content Drift")
        self.resize(640, 560)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(about_html(pipeline_label))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The plain text shown (tests, accessibility)."""
        return self.browser.toPlainText()


def _attribution_lines() -> list[str]:
    # imported on use: core.demo pulls in the analysis (spaCy, scikit-learn), which the window
    # must not wait for at start-up
    from desktop_app.core.demo import attribution_lines

    return attribution_lines()
