"""Benchmark: AI-style scoring time per post and batch throughput (prints figures, no asserts).

.venv/bin/python tests/benchmarks/bench_aistyle.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop_app.core.aistyle import load_model  # noqa: E402
from desktop_app.core.analysis.batch_check import iter_batch_results  # noqa: E402
from desktop_app.core.ingest.base import ImportOptions  # noqa: E402
from desktop_app.core.ingest.dispatch import read_file  # noqa: E402

LABELLED = REPO / "tests" / "data" / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
BLOG = REPO / "resources" / "demo" / "letsencrypt-blog"


def _blog_texts() -> list[str]:
    texts = []
    for path in sorted(BLOG.glob("*.m*")):
        texts.extend(p.text for p in read_file(path, ImportOptions()).posts)
    return texts


def _per_text_ms(texts: list[str]) -> list[float]:
    model = load_model()
    times = []
    for text in texts:
        start = time.process_time()  # CPU time: other processes on the machine do not count
        model.score(text)
        times.append((time.process_time() - start) * 1000)
    return times


def _report(name: str, texts: list[str]) -> None:
    times = sorted(_per_text_ms(texts))
    words = statistics.mean(len(t.split()) for t in texts)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{name}: {len(texts)} texts, mean {words:.0f} words; CPU per text "
        f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
    )


def _batch(n: int) -> None:
    rows = LABELLED.read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for i in range(n):
                record = json.loads(rows[i % len(rows)])
                handle.write(json.dumps({"id": i, "text": record["text"]}) + "\n")
        start = time.perf_counter()
        count = sum(1 for _ in iter_batch_results(path))
        took = time.perf_counter() - start
    print(
        f"batch (AI-style only): {count} short texts in {took:.1f} s ({count / took:.0f} texts/s)"
    )


def main() -> None:
    """Print the figures."""
    start = time.perf_counter()
    load_model()
    print(f"model load: {(time.perf_counter() - start) * 1000:.0f} ms")
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    _report("labelled passages", [r["text"] for r in rows[:1000]])
    _report("Let's Encrypt blog posts", _blog_texts())
    _batch(10_000)


if __name__ == "__main__":
    main()
