"""Where the first check after start goes: each engine step timed once, cold, with the index cached.

Run after `run_all --only index-cache --sizes N` (which prepares the history and its cache):
    .venv/bin/python -m tests.benchmarks.bench_first_check N
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

from desktop_app.core.nlp.pipeline import load_pipeline
from tests.benchmarks import bench_analysis, run_all


def _timed(label: str, func: Callable[[], Any]) -> None:
    start = time.perf_counter()
    func()
    print(f"{label}: {time.perf_counter() - start:.3f} s")


def main(size: int) -> None:
    """Print the cost of each step of the first check on the prepared `size`-post history."""
    paras = bench_analysis.paragraphs(bench_analysis.demo_posts())
    draft = bench_analysis.article(paras, random.Random(bench_analysis.SEED + size))
    engine = run_all._restart_engine(size)
    assert engine.pipeline_info.name == run_all.SMALL  # spaCy loaded outside the timings
    with engine._connect() as db:
        _timed("corpus index (cache load + check)", lambda: engine.corpus_index(db))
        _timed("baseline", lambda: engine.baseline(db))
        _timed("AI-style team threshold", lambda: engine.ai_style_team(db))
        _timed("AI-style pre-AI reference", lambda: engine.ai_style_reference(db))
        _timed("lexicons", lambda: engine.lexicons)
    _timed("parse of the draft", lambda: load_pipeline(run_all.SMALL)[0](draft))
    _timed("check_text, everything cached", lambda: engine.check_text(draft))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
