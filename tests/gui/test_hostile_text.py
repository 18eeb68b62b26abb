"""Hostile titles, authors and tags show literally in every widget: no markup, image or link."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPointF, Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument, QTextTable
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsTextItem,
    QLabel,
    QTextEdit,
    QWidget,
)

from desktop_app.gui.pages.post_dialog import PostDialog
from desktop_app.gui.safe_text import rich, tooltip
from tests.gui.gestures import CHECK_ARTICLE, LONG_WAIT_MS, check_dropped_article, load_dashboard

#: Markup a title could carry; the image path does not exist, so a failure cannot hang the test.
HOSTILE = [
    '<img src="/nonexistent/hostile.png">',
    '<a href="file:///etc/passwd">x</a>',
    "<b>fake</b> layout",
    "<table><tr><td>cell</td></tr></table>",
]
HOSTILE_AUTHORS = ['<img src="/nonexistent/author.png">', "<i>Eve</i>"]
HOSTILE_TAG = "<u>tag</u>"
#: What the Markdown reader decodes these entity-encoded titles to (checked below).
ENTITY_TITLE = "&lt;img src=&quot;/nonexistent/entity.png&quot;&gt; &lt;b&gt;bold&lt;/b&gt;"
DECODED_TITLE = '<img src="/nonexistent/entity.png"> <b>bold</b>'


def _as_rich(text: str, fmt: Qt.TextFormat) -> bool:
    return fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    )


def _markup_problems(doc: QTextDocument, strict: bool = True) -> list[str]:
    """Images and links that are not ours in a rendered document (all of them when strict)."""
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            name = fmt.toImageFormat().name() if fmt.isImageFormat() else ""
            if fmt.isImageFormat() and (strict or "/nonexistent/" in name):
                found.append(f"image {name}")
            href = fmt.anchorHref() if fmt.isAnchor() else "post:"
            if not href.startswith("post:") and (strict or href.startswith("file:")):
                found.append(f"link {fmt.anchorHref()}")
            it += 1
        block = block.next()
    return found


def _shown(text: str, fmt: Qt.TextFormat) -> tuple[str, list[str]]:
    """What a person reads for `text` in a widget with format `fmt`, and any markup effects."""
    if not _as_rich(text, fmt):
        return text, []
    doc = QTextDocument()
    doc.setHtml(text)
    problems = _markup_problems(doc)
    if any(isinstance(f, QTextTable) for f in doc.rootFrame().childFrames()):
        problems.append("table")
    return doc.toPlainText(), problems


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # list models keep columnCount private: one column
        return 1


def _model_texts(view: QAbstractItemView) -> Iterator[tuple[str, Qt.TextFormat]]:
    model = view.model()
    if model is None:
        return

    def walk(parent: QModelIndex) -> Iterator[tuple[str, Qt.TextFormat]]:
        for row in range(min(model.rowCount(parent), 500)):
            for col in range(_columns(model, parent)):
                index = model.index(row, col, parent)
                shown = model.data(index, Qt.ItemDataRole.DisplayRole)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if shown is not None:  # item views draw display text as plain text
                    yield str(shown), Qt.TextFormat.PlainText
                if tip:
                    yield str(tip), Qt.TextFormat.AutoText
                yield from walk(index)

    yield from walk(QModelIndex())


def _document_tooltips(doc: QTextDocument) -> Iterator[tuple[str, Qt.TextFormat]]:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            tip = it.fragment().charFormat().toolTip()
            if tip:
                yield tip, Qt.TextFormat.AutoText
            it += 1
        block = block.next()


def _texts(widget: QWidget) -> Iterator[tuple[str, Qt.TextFormat]]:
    """Every text `widget` shows (label, tooltip, items, document, chart text) with its format."""
    if widget.toolTip():
        yield widget.toolTip(), Qt.TextFormat.AutoText
    if isinstance(widget, QLabel):
        yield widget.text(), widget.textFormat()
    if isinstance(widget, QAbstractItemView):
        yield from _model_texts(widget)
    if isinstance(widget, QTextEdit):
        problems = _markup_problems(widget.document(), strict=False)
        assert not problems, f"{type(widget).__name__} made {problems}"
        yield from _document_tooltips(widget.document())
    if isinstance(widget, QChartView):
        for item in widget.chart().scene().items():
            if isinstance(item, QGraphicsTextItem):  # legend and axis labels are HTML
                yield item.toHtml(), Qt.TextFormat.RichText


def shown_texts() -> list[str]:
    """Walk every open window; fail on any markup effect; return what a person reads."""
    seen: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            for text, fmt in _texts(widget):
                plain, problems = _shown(text, fmt)
                assert not problems, f"{type(widget).__name__} made {problems} from {text!r}"
                seen.append(plain)
    return seen


def _appears(needle: str, seen: list[str]) -> bool:
    return any(needle in text for text in seen)


def make_hostile(db_path: Path) -> None:
    """Every post gets a hostile title; authors and one tag become markup too."""
    conn = sqlite3.connect(db_path)
    ids = [r[0] for r in conn.execute("select id from posts order by published, id")]
    for i, post_id in enumerate(ids):
        authors = json.dumps([HOSTILE_AUTHORS[i % len(HOSTILE_AUTHORS)]])
        conn.execute(
            "update posts set title = ?, authors = ?, tags = ? where id = ?",
            [f"{HOSTILE[i % len(HOSTILE)]} #{i}", authors, json.dumps([HOSTILE_TAG]), post_id],
        )
    conn.commit()
    conn.close()


def test_helpers_escape_what_qt_would_render() -> None:
    for hostile in HOSTILE:
        for text, fmt in ((rich(hostile), Qt.TextFormat.RichText),
                          (tooltip(hostile), Qt.TextFormat.AutoText)):  # fmt: skip
            plain, problems = _shown(text, fmt)
            assert plain == hostile and not problems
    # the walker itself catches raw markup (a test that cannot fail checks nothing)
    assert _shown(HOSTILE[0], Qt.TextFormat.AutoText)[1] == ["image /nonexistent/hostile.png"]
    assert _shown(HOSTILE[1], Qt.TextFormat.AutoText)[1] == ["link file:///etc/passwd"]
    assert _shown(HOSTILE[2], Qt.TextFormat.AutoText)[0] == "fake layout"


def test_hostile_post_data_shows_literally_everywhere(
    qtbot, window_for, analyzed_db: Path, tmp_path: Path
) -> None:
    make_hostile(analyzed_db)
    window = window_for(analyzed_db)
    dashboard = load_dashboard(qtbot, window)
    with qtbot.waitSignal(dashboard.loaded, timeout=LONG_WAIT_MS):
        dashboard.split.setCurrentIndex(dashboard.split.findData("author"))
    groups = dashboard.chart_result.trends.groups
    assert {g.name for g in groups} == set(HOSTILE_AUTHORS)
    stats = groups[0].metrics[0].series
    index = next(i for i, s in enumerate(stats) if s.n > 0 and s.mean is not None)
    dashboard.chart.chart().series()[1].clicked.emit(QPointF(index, stats[index].mean))
    qtbot.waitUntil(lambda: dashboard.period_posts.count() > 0, timeout=120_000)
    seen = shown_texts()
    assert _appears(HOSTILE_AUTHORS[0], seen), "the chart legend lost the author's name"
    assert _appears(HOSTILE[0], seen), "the period list lost the title"

    window.show_page(1)  # Library: titles (with tooltips), authors, tags
    qtbot.waitUntil(lambda: window.library.model.rowCount() > 0, timeout=120_000)
    seen = shown_texts()
    assert all(_appears(h, seen) for h in HOSTILE + HOSTILE_AUTHORS + [HOSTILE_TAG])

    post_id = window.library.model.post_id(0)
    dialog = PostDialog(window.app, post_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "freshness index" in dialog.view.headline.text(), timeout=60_000)
    title = window.app.db.execute("select title from posts where id = ?", [post_id]).fetchone()[0]
    assert _shown(dialog.view.headline.text(), dialog.view.headline.textFormat())[0].startswith(
        title
    )
    shown_texts()
    dialog.close()

    # Check: a Markdown file whose entity-encoded title decodes to markup
    article = tmp_path / "entity-title.md"
    body = CHECK_ARTICLE.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    article.write_text(f"---\ntitle: {json.dumps(ENTITY_TITLE)}\n---\n{body}", encoding="utf-8")
    check = check_dropped_article(qtbot, window, article)
    assert check.current.post.title == DECODED_TITLE
    seen = shown_texts()
    headline = check.view.headline
    assert _shown(headline.text(), headline.textFormat())[0].startswith(DECODED_TITLE)
    assert _appears(f"“{DECODED_TITLE}” checked against your history.", seen)

    window.show_page(3)  # Reports: the preview is the report's escaped HTML
    reports = window.reports
    reports.quarter.setCurrentIndex(0)
    with qtbot.waitSignal(reports.previewed, timeout=LONG_WAIT_MS):
        reports.preview()
    shown_texts()


#: Pieces of markup a title may carry, combined at random by the fuzz test below.
MARKUP = ["<", ">", "&", ";", "<img src=/nonexistent/f.png>", "<a href=file:///etc/passwd>",
          "</a>", "<b>", "</b>", "&lt;", "&#60;", "&amp;lt;", "<table><tr><td>", "\n", "x",
          "<!--", "-->", "<style>", "<script>", "\"", "'", "<br>", "<p>", " "]  # fmt: skip


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(pieces=st.lists(st.sampled_from(MARKUP), min_size=1, max_size=12))
def test_fuzzed_titles_show_literally(qtbot, pieces: list[str]) -> None:
    from desktop_app.gui.widgets.analysis_view import AnalysisView

    title = "".join(pieces)
    view = AnalysisView()
    qtbot.addWidget(view)
    view.show_plain(title, "Body text.", f"note about {title}")
    shown, problems = _shown(view.headline.text(), view.headline.textFormat())
    assert not problems
    # rich text collapses runs of white space; every other character shows as it is
    assert _collapsed(shown).startswith(_collapsed(title))
    for text in (tooltip(title), f"<b>{rich(title)}</b>"):
        plain, problems = _shown(text, Qt.TextFormat.AutoText)
        assert not problems and _collapsed(plain) == _collapsed(title)


def _collapsed(text: str) -> str:
    return " ".join(text.split())
