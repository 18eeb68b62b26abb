"""Text with evidence highlighted beside every metric, its percentile and the freshness index."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.metrics.dimensions import DIMENSION_LABELS
from desktop_app.gui.safe_text import rich, tooltip
from desktop_app.gui.viewmodels.analysis_display import (
    SPAN_KINDS,
    AnalysisDisplay,
    percentile_text,
)

if TYPE_CHECKING:
    from desktop_app.core.aistyle.team import AIStyleFlag
    from desktop_app.core.analysis.results import SpanReport

POST_SCHEME = "post"


def span_color(kind: str) -> QColor:
    """The highlight colour of an evidence kind."""
    return QColor(*SPAN_KINDS.get(kind, ("", (128, 128, 128, 90)))[1])


def legend_html() -> str:
    """A one-line legend of the highlight colours."""
    parts = []
    for label, (r, g, b, a) in SPAN_KINDS.values():
        parts.append(f'<span style="background-color: rgba({r},{g},{b},{a / 255:.2f})">'
                     f"&nbsp;{label}&nbsp;</span>")  # fmt: skip
    return " ".join(parts)


def ai_style_html(flag: AIStyleFlag) -> str:
    """Rich text for an AIStyleFlag: the flag (bold when flagged), threshold, false-alarm rate."""
    from desktop_app.core.aistyle.team import CAVEAT, flag_sentence

    line = escape(flag_sentence(flag))
    if flag.flagged:
        line = f"<b style='color:#b42318'>{line}</b>"
    return f"{line}<br><i>{escape(CAVEAT)}</i>"


class AnalysisView(QWidget):
    """Left: the text with spans highlighted. Right: freshness, metrics, legend, span list."""

    open_post = Signal(str)

    def __init__(self, parent: QWidget | None = None, state_key: str = "analysis") -> None:
        super().__init__(parent)
        self.state_key = state_key
        self.display: AnalysisDisplay | None = None
        self.text = QTextBrowser(openLinks=False, openExternalLinks=False)
        self.text.anchorClicked.connect(self._anchor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(self._side_panel())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _side_panel(self) -> QWidget:
        panel = QWidget()
        self.headline = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.ai_style = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.ai_style.setObjectName("aiStyleLine")
        self.ai_style.setVisible(False)
        self.metrics = QTreeWidget()
        self.metrics.setHeaderLabels(["Metric", "Value", "Unit", "Percentile"])
        self.metrics.setRootIsDecorated(True)
        self.metrics.setAlternatingRowColors(True)
        self.legend = QLabel(legend_html(), wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.spans = QListWidget()
        self.spans.currentRowChanged.connect(self.go_to_span)
        prev_button, next_button = QPushButton("◀ Previous"), QPushButton("Next ▶")
        prev_button.setShortcut("Ctrl+[")
        next_button.setShortcut("Ctrl+]")
        prev_button.clicked.connect(lambda: self.step(-1))
        next_button.clicked.connect(lambda: self.step(1))
        steps = QHBoxLayout()
        steps.addWidget(QLabel("Highlighted phrases"), 1)
        steps.addWidget(prev_button)
        steps.addWidget(next_button)
        column = QVBoxLayout(panel)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(self.headline)
        column.addWidget(self.ai_style)
        column.addWidget(self.metrics, 3)
        column.addWidget(self.legend)
        column.addLayout(steps)
        column.addWidget(self.spans, 2)
        return panel

    # -- showing --------------------------------------------------------------------------
    def show_plain(self, title: str, text: str, note: str) -> None:
        """Only the text (no analysis available): the note says why."""
        self.display = None
        self.text.setPlainText(text)
        self.headline.setText(f"<b>{rich(title)}</b><br>{rich(note)}")
        self.show_ai_style(None)
        self.metrics.clear()
        self.spans.clear()

    def show_display(self, display: AnalysisDisplay) -> None:
        """Show an analysis: headline, metric tree, highlighted text, span list."""
        self.display = display
        self.headline.setText(self._headline_html(display))
        self.show_ai_style(None)
        self._fill_metrics(display)
        self.text.setPlainText(display.text)
        self._highlight(display.spans)
        self.spans.blockSignals(True)
        self.spans.clear()
        for span in display.spans:
            self.spans.addItem(self._span_item(span))
        self.spans.blockSignals(False)

    def show_ai_style(self, flag: AIStyleFlag | None) -> None:
        """The AI-style line under the freshness index: estimate, flag, threshold, false alarms.

        `flag` is the engine's AIStyleFlag (None hides the line).
        """
        self.ai_style.setVisible(flag is not None)
        self.ai_style.setText("" if flag is None else ai_style_html(flag))

    @staticmethod
    def _headline_html(d: AnalysisDisplay) -> str:
        fresh = "–" if d.freshness is None else f"{d.freshness:.0f}"
        notes = "".join(f"<br><i>{rich(n)}</i>" for n in d.notes)
        return (
            f"<b>{rich(d.title)}</b><br><span style='font-size:20pt'><b>{fresh}</b></span> / 100 "
            "freshness index (AI-styled prose and genericness percentiles against your "
            "baseline)<br>"
            f"{d.word_count:,} words · {len(d.spans)} highlighted phrase(s) · "
            f"{rich(d.pipeline)}{notes}"
        )

    def _fill_metrics(self, d: AnalysisDisplay) -> None:
        self.metrics.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for row in d.rows:
            group = groups.get(row.dimension)
            if group is None:
                pct = percentile_text(d.dimensions.get(row.dimension))
                label = DIMENSION_LABELS.get(row.dimension, row.dimension)
                group = QTreeWidgetItem(self.metrics, [label, "", "", pct])
                group.setFirstColumnSpanned(False)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                groups[row.dimension] = group
            item = QTreeWidgetItem(group, [row.label, row.value_text(), row.unit,
                                           percentile_text(row.percentile)])  # fmt: skip
            item.setToolTip(0, tooltip(f"{row.description} ({row.better} is fresher)"))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.metrics.expandAll()
        for column in range(4):
            self.metrics.resizeColumnToContents(column)

    def _highlight(self, spans: list[SpanReport]) -> None:
        document = self.text.document()
        length = document.characterCount() - 1
        for span in spans:
            if not 0 <= span.start < span.end <= length:
                continue
            cursor = QTextCursor(document)
            cursor.setPosition(span.start)
            cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(span_color(span.kind))
            fmt.setToolTip(self._span_tooltip(span))
            if span.ref_post_id:
                fmt.setAnchor(True)
                fmt.setAnchorHref(f"{POST_SCHEME}:{span.ref_post_id}")
                fmt.setFontUnderline(True)
            cursor.mergeCharFormat(fmt)

    @staticmethod
    def _span_tooltip(span: SpanReport) -> str:
        label = SPAN_KINDS.get(span.kind, (span.kind,))[0]
        if span.ref_post_id:
            ref = span.ref_title or span.ref_post_id
            return tooltip(f"{label}: also in “{ref}” (click to open)")
        return tooltip(label)

    def _span_item(self, span: SpanReport) -> QListWidgetItem:
        item = QListWidgetItem(f"{SPAN_KINDS.get(span.kind, (span.kind,))[0]}: “{span.text}”")
        item.setBackground(span_color(span.kind))
        item.setToolTip(self._span_tooltip(span))
        return item

    # -- stepping -------------------------------------------------------------------------
    def step(self, delta: int) -> None:
        """Select the previous/next highlighted phrase."""
        count = self.spans.count()
        if count:
            self.spans.setCurrentRow((self.spans.currentRow() + delta) % count)

    def go_to_span(self, row: int) -> None:
        """Select span `row` in the text and scroll to it."""
        if self.display is None or not 0 <= row < len(self.display.spans):
            return
        span = self.display.spans[row]
        cursor = self.text.textCursor()
        cursor.setPosition(span.start)
        cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def highlighted_kinds(self) -> set[str]:
        """Kinds of the spans actually highlighted in the document (tests)."""
        found: set[str] = set()
        colors = {span_color(k).rgba(): k for k in SPAN_KINDS}
        block = self.text.document().begin()
        while block.isValid():
            for fragment_iter in _fragments(block):
                rgba = fragment_iter.charFormat().background().color().rgba()
                if fragment_iter.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                    found.add(colors.get(rgba, "?"))
            block = block.next()
        return found

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == POST_SCHEME:
            self.open_post.emit(url.path())

    def save_state(self, qs: QSettings) -> None:
        """Remember the splitter."""
        qs.setValue(f"{self.state_key}/splitter", self.splitter.saveState())

    def restore_state(self, qs: QSettings) -> None:
        """Restore the splitter."""
        value = qs.value(f"{self.state_key}/splitter")
        if value is not None:
            self.splitter.restoreState(value)


def _fragments(block: object) -> list:  # type: ignore[type-arg]
    """The text fragments of a QTextBlock."""
    out = []
    it = block.begin()  # type: ignore[attr-defined]
    while not it.atEnd():
        out.append(it.fragment())
        it += 1
    return out
