"""Cost of extending the cached corpus index with 100 newer posts (the import fast path).

Run after `run_all --only index-cache --sizes N` (which caches the index of the N-post history):
    .venv/bin/python -m tests.benchmarks.bench_index_append N
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta

from desktop_app.core.metrics import index_cache
from desktop_app.core.metrics.corpus_index import IndexedPost
from desktop_app.core.metrics.index_append import append_posts
from tests.benchmarks.histories import source_posts
from tests.benchmarks.run_all import _restart_dir


def main(size: int) -> None:
    """Print how long appending 100 demo posts dated after the history takes."""
    folder = _restart_dir(size) / "home" / "data" / "index-cache"
    base = index_cache.load(index_cache.entries(folder)[0])
    assert base is not None, f"no usable cached index in {folder}"
    start_day = date(2027, 1, 1)
    new = [
        (IndexedPost(f"new{i}", p.title, start_day + timedelta(days=i)), p.text)
        for i, p in enumerate(source_posts()[:100])
    ]
    start = time.perf_counter()
    append_posts(base, new)
    print(f"append 100 posts to {len(base):,}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
