"""Streamed import at scale: a 100,000-row CSV and a 100,000-item WXR built from the demo posts.

Run: PYTHONPATH=. .venv/bin/python -m tests.benchmarks.bench_import_scale [ROWS] [csv|wxr]
     [--keep DIR]  (DIR keeps the built files for the next run)
Each format is imported in a fresh child process into a new history, then imported again (the
re-import must store nothing); printed: posts/s both times, words/s, and the peak RSS (VmHWM)
of the importing process and of its largest cleaning worker, and the CPU time of the first
import per post (importing process and workers: on a shared machine steadier than posts/s).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.histories import REPO
from tests.benchmarks.scale_files import write_csv, write_wxr

MARK = "RESULT "
ROWS = 100_000


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the cleaning workers)."""
    own, done = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime


def child(path: Path, db_path: Path) -> dict[str, Any]:
    """In the child: import `path` into a new history, then again; the figures."""
    from desktop_app.core.history import open_history
    from desktop_app.core.importer import import_paths
    from desktop_app.core.ingest.base import ImportOptions

    db = open_history(db_path)
    start, cpu = time.perf_counter(), _cpu_seconds()
    first = import_paths(db, [path], ImportOptions())
    first_s, first_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    words = db.execute("select sum(word_count) from posts").fetchone()[0] or 0
    start = time.perf_counter()
    again = import_paths(db, [path], ImportOptions())
    again_s = time.perf_counter() - start
    rows = first.totals.imported + first.totals.updated + first.totals.unchanged
    return {
        "rows": rows,
        "imported": first.totals.imported,
        "posts_s": rows / first_s,
        "words_s": words / first_s,
        "seconds": first_s,
        "cpu_ms_per_post": first_cpu * 1000 / max(rows, 1),
        "reimport_stored": again.totals.imported + again.totals.updated,
        "reimport_not_cleaned": again.files[0].not_cleaned,
        "reimport_posts_s": again.totals.unchanged / again_s,
        "reimport_seconds": again_s,
        "peak_rss_mb": _vm_hwm_mb(),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "file_mb": path.stat().st_size / 1024**2,
        "db_mb": sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*")) / 1024**2,
        "words_per_post": words / max(first.totals.imported, 1),
    }


def measure(kind: str, rows: int, folder: Path) -> dict[str, Any]:
    """Build the file (not timed) and import it twice in a fresh child process."""
    path = folder / f"scale-{rows}.{'csv' if kind == 'csv' else 'xml'}"
    if not path.exists():
        (write_csv if kind == "csv" else write_wxr)(path, rows)
    db_path = folder / f"scale-{kind}-{rows}.sqlite"
    for stale in folder.glob(f"{db_path.name}*"):
        stale.unlink()
    cmd = [sys.executable, "-m", "tests.benchmarks.bench_import_scale", "--child",
           str(path), str(db_path)]  # fmt: skip
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(lines[-1][len(MARK) :])
    db_path.unlink(missing_ok=True)
    return result


def run(
    rows: int = ROWS, keep: Path | None = None, kinds: tuple[str, ...] = ("csv", "wxr")
) -> dict[str, dict[str, Any]]:
    """Both formats (or `kinds`): {'csv': figures, 'wxr': figures}."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return {kind: measure(kind, rows, keep) for kind in kinds}
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        return {kind: measure(kind, rows, Path(tmp)) for kind in kinds}


def main(argv: list[str]) -> None:
    """Print the figures (or, with --child, run one import and print its result)."""
    if argv[:1] == ["--child"]:
        print(MARK + json.dumps(child(Path(argv[1]), Path(argv[2]))), flush=True)
        return
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    numbers = [a for a in argv if a.isdigit()]
    rows = int(numbers[0]) if numbers else ROWS
    kinds = tuple(k for k in ("csv", "wxr") if k in argv) or ("csv", "wxr")
    for kind, r in run(rows, keep, kinds).items():
        if "error" in r:
            print(f"{kind}: error: {r['error']}")
            continue
        print(
            f"{kind}: {r['rows']:,} rows ({r['file_mb']:,.0f} MB, {r['words_per_post']:,.0f} "
            f"words/post) in {r['seconds']:.0f} s -> {r['posts_s']:,.0f} posts/s, "
            f"{r['words_s']:,.0f} words/s, CPU {r['cpu_ms_per_post']:.2f} ms/post (with the "
            f"workers); re-import {r['reimport_posts_s']:,.0f} posts/s "
            f"({r['reimport_stored']} stored, {r['reimport_not_cleaned']:,} not cleaned); "
            f"peak RSS {r['peak_rss_mb']:,.0f} MB (worker {r['worker_peak_rss_mb']:,.0f} MB); "
            f"DB {r['db_mb']:,.0f} MB"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
