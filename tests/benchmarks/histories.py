"""Seeded benchmark histories of 1,000 / 10,000 / 50,000 posts built from the shipped posts.

Paragraphs of the demo history (resources/demo) are resampled and shuffled into new posts
with realistic dates (2010 -> 2026), authors and tags. The same size always gives the same
history; DBs are cached in $CONTENT_DRIFT_BENCH_CACHE (default /tmp/content-drift-bench), so
the big ones are built once and shared by every worktree.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from desktop_app.core.history import open_history
from desktop_app.core.history.repository import count_posts, store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.records import Post

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("CONTENT_DRIFT_BENCH_CACHE", "/tmp/content-drift-bench"))
SEED = 20261125
START, END = date(2010, 1, 1), date(2026, 9, 30)


def source_posts() -> list[Post]:
    """Every post of the demo history, read with the real importers."""
    files, _ = discover_files([REPO / "resources" / "demo"])
    posts: list[Post] = []
    for path in files:
        posts.extend(read_file(path, ImportOptions()).posts)
    return posts


def _paragraphs(posts: list[Post]) -> list[str]:
    paras = [p.strip() for post in posts for p in post.text.split("\n\n")]
    return [p for p in paras if len(p.split()) >= 12]


def synthetic_posts(n: int, seed: int = SEED) -> list[Post]:
    """`n` resampled posts; deterministic for a given (n, seed)."""
    return list(iter_synthetic_posts(n, seed))


def iter_synthetic_posts(n: int, seed: int = SEED) -> Iterator[Post]:
    """The posts of `synthetic_posts(n, seed)`, one at a time (a million fit no list)."""
    rng = random.Random(seed)
    real = source_posts()
    paras = _paragraphs(real)
    authors = sorted({a for p in real for a in p.authors}) or ["Team"]
    tags = ["product", "engineering", "community", "security", "release", "howto", "news"]
    span = (END - START).days
    for i in range(n):
        body = rng.sample(paras, rng.randint(4, 14))
        day = START + timedelta(days=int(span * (i / n) + rng.uniform(-20, 20)))
        yield Post(
            title=f"Post {i}: {body[0].split('.')[0][:60]}",
            text="\n\n".join(body),
            source=f"bench://{n}/{i}",
            published=min(max(day, START), END),
            authors=[rng.choice(authors)],
            tags=rng.sample(tags, rng.randint(0, 2)),
            ai_assisted=(rng.random() < 0.3) if day.year >= 2023 else False,
        )


def history_db(n: int, analyzed: bool = False) -> Path:
    """Path to the cached DB of `n` posts, building it on first use."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"history-{n}.sqlite"
    db = open_history(path)
    if count_posts(db) < n:
        posts = synthetic_posts(n)
        for start in range(0, n, 500):
            store_posts(db, posts[start : start + 500])
    db.conn.close()
    return path


def seeded_db(n: int, fill: Callable[[Path], int], stamp: Callable[[Path], None]) -> Path:
    """Path to the cached copy of the `n`-post history with seeded metric values, built once.

    `fill` writes the values, `stamp` labels them with a pipeline; the file appears under its
    final name only when both are done, so an interrupted build is never reused.
    """
    path = CACHE / f"seeded-{n}.sqlite"
    if not path.exists():
        partial = CACHE / f"seeded-{n}.partial.sqlite"
        partial.unlink(missing_ok=True)
        db = open_history(history_db(n))
        db.execute(f"vacuum into '{partial}'")  # one file, no WAL to copy
        db.conn.close()
        fill(partial)
        stamp(partial)
        partial.rename(path)
    return path


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10_000]:
        print(size, history_db(size))
