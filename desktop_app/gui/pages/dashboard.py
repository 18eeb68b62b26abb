"""Dashboard: a card per dimension, the main trend chart with its verdict, posts per period."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history.repository import PostFilter, list_posts
from desktop_app.gui.context import AppContext
from desktop_app.gui.safe_text import tooltip as safe_tooltip
from desktop_app.gui.tasks import TaskContext, TaskFailure
from desktop_app.gui.widgets.charts import Sparkline, TrendChart
from desktop_app.gui.widgets.notice import Notice

if TYPE_CHECKING:
    from desktop_app.gui.viewmodels.dashboard import AIStyleSummary, Card, ChartData

SPLITS: list[tuple[str, str | None]] = [
    ("No split", None), ("AI-assisted vs not", "ai"),
    ("AI-styled (estimated) vs not", "ai-style"), ("By author", "author"), ("By tag", "tag"),
]  # fmt: skip


CardsResult = tuple[list[tuple[str, str]], list["Card"], "AIStyleSummary | None", str]


def _signed(value: float | None, other: float | None) -> str:
    if value is None or other is None:
        return "–"
    delta = value - other
    return f"{'+' if delta >= 0 else '−'}{abs(delta):.0f}"


#: Colour-blind safe (Okabe-Ito blue / vermillion), readable on light and dark backgrounds;
#: the word and the arrow say the same, so colour is never the only cue.
TONES = {"better": ("▲ fresher", "#0072B2"), "worse": ("▼ less fresh", "#D55E00")}
#: The glossary entry a card's "?" opens: the card's own key (a dimension or 'freshness').
GLOSSARY_KEYS: dict[str, str] = {}
#: A card moves off "about the same" when it is this many percentile points from its baseline.
CARD_CALL = 10


def card_tone(card: Card) -> str:
    """'better', 'worse' or 'neutral': the quarter against the baseline's level."""
    if card.now is None or card.baseline is None:
        return "neutral"
    delta = card.now - card.baseline
    return "better" if delta >= CARD_CALL else "worse" if delta <= -CARD_CALL else "neutral"


def help_button(tooltip: str) -> QToolButton:
    """A small '?' button that opens the glossary at one entry."""
    button = QToolButton()
    button.setText("?")
    button.setToolTip(tooltip)
    button.setAutoRaise(True)
    button.setObjectName("helpButton")
    return button


class CardWidget(QFrame):
    """One dimension: value now, change vs previous quarter and baseline, sparkline."""

    explain = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.key = ""
        self.help = help_button("What does this measure mean?")
        self.help.clicked.connect(lambda: self.explain.emit(self.key))
        self.title = QLabel()
        self.value = QLabel()
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.unit = QLabel("percentile vs your baseline")
        self.tone = QLabel()
        self.change = QLabel(wordWrap=True)
        self.spark = Sparkline()
        for label in (self.title, self.unit, self.tone, self.change):
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.help)
        layout.addLayout(head)
        for widget in (self.value, self.unit, self.tone, self.change, self.spark):
            layout.addWidget(widget)

    def show_card(self, card: Card) -> None:
        """Fill the card: value with its unit, a worded arrow in a colour, changes and n."""
        self.key = GLOSSARY_KEYS.get(card.key, card.key)
        self.title.setText(f"{card.label} · {card.quarter} (n={card.n})")
        self.value.setText("–" if card.now is None else f"{card.now:.0f}")
        tone = card_tone(card)
        words, colour = TONES.get(tone, ("● about the same as the baseline", ""))
        self.tone.setText(words)
        self.tone.setObjectName(f"tone-{tone}")
        self.tone.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        self.change.setText(
            f"{_signed(card.now, card.previous)} vs previous quarter · "
            f"{_signed(card.now, card.baseline)} vs baseline"
        )
        self.setToolTip(
            "Percentile against your baseline, 0–100: 50 is a typical baseline post; higher is "
            "fresher."
        )
        self.spark.set_values(card.spark)


class DashboardPage(QWidget):
    """The overview; data is gathered in the background whenever the history changes."""

    open_post = Signal(str)
    loaded = Signal()
    #: A '?' was clicked: the glossary entry to show.
    explain = Signal(str)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.cards: dict[str, CardWidget] = {}
        self.chart_result: ChartData | None = None
        self._build()
        app.history_changed.connect(self.refresh)
        app.settings_changed.connect(self.refresh)

    def _build(self) -> None:
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("summaryText")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.card_grid = QGridLayout()
        self.notice = Notice("")
        self.ai_style = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.ai_style.setObjectName("aiStyleSummary")
        self.ai_style.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ai_style.setVisible(False)
        self.metric_box = QComboBox(minimumContentsLength=24)
        self._wanted_metric = "ai_style_probability"
        self.granularity = QComboBox()
        self.granularity.addItem("Quarter", "quarter")
        self.granularity.addItem("Month", "month")
        self.split = QComboBox()
        for label, value in SPLITS:
            self.split.addItem(label, value)
        for combo in (self.metric_box, self.granularity, self.split):
            combo.currentIndexChanged.connect(self.refresh_chart)
        controls = QHBoxLayout()
        for text, combo in (
            ("Metric:", self.metric_box),
            ("Per:", self.granularity),
            ("Split:", self.split),
        ):
            controls.addWidget(QLabel(text))
            controls.addWidget(combo)
        self.chart_help = help_button("What does the charted measure mean?")
        self.chart_help.clicked.connect(
            lambda: self.explain.emit(str(self.metric_box.currentData() or ""))
        )
        controls.addWidget(self.chart_help)
        controls.addStretch(1)
        self.chart = TrendChart()
        self.chart.period_clicked.connect(self.show_period)
        self.verdict = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.period_title = QLabel(
            "Click a point to list that period's posts.", textFormat=Qt.TextFormat.PlainText
        )
        self.period_posts = QListWidget()
        self.period_posts.itemActivated.connect(
            lambda item: self.open_post.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(controls)
        top_layout.addWidget(self.chart, 1)
        top_layout.addWidget(self.verdict)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.period_title)
        bottom_layout.addWidget(self.period_posts)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.card_grid)
        layout.addWidget(self.ai_style)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload cards and chart in the background."""
        self.app.tasks.run(
            self._cards_work,
            self._show_cards, label="Updating the dashboard", show_progress=False,
            on_error=self._failed,
        )  # fmt: skip
        self.refresh_chart()

    def _cards_work(self, ctx: TaskContext) -> CardsResult:
        from desktop_app.core.metrics.registry import REGISTRY
        from desktop_app.core.report.summary import summary
        from desktop_app.gui.viewmodels.dashboard import ai_style_summary, dashboard_cards

        metrics = [(name, s.label) for name, s in REGISTRY.items()]
        db, engine = ctx.db(), self.app.engine(ctx)
        text = summary(db, engine.settings, engine.baseline(db)).text
        return metrics, dashboard_cards(db, engine), ai_style_summary(db, engine), text

    def _fill_metrics(self, metrics: list[tuple[str, str]]) -> None:
        if self.metric_box.count():
            return
        self.metric_box.blockSignals(True)
        for name, label in metrics:
            self.metric_box.addItem(label, name)
        self.metric_box.setCurrentIndex(max(self.metric_box.findData(self._wanted_metric), 0))
        self.metric_box.blockSignals(False)
        self.refresh_chart()

    def refresh_chart(self) -> None:
        """Recompute the main chart for the picked metric, granularity and split."""
        if self.metric_box.currentData() is None:
            return
        metric, by, split = (
            self.metric_box.currentData(),
            self.granularity.currentData(),
            self.split.currentData(),
        )
        adoption = self.app.settings.ai_adoption_date
        when = date.fromisoformat(adoption) if adoption else None

        def work(ctx: TaskContext) -> ChartData:
            from desktop_app.gui.viewmodels.dashboard import chart_data

            return chart_data(ctx.db(), self.app.engine(ctx), metric, by, split, when)

        self.app.tasks.run(work, self._show_chart, label="Drawing the chart",
                           show_progress=False, on_error=self._failed)  # fmt: skip

    def _show_cards(self, result: CardsResult) -> None:
        metrics, cards, ai_style, summary_text = result
        self._fill_metrics(metrics)
        self.summary.setText(summary_text if cards else self._empty_text())
        self.ai_style.setText(ai_style.text() if ai_style else "")
        self.ai_style.setVisible(ai_style is not None)
        self.notice.setText("" if cards else self._empty_text())
        self.notice.setVisible(not cards)
        for i, card in enumerate(cards):
            widget = self.cards.get(card.key)
            if widget is None:
                widget = self.cards[card.key] = CardWidget()
                widget.explain.connect(self.explain)
                self.card_grid.addWidget(widget, 0, i)
            widget.show_card(card)

    def _empty_text(self) -> str:
        """What an empty dashboard says: what is being done, or what to do."""
        busy = [h.label for h in self.app.tasks.running if "nalys" in h.label or "demo" in h.label]
        if busy:
            return f"{busy[0]}… the dashboard fills in as posts are analysed."
        return "No analysed, dated posts yet: import and analyse your history."

    def _show_chart(self, data: ChartData) -> None:
        self.chart_result = data
        self.chart.show_data(data)
        self.verdict.setText(data.verdict)
        self.verdict.setToolTip(safe_tooltip(data.statistics or data.verdict))
        self.loaded.emit()

    def _failed(self, failure: TaskFailure) -> None:
        self.notice.setVisible(True)
        self.notice.setText(f"Could not update the dashboard: {failure.error}")

    # -- period posts ---------------------------------------------------------------------
    def show_period(self, period: str, group: str) -> None:
        """List the posts published in `period` (double-click opens one)."""
        from desktop_app.core.trends.periods import period_bounds

        start, end = period_bounds(period)
        posts = list_posts(self.app.db, PostFilter(date_from=start, date_to=end))
        self.period_title.setText(f"{period}: {len(posts)} post(s) — {group}")
        self.period_posts.clear()
        for post in posts:
            item = QListWidgetItem(f"{post.published}  {post.title}  ({', '.join(post.authors)})")
            item.setData(Qt.ItemDataRole.UserRole, post.id)
            self.period_posts.addItem(item)

    def save_state(self, qs: QSettings) -> None:
        """Remember the chart choices and splitter."""
        qs.setValue("dashboard/splitter", self.splitter.saveState())
        qs.setValue("dashboard/metric", self.metric_box.currentData())
        qs.setValue("dashboard/by", self.granularity.currentIndex())
        qs.setValue("dashboard/split", self.split.currentIndex())

    def restore_state(self, qs: QSettings) -> None:
        """Restore the chart choices and splitter."""
        value: Any = qs.value("dashboard/splitter")
        if value is not None:
            self.splitter.restoreState(value)
        wanted = qs.value("dashboard/metric", "ai_style_probability")
        self._wanted_metric = str(wanted or "ai_style_probability")
        self.granularity.setCurrentIndex(int(str(qs.value("dashboard/by", 0) or 0)))
        self.split.setCurrentIndex(int(str(qs.value("dashboard/split", 0) or 0)))
