"""Where the first check after start goes: each engine step timed once, cold, caches on disk.

Run after `run_all --only index-cache,restart --sizes N` (which prepares the history, its
index cache and the start cache of the baseline, threshold and reference):
    .venv/bin/python -m tests.benchmarks.bench_first_check N
A first run on a fresh copy also fills the start cache; run it twice to see the cached figures.
The parse is timed twice (first call of the process, then a second draft): the difference is
the pipeline's warm-up, which engine.warm_up moves into the window's background pass.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

from desktop_app.core.nlp.pipeline import load_pipeline
from tests.benchmarks import bench_analysis, run_all


def _timed(label: str, func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.3f} s")
    return seconds


def main(size: int) -> None:
    """Print the cost of each step of the first check on the prepared `size`-post history."""
    paras = bench_analysis.paragraphs(bench_analysis.demo_posts())
    rng = random.Random(bench_analysis.SEED + size)
    draft, other = bench_analysis.article(paras, rng), bench_analysis.article(paras, rng)
    engine = run_all._restart_engine(size)
    _timed("spaCy pipeline load (not part of the check)", lambda: engine.pipeline_info)
    assert engine.pipeline_info.name == run_all.SMALL
    nlp = load_pipeline(run_all.SMALL)[0]
    parts = 0.0
    with engine._connect() as db:
        parts += _timed("corpus index (cache load + check)", lambda: engine.corpus_index(db))
        parts += _timed("baseline (start cache)", lambda: engine.baseline(db))
        parts += _timed("AI-style team threshold (start cache)", lambda: engine.ai_style_team(db))
        parts += _timed("AI-style pre-AI reference (start cache)",
                        lambda: engine.ai_style_reference(db))  # fmt: skip
        parts += _timed("lexicons", lambda: engine.lexicons)
    print(f"sum of the cached parts: {parts:.3f} s")
    _timed("parse of the draft, first call of the process", lambda: nlp(draft))
    _timed("parse of another draft, second call", lambda: nlp(other))
    _timed("check_text, first call (syllables, AI-style model warm up)",
           lambda: engine.check_text(draft))  # fmt: skip
    _timed("check_text of another draft, everything warm", lambda: engine.check_text(other))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
