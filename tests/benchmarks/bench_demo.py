"""Time to a populated demo dashboard: import both demo blogs, analyse the first-pass sample
(the GUI refreshes the dashboard then), then the rest in spawned worker processes, as the
window does. Core calls, no window.

Run: .venv/bin/python tests/benchmarks/bench_demo.py [--pipeline en_core_web_sm]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop_app.core.analysis.engine import AnalysisEngine  # noqa: E402
from desktop_app.core.demo import build_demo_history, first_pass_pending  # noqa: E402
from desktop_app.core.history import open_history  # noqa: E402
from desktop_app.core.nlp.pipeline import load_pipeline  # noqa: E402
from desktop_app.core.settings import Settings  # noqa: E402
from desktop_app.gui.analysis_flow import ANALYSIS_PROCESSES  # noqa: E402


def main() -> None:
    """Print seconds for each step of building and analysing the demo history."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", default="en_core_web_sm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        start = time.perf_counter()
        _, info = load_pipeline(args.pipeline)
        loaded = time.perf_counter()
        posts = build_demo_history(path)
        imported = time.perf_counter()
        engine = AnalysisEngine(path, Settings(spacy_pipeline=args.pipeline))
        db = open_history(path)
        sample = first_pass_pending(db, info)
        db.conn.close()
        engine.analyze_posts(sample)
        first = time.perf_counter()
        rest = engine.analyze_posts(None, n_process=ANALYSIS_PROCESSES, spawn=True)  # as the GUI
        done = time.perf_counter()
    print(f"pipeline: {info.label}")
    print(f"load pipeline: {loaded - start:.1f} s")
    print(f"import {posts} posts: {imported - loaded:.1f} s")
    print(f"first pass ({len(sample)} posts): {first - imported:.1f} s")
    print(f"populated dashboard after: {first - start:.1f} s")
    print(
        f"rest ({rest.analyzed} posts): {done - first:.1f} s; all done after {done - start:.1f} s"
    )


if __name__ == "__main__":
    main()
