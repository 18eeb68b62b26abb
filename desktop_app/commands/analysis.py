"""CLI commands `analyze` (re-analyse the history) and `check` (measure one file or stdin)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desktop_app.commands.argtypes import positive_int
from desktop_app.commands.common import (
    CommandError,
    db_path,
    guarded,
    open_db,
    print_json,
    settings,
)
from desktop_app.core.aistyle.team import CAVEAT, flag_sentence
from desktop_app.core.analysis.dask_route import DaskUnavailable
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.analysis.job import DaskTarget
from desktop_app.core.analysis.results import CheckResult, MetricReport, SpanReport
from desktop_app.core.analysis.workers import can_fork
from desktop_app.core.history.repository import store_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.nlp.pipeline import PipelineInfo
from desktop_app.core.records import Post

SPAN_KINDS_SHOWN = ("ai_marker", "cliche", "repeated", "recycled", "ai_style")
MAX_SPANS_PER_KIND = 15


def announce_pipeline(info: PipelineInfo) -> None:
    """Say which pipeline is in use; loudly (on stderr too) when it is the blank fallback."""
    if not info.is_fallback:
        print(f"pipeline: {info.label}")
        return
    banner = (
        "!" * 72 + "\n"
        f"WARNING: using the BLANK spaCy fallback ({info.label}).\n"
        "Metrics that need a tagger or entity recogniser are marked 'unavailable'.\n"
        "Install the pipeline named in the settings to get every metric.\n" + "!" * 72
    )
    print(banner)
    if not sys.stdout.isatty():
        print(banner, file=sys.stderr)


def _progress(done: int, total: int) -> None:
    """A progress line on a terminal only, erased at the end (the summary line gives the count)."""
    if not sys.stderr.isatty():
        return
    text = f"\ranalysed {done}/{total} post(s)"
    print(text if done < total else "\r" + " " * len(text) + "\r", end="", file=sys.stderr)


@guarded
def cmd_analyze(args: argparse.Namespace) -> int:
    """Analyse posts that are missing values (default), stale (--stale) or all (--all)."""
    if args.dask_workers and not args.dask:
        raise CommandError("--dask-workers needs --dask SCHEDULER_ADDRESS|local")
    open_db(args).conn.close()  # migrations + a clear error for a bad file
    engine = AnalysisEngine(db_path(args), settings())
    announce_pipeline(engine.pipeline_info)
    mode = "all" if args.all else "stale" if args.stale else "missing"
    processes = args.processes or min(2, os.cpu_count() or 1)
    dask = DaskTarget(args.dask, args.dask_workers) if args.dask else None
    try:
        report = engine.analyze_posts(
            None, progress=_progress, mode=mode, n_process=processes,
            spawn=args.spawn or not can_fork(), dask=dask,
        )  # fmt: skip
    except DaskUnavailable as exc:
        raise CommandError(f"{exc}; nothing was analysed") from exc
    for post_id, reason in report.failed:
        print(f"failed   {post_id}: {reason}")
    print(report.summary_line())
    return 1 if report.failed else 0


def _read_input(args: argparse.Namespace) -> list[Post]:
    """Posts to check: stdin with --text -, else the file via the importers."""
    if args.text is not None:
        if args.text != "-":
            raise CommandError("--text only accepts '-' (read the text from stdin)")
        text = sys.stdin.read()
        return [Post(title=args.title or "stdin", text=text, source="<stdin>")]
    if not args.file:
        raise CommandError("check needs a FILE or --text -")
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    return _read_file(path)


def _read_file(path: Path) -> list[Post]:
    from desktop_app.core.ingest.base import IngestError
    from desktop_app.core.ingest.dispatch import read_for_check

    try:
        return read_for_check(path, ImportOptions.from_settings(settings()))
    except IngestError as exc:
        raise CommandError(str(exc)) from exc


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:.0f}"


def _metric_line(m: MetricReport) -> str:
    pct = "   —" if m.percentile is None else f"{m.percentile:4.0f}"
    return f"  {m.label:<30} {_fmt(m.value):>8} {m.unit:<16} pct {pct}  {m.confidence}"


def _span_line(s: SpanReport) -> str:
    line = f"  [{s.kind}] {s.text!r}"
    if s.ref_post_id:
        when = s.ref_published or "undated"
        line += f"  <- {s.ref_title!r} ({when})"
    return line


def print_check(result: CheckResult) -> None:
    """The human-readable check report."""
    print(f"\n{result.title or 'untitled'}: {result.word_count} words, "
          f"against {result.history_posts} post(s) in the history")  # fmt: skip
    print(result.baseline_note)
    fresh = "—" if result.freshness is None else f"{result.freshness:.0f}/100"
    print(f"freshness index: {fresh}  (higher = fresher than the team baseline)")
    if result.ai_style is not None:
        print(f"{flag_sentence(result.ai_style)}\n  {CAVEAT}")
    for dim, pct in result.dimensions.items():
        print(f" {dim}: percentile {'—' if pct is None else f'{pct:.0f}'}")
        for m in result.metrics:
            if m.dimension == dim:
                print(_metric_line(m))
    for kind in SPAN_KINDS_SHOWN:
        spans = [s for s in result.spans if s.kind == kind]
        if spans:
            print(f"evidence: {kind} ({len(spans)})")
            for s in spans[:MAX_SPANS_PER_KIND]:
                print(_span_line(s))


@guarded
def cmd_check(args: argparse.Namespace) -> int:
    """Measure one file (or stdin) against the history; --add also stores and analyses it."""
    if args.batch:
        from desktop_app.commands.aistyle import cmd_check_batch

        args.file = args.batch
        return int(cmd_check_batch(args))
    posts = _read_input(args)
    db = open_db(args)
    engine = AnalysisEngine(db_path(args), settings())
    info = engine.pipeline_info
    if not args.json:
        announce_pipeline(info)
    results = [engine.check_text(p.text, p.title, p.published) for p in posts]
    if args.add:
        store_posts(db, posts)
        engine.analyze_posts([p.id for p in posts])
    db.conn.close()
    if args.json:
        print_json(_json(results))
    else:
        for result in results:
            print_check(result)
        if args.add:
            print(f"\nadded {len(posts)} post(s) to the history")
    return 0


def _json(results: list[CheckResult]) -> dict[str, Any]:
    docs = [r.to_json() for r in results]
    return {"schema_version": docs[0]["schema_version"], "documents": docs}


def register(sub: Any) -> None:
    """Add analyze/check to the CLI."""
    p = sub.add_parser("analyze", help="compute metrics for posts that need it")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="re-analyse every post")
    stale_help = "also re-analyse posts analysed by another pipeline/analyzer version"
    group.add_argument("--stale", action="store_true", help=stale_help)
    p.add_argument(
        "--processes",
        type=positive_int,
        metavar="N",
        help="parse and score in N processes (default: up to 2, for 100 posts or more)",
    )
    p.add_argument(
        "--spawn",
        action="store_true",
        help="start the worker processes as fresh interpreters, as the app does "
        "(default only where fork is unavailable)",
    )
    p.add_argument(
        "--dask",
        metavar="SCHEDULER_ADDRESS|local",
        help="analyse on a Dask cluster (e.g. tcp://10.0.0.5:8786), or 'local' for a "
        "LocalCluster on this machine; this process still writes the history",
    )
    p.add_argument(
        "--dask-workers",
        type=positive_int,
        metavar="N",
        help="with --dask local: N worker processes (default 2); with an address: wait for N",
    )
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("check", help="measure one article against the history")
    p.add_argument("file", nargs="?", help="a Markdown/HTML/text/Word file")
    p.add_argument("--text", metavar="-", help="read the text from stdin ('-')")
    p.add_argument("--title", help="title to show (with --text -)")
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (docs/check-json.md)"
    )
    p.add_argument("--add", action="store_true", help="also store the article in the history")
    p.add_argument("--batch", metavar="FILE", help="score a CSV/JSONL file without storing it")
    p.add_argument(
        "--ai-style-only", action="store_true", help="with --batch: only the AI-style probability"
    )
    p.set_defaults(func=cmd_check)
