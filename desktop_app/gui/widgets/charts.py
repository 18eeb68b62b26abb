"""Charts: a palette-aware sparkline and the main trend chart (QtCharts) with band and markers."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop_app.gui.safe_text import tooltip

if TYPE_CHECKING:
    from desktop_app.gui.viewmodels.dashboard import ChartData

#: Series colours chosen to read on light and dark backgrounds.
SERIES_COLORS = [
    "#2f7fd8",
    "#e0663a",
    "#2aa876",
    "#b25fd0",
    "#d4a017",
    "#d24b83",
    "#3aa6b9",
    "#8c8c8c",
]
BAND_COLOR = QColor(128, 128, 128, 60)
ADOPTION_COLOR = QColor("#d24b4b")


Bounds = tuple[float | None, float | None]
#: Units of measures that can go below zero (Flesch reading ease, Flesch-Kincaid grade).
UNBOUNDED_UNITS = frozenset({"score", "US school grade"})


def value_bounds(unit: str) -> Bounds:
    """The range a measure can take, from its unit: '... 0-1' is [0, 1]; a score or grade is
    unbounded; every other count, rate, length or ratio is >= 0."""
    if unit.endswith("0-1"):
        return 0.0, 1.0
    if unit in UNBOUNDED_UNITS:
        return None, None
    return 0.0, None


class Sparkline(QWidget):
    """A tiny line of recent values drawn with the palette's highlight colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[float | None] = []
        self.setMinimumHeight(28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        """Wide and short."""
        return QSize(120, 28)

    def set_values(self, values: list[float | None]) -> None:
        """Replace the values and repaint."""
        self.values = list(values)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Draw the line over the present values (gaps skipped)."""
        points = [(i, v) for i, v in enumerate(self.values) if v is not None]
        if len(points) < 2:
            return
        low = min(v for _, v in points)
        high = max(v for _, v in points)
        span = (high - low) or 1.0
        w, h, pad = self.width(), self.height(), 3
        step = (w - 2 * pad) / max(len(self.values) - 1, 1)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
        coords = [
            QPointF(pad + i * step, h - pad - (v - low) / span * (h - 2 * pad)) for i, v in points
        ]
        painter.drawPolyline(coords)
        painter.end()


class TrendChart(QChartView):
    """Mean per period of one metric, per group; baseline band; AI adoption marked."""

    period_clicked = Signal(str, str)  # period key, group name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(280)
        self.data: ChartData | None = None
        self._band_lines: tuple[QLineSeries, QLineSeries] | None = None
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setBackgroundVisible(False)
        self.setChart(chart)

    def show_data(self, data: ChartData) -> None:
        """Rebuild the chart from `data`."""
        self.data = data
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(f"{data.label} ({data.unit})" if data.unit else data.label)
        periods = data.trends.periods
        if not periods:
            return
        x_axis, y_axis = self._axes(periods)
        all_values = self._add_groups(data, x_axis, y_axis)
        self._add_band(data, len(periods), x_axis, y_axis, all_values)
        self._add_adoption(data, periods, x_axis, y_axis, all_values)
        self._fit(y_axis, all_values, value_bounds(data.unit))

    def _axes(self, periods: list[str]) -> tuple[QCategoryAxis, QValueAxis]:
        chart = self.chart()
        text = self.palette().color(QPalette.ColorRole.Text)
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        every = max(1, len(periods) // 10)
        for i, key in enumerate(periods):
            if i % every == 0:
                x_axis.append(key, i)
        x_axis.setRange(-0.5, len(periods) - 0.5)
        y_axis = QValueAxis()
        for axis in (x_axis, y_axis):
            axis.setLabelsColor(text)
            axis.setGridLineColor(self.palette().color(QPalette.ColorRole.Mid))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        return x_axis, y_axis

    def _attach(self, series: QLineSeries | QAreaSeries | QScatterSeries, x: Any, y: Any) -> None:
        self.chart().addSeries(series)
        series.attachAxis(x)
        series.attachAxis(y)

    def _add_groups(self, data: ChartData, x: QCategoryAxis, y: QValueAxis) -> list[float]:
        seen: list[float] = []
        for g, group in enumerate(data.trends.groups):
            if not group.metrics:
                continue
            color = QColor(SERIES_COLORS[g % len(SERIES_COLORS)])
            line = QLineSeries()
            line.setName(html.escape(f"{group.name} (n={group.n_posts})"))  # legends read HTML
            line.setPen(QPen(color, 2))
            dots = QScatterSeries()
            dots.setColor(color)
            dots.setMarkerSize(7)
            for i, stat in enumerate(group.metrics[0].series):
                if stat.mean is not None and stat.n > 0 and math.isfinite(stat.mean):
                    line.append(i, stat.mean)
                    dots.append(i, stat.mean)
                    seen.append(stat.mean)
            for series in (line, dots):
                self._attach(series, x, y)
                series.hovered.connect(lambda p, on, gi=g: self._hover(p, on, gi))
                series.clicked.connect(lambda p, gi=g: self._click(p, gi))
            self.chart().legend().markers(dots)[0].setVisible(False)
        return seen

    def _add_band(self, data: ChartData, n: int, x: object, y: object, seen: list[float]) -> None:
        if data.band is None:
            return
        low, mid, high = data.band
        upper, lower = QLineSeries(), QLineSeries()
        for px in (-0.5, n - 0.5):
            upper.append(px, high)
            lower.append(px, low)
        self._band_lines = (upper, lower)  # QAreaSeries does not own its boundary lines
        area = QAreaSeries(upper, lower)
        area.setName("baseline (middle half)")
        area.setBrush(BAND_COLOR)
        area.setPen(QPen(Qt.PenStyle.NoPen))
        self._attach(area, x, y)
        seen.extend([low, high, mid])

    def _add_adoption(
        self, data: ChartData, periods: list[str], x: object, y: object, seen: list[float]
    ) -> None:
        if data.adoption is None or not seen:
            return
        from desktop_app.core.trends.periods import period_key

        key = period_key(data.adoption, data.trends.by)
        if key not in periods:
            return
        at = periods.index(key) - 0.5
        marker = QLineSeries()
        marker.setName(f"AI adoption ({data.adoption.isoformat()})")
        marker.setPen(QPen(ADOPTION_COLOR, 2, Qt.PenStyle.DashLine))
        marker.append(at, min(seen))
        marker.append(at, max(seen))
        self._attach(marker, x, y)

    @staticmethod
    def _fit(y: QValueAxis, seen: list[float], bounds: Bounds = (None, None)) -> None:
        """Values in view with a margin, never beyond what the measure can take."""
        finite = [v for v in seen if math.isfinite(v)]
        if not finite:
            return
        low, high = min(finite), max(finite)
        pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
        floor, cap = bounds
        bottom = low - pad if floor is None else max(low - pad, floor)
        top = high + pad if cap is None else min(high + pad, cap)
        y.setRange(bottom, top if top > bottom else bottom + pad)

    def _stat_at(self, point: QPointF, group: int) -> tuple[str, str, object] | None:
        if self.data is None:
            return None
        index = round(point.x())
        periods = self.data.trends.periods
        groups = self.data.trends.groups
        if not 0 <= index < len(periods) or group >= len(groups):
            return None
        return periods[index], groups[group].name, groups[group].metrics[0].series[index]

    def _hover(self, point: QPointF, on: bool, group: int) -> None:
        found = self._stat_at(point, group)
        if not on or found is None:
            QToolTip.hideText()
            return
        period, name, stat = found
        text = f"{period} · {name}\nmean {stat.mean:.3g} (n={stat.n})"  # type: ignore[attr-defined]
        QToolTip.showText(self.cursor().pos(), tooltip(text), self)

    def _click(self, point: QPointF, group: int) -> None:
        found = self._stat_at(point, group)
        if found is not None:
            self.period_clicked.emit(found[0], found[1])
