"""Small-multiple SVG charts (pure Python): a metric's quarters with the baseline band."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from desktop_app.core.report.model import ChartPoint, DimensionChart, MetricPanel
from desktop_app.core.trends.verdicts import fmt

W, H = 250, 180
HEADLINE_SIZE = (640, 210)  # page 1's single wide panel
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 34, 34
COLS = 3
INK, MUTED, LINE, BAND = "#1f2933", "#7b8794", "#1d5fa8", "#cfe8d5"
_LEGEND = "quarter mean, 90% CI   ○ fewer than 3 posts"
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def _range(panel: MetricPanel) -> tuple[float, float]:
    values = [v for p in panel.points for v in (p.mean, p.low, p.high) if v is not None]
    if panel.band:
        values += list(panel.band)
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    return lo - pad, hi + pad


def _text(
    x: float, y: float, text: str, size: int = 10, anchor: str = "middle", fill: str = INK
) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
        f"fill='{fill}' {FONT}>{escape(text)}</text>"
    )


def _x_labels(points: Sequence[ChartPoint], xs: Sequence[float], y: float) -> list[str]:
    out = []
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        year, _, quarter = point.period.partition("Q")
        out.append(_text(x, y, f"Q{quarter}" if quarter else point.period[-2:], 9))
        if quarter == "1" or (i == 0 and quarter != "4"):  # a Q4 start would crowd the next Q1
            out.append(_text(x, y + 11, year, 9, fill=MUTED))
    return out


def _band(panel: MetricPanel, sy: object, x0: float, x1: float) -> list[str]:
    if not panel.band:
        return []
    low, mid, high = (sy(v) for v in panel.band)  # type: ignore[operator]
    return [
        f"<rect x='{x0:.1f}' y='{high:.1f}' width='{x1 - x0:.1f}' "
        f"height='{max(low - high, 1):.1f}' fill='{BAND}'/>",
        f"<line x1='{x0:.1f}' x2='{x1:.1f}' y1='{mid:.1f}' y2='{mid:.1f}' stroke='#3f8f55' "
        "stroke-dasharray='4 3' stroke-width='1'/>",
    ]


def _marks(panel: MetricPanel, xs: Sequence[float], sy: object) -> list[str]:
    out, path = [], []
    for point, x in zip(panel.points, xs, strict=True):
        if point.mean is None:
            out.append(_text(x, TOP + 14, "n=0", 8, fill=MUTED))
            continue
        y = sy(point.mean)  # type: ignore[operator]
        if point.enough and point.low is not None and point.high is not None:
            y1, y2 = sy(point.low), sy(point.high)  # type: ignore[operator]
            out.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{y1:.1f}' y2='{y2:.1f}' "
                       f"stroke='{LINE}' stroke-width='1' opacity='0.6'/>")  # fmt: skip
            path.append(f"{x:.1f},{y:.1f}")
            out.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{LINE}'/>")
        else:
            out.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='white' stroke='{MUTED}'/>")
            out.append(_text(x, y - 6, f"n={point.n}", 8, fill=MUTED))
    if len(path) > 1:
        out.insert(0, f"<polyline points='{' '.join(path)}' fill='none' stroke='{LINE}' "
                      "stroke-width='1.5'/>")  # fmt: skip
    return out


def panel_svg(
    panel: MetricPanel, ox: float = 0, oy: float = 0, size: tuple[int, int] = (W, H)
) -> str:
    """One metric panel (`size` pixels) as an SVG group at offset (ox, oy)."""
    lo, hi = _range(panel)
    x0, x1, y0, y1 = LEFT, size[0] - RIGHT, TOP, size[1] - BOTTOM
    n = max(len(panel.points), 1)
    xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(len(panel.points))]

    def sy(v: float) -> float:
        return y1 - (v - lo) / (hi - lo) * (y1 - y0)

    arrow = "↑ better" if panel.direction == "higher_better" else "↓ better"
    parts = [_text(6, 13, panel.label, 11, "start"), _text(6, 26, f"{panel.unit} · {arrow}", 9,
             "start", MUTED)]  # fmt: skip
    parts += _band(panel, sy, x0, x1)
    parts.append(f"<line x1='{x0}' x2='{x0}' y1='{y0}' y2='{y1}' stroke='{MUTED}'/>")
    parts.append(f"<line x1='{x0}' x2='{x1}' y1='{y1}' y2='{y1}' stroke='{MUTED}'/>")
    for v in (lo + (hi - lo) * f for f in (0.1, 0.5, 0.9)):
        parts.append(_text(x0 - 4, sy(v) + 3, fmt(v, 3), 8, "end", MUTED))
    parts += _marks(panel, xs, sy)
    parts += _x_labels(panel.points, xs, y1 + 13)
    return f"<g transform='translate({ox},{oy})'>{''.join(parts)}</g>"


def svg_width(chart: DimensionChart) -> int:
    """The pixel width dimension_svg gives this chart."""
    return max(min(COLS, max(len(chart.panels), 1)), 2) * W


def _legend(width: int, height: int) -> str:
    return (
        f"<rect x='6' y='{height - 13}' width='14' height='9' fill='{BAND}'/>"
        + _text(24, height - 5, "baseline p25–p75 (dashed: median)", 9, "start", MUTED)
        + f"<circle cx='{width / 2 + 10:.0f}' cy='{height - 9}' r='3' fill='{LINE}'/>"
        + _text(width / 2 + 17, height - 5, _LEGEND, 9, "start", MUTED)
    )


def _svg(chart: DimensionChart, width: int, height: int, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{escape(chart.title)}'>"
        f"<rect width='100%' height='100%' fill='white'/>{''.join(body)}"
        f"{_legend(width, height)}</svg>"
    )


def dimension_svg(chart: DimensionChart) -> str:
    """All panels of a dimension in a grid of COLS columns, with a legend line."""
    cols = min(COLS, max(len(chart.panels), 1))
    rows = (len(chart.panels) + cols - 1) // cols
    width, height = max(cols * W, 2 * W), rows * H + 18
    body = [panel_svg(p, (i % cols) * W, (i // cols) * H) for i, p in enumerate(chart.panels)]
    return _svg(chart, width, height, body)


def headline_svg(chart: DimensionChart) -> str:
    """The headline chart: its first panel, HEADLINE_SIZE wide, with the legend line."""
    width, height = HEADLINE_SIZE
    return _svg(chart, width, height + 18, [panel_svg(chart.panels[0], size=HEADLINE_SIZE)])
