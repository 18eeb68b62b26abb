"""Seeded benchmark histories of 1,000 / 10,000 / 50,000 posts built from the shipped posts.

Paragraphs of the demo history (resources/demo) are resampled and shuffled into new posts
with realistic dates (2010 -> 2026), authors and tags. The same size always gives the same
history; DBs are cached in tests/benchmarks/.cache/.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from desktop_app.core.history import open_history
from desktop_app.core.history.repository import count_posts, store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.records import Post

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(__file__).resolve().parent / ".cache"
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
    rng = random.Random(seed)
    real = source_posts()
    paras = _paragraphs(real)
    authors = sorted({a for p in real for a in p.authors}) or ["Team"]
    tags = ["product", "engineering", "community", "security", "release", "howto", "news"]
    span = (END - START).days
    out = []
    for i in range(n):
        body = rng.sample(paras, rng.randint(4, 14))
        day = START + timedelta(days=int(span * (i / n) + rng.uniform(-20, 20)))
        out.append(
            Post(
                title=f"Post {i}: {body[0].split('.')[0][:60]}",
                text="\n\n".join(body),
                source=f"bench://{n}/{i}",
                published=min(max(day, START), END),
                authors=[rng.choice(authors)],
                tags=rng.sample(tags, rng.randint(0, 2)),
                ai_assisted=(rng.random() < 0.3) if day.year >= 2023 else False,
            )
        )
    return out


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


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10_000]:
        print(size, history_db(size))
