"""Import throughput on the otel blog: reading/cleaning alone, and end to end into a fresh DB.

Run: .venv/bin/python -m tests.benchmarks.bench_import  (prints posts/s and words/s)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from desktop_app.core.history import open_history
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file

OTEL = Path(__file__).resolve().parents[2] / "resources" / "demo" / "otel-blog"
ROUNDS = 3


def bench_read() -> tuple[int, int, float]:
    """Best of ROUNDS: (posts, words, seconds) for discovering and reading every file."""
    best = float("inf")
    posts = words = 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        files, _ = discover_files([OTEL])
        outcomes = [read_file(path, ImportOptions()) for path in files]
        best = min(best, time.perf_counter() - start)
        posts = sum(len(o.posts) for o in outcomes)
        words = sum(p.word_count for o in outcomes for p in o.posts)
    return posts, words, best


def bench_end_to_end() -> tuple[int, float]:
    """(posts, seconds) for importing into a new history DB (read + store)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_history(Path(tmp) / "bench.sqlite")
        start = time.perf_counter()
        report = import_paths(db, [OTEL], ImportOptions())
        return report.totals.imported, time.perf_counter() - start


def main() -> None:
    """Print the figures."""
    posts, words, seconds = bench_read()
    print(
        f"read+clean : {posts} posts, {words} words in {seconds:.2f} s "
        f"-> {posts / seconds:.0f} posts/s, {words / seconds:,.0f} words/s (best of {ROUNDS})"
    )
    stored, total = bench_end_to_end()
    print(
        f"end to end : {stored} posts stored in {total:.2f} s "
        f"-> {stored / total:.0f} posts/s, {words / total:,.0f} words/s"
    )


if __name__ == "__main__":
    main()
