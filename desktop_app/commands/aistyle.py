"""`content-drift ai-style ...` and `check-batch`: the AI-styled prose (estimated) score."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop_app.commands.common import (
    CommandError,
    db_path,
    guarded,
    open_db,
    print_json,
    settings,
)
from desktop_app.core.aistyle import (
    LABEL,
    AIStyleModel,
    AIStyleModelError,
    TeamThreshold,
    estimated_ai_share_by_quarter,
    load_model,
    pre_ai_share,
    team_threshold,
)
from desktop_app.core.aistyle.team import adoption_date
from desktop_app.core.analysis.batch_check import (
    Analyzer,
    BatchError,
    check_batch_file,
    engine_analyzer,
    iter_batch_results,
)
from desktop_app.core.ingest.base import ImportOptions, IngestError
from desktop_app.core.ingest.dispatch import read_for_check

NOTE = "Evidence for the team's own trend, not a verdict on a writer."


def _model() -> AIStyleModel:
    try:
        return load_model()
    except AIStyleModelError as exc:
        raise CommandError(str(exc)) from exc


@guarded
def cmd_evaluate(args: argparse.Namespace) -> int:
    """Print the shipped model's evaluation and training-data provenance."""
    meta = _model().meta
    if args.json:
        print_json({k: meta[k] for k in ("version", "training_data", "metrics", "calibration")})
        return 0
    m, data = meta["metrics"], meta["training_data"]
    print(f"{LABEL}: linear model v{meta['version']}, {len(meta['vocabulary'])} terms")
    print(f"trained on {data['n_texts']} passages ({data['source']}; {data['license']})")
    print(f"cross-validated ROC AUC ({m['cv']}): {m['cv_roc_auc']:.3f}")
    print(f"pairs where the rewrite scores higher than its original: {m['cv_paired_accuracy']:.1%}")
    print(f"leave-one-domain-out ROC AUC (mean {m['leave_one_domain_out_mean']:.3f}):")
    for domain, auc in m["leave_one_domain_out_roc_auc"].items():
        print(f"  {domain:<18} {auc:.3f}")
    print("reproduce: .venv/bin/python scripts/train_ai_style.py --evaluate")
    return 0


def _threshold_lines(result: TeamThreshold, cutoff: str) -> list[str]:
    if result.false_alarm_rate is None:
        rate = f"unknown ({result.n_pre_ai_posts} dated posts before {cutoff}; too few to measure)"
    else:
        rate = (
            f"{result.false_alarm_rate:.1%} of {result.n_pre_ai_posts} posts before {cutoff}, "
            "each scored at a threshold fitted without it (5 date blocks)"
        )
    return [
        f"threshold: {result.threshold:.4f}",
        f"false-alarm rate: {rate}",
        f"detection rate on the labelled set: {result.detection_rate_on_labelled_set:.1%}",
    ]


@guarded
def cmd_threshold(args: argparse.Namespace) -> int:
    """Print the team's flag threshold with its false-alarm rate on pre-AI posts."""
    user = settings()
    result = team_threshold(open_db(args), user, _model())
    cutoff = adoption_date(user).isoformat()
    if args.json:
        print_json({**result._asdict(), "pre_ai_before": cutoff})
    else:
        print("\n".join(_threshold_lines(result, cutoff)))
    return 0


def _read_text(path: Path) -> str:
    try:
        posts = read_for_check(path, ImportOptions.from_settings(settings()))
    except IngestError as exc:
        raise CommandError(str(exc)) from exc
    return "\n\n".join(p.text for p in posts)


@guarded
def cmd_score(args: argparse.Namespace) -> int:
    """Score one file and show the words that pushed the score up."""
    text = _read_text(Path(args.file))
    result = _model().score(text)
    team = team_threshold(open_db(args), settings()) if args.team else None
    data: dict[str, Any] = {
        "file": args.file,
        "ai_style_probability": result.probability,
        "words": result.words,
        "top_terms": result.top_terms,
        "evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in result.spans],
    }
    if team is not None:
        data["flagged"] = result.probability >= team.threshold
        data["team_threshold"] = team._asdict()
    if args.json:
        print_json(data)
        return 0
    print(f"{LABEL}: {result.probability:.2f} ({result.words} words)")
    print("pushed up by: " + ", ".join(t for t, _ in result.top_terms) if result.top_terms else "")
    if team is not None:
        rate = team.false_alarm_rate
        alarm = f"{rate:.1%} false alarms on pre-AI posts" if rate is not None else "untested"
        state = "flagged" if data["flagged"] else "not flagged"
        print(f"{state} at the team threshold {team.threshold:.2f} ({alarm})")
    print(NOTE)
    return 0


@guarded
def cmd_shares(args: argparse.Namespace) -> int:
    """Per quarter: the estimated share of AI-styled posts and the labelled share."""
    db, model = open_db(args), _model()
    user = settings()
    rows = estimated_ai_share_by_quarter(db, user, model=model)
    reference = pre_ai_share(db, user, model)
    if args.json:
        print_json([r._asdict() for r in rows])
        return 0
    if not rows:
        print(f"No dated posts before {adoption_date(user).isoformat()}: without the team's own "
              "pre-AI writing as a reference, no share is estimated.")  # fmt: skip
        return 0
    print(f"{'quarter':<22} {'n':>5} {'estimated':>10}  90% interval   labelled")
    for r in [*rows, *([reference] if reference else [])]:
        labelled = f"{r.labelled_share:.0%}" if r.labelled_share is not None else "—"
        mark = " (pre-AI)" if r.pre_ai and r is not reference else ""
        print(
            f"{r.quarter + mark:<22} {r.n:>5} {r.share_text():>10}  "
            f"{r.interval_text():<13} {labelled:>8}"
        )
    print("Each quarter is estimated against your own pre-AI posts (pre-AI quarters against the "
          "other pre-AI quarters), so pre-AI quarters come out near 0%.")  # fmt: skip
    return 0


def run_batch(path: Path, as_json: bool, analyze: Analyzer | None = None) -> int:
    """Stream batch results to stdout (JSON lines, or a compact table); 1 if any record failed."""
    failed = 0
    try:
        for result in iter_batch_results(path, analyze, _model()):
            failed += "error" in result
            if as_json:
                print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
            elif "error" in result:
                print(f"error: {result['error']}", file=sys.stderr)
            else:
                print(f"{result['id']}\t{result['ai_style_probability']:.3f}\t{result['words']}w")
    except BatchError as exc:
        raise CommandError(str(exc)) from exc
    return 1 if failed else 0


@guarded
def cmd_check_batch(args: argparse.Namespace) -> int:
    """Score every record of a CSV/JSONL file without storing it; one JSON object per line."""
    path = Path(args.file)
    try:
        check_batch_file(path)
    except BatchError as exc:
        raise CommandError(str(exc)) from exc
    return run_batch(path, args.json, batch_analyzer(args))


def batch_analyzer(args: argparse.Namespace) -> Analyzer | None:
    """The engine-backed analyzer (every metric + freshness), or None with --ai-style-only."""
    if getattr(args, "ai_style_only", False):
        return None
    from desktop_app.core.analysis.engine import AnalysisEngine

    open_db(args).conn.close()  # a clear error now if the history cannot be opened
    engine = AnalysisEngine(db_path(args), settings())
    info = engine.pipeline_info  # stdout carries only results, so say this on stderr
    print(f"pipeline: {info.label}", file=sys.stderr)
    if info.is_fallback:
        print(
            "WARNING: blank spaCy fallback; tagger/NER metrics are 'unavailable'", file=sys.stderr
        )
    return engine_analyzer(engine)


def register(sub: Any) -> None:
    """Add `ai-style` (evaluate, threshold, score, shares) and `check-batch` to the CLI."""
    p = sub.add_parser("ai-style", help=f"{LABEL}: evaluation, team threshold, scoring")
    p.set_defaults(func=lambda _args, parser=p: parser.print_help() or 2)
    inner = p.add_subparsers(dest="ai_style_command", metavar="ACTION")
    q = inner.add_parser("evaluate", help="show the shipped model's evaluation")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_evaluate)
    q = inner.add_parser("threshold", help="team threshold and its false-alarm rate")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_threshold)
    q = inner.add_parser("score", help="score one file (Markdown, HTML, text, .docx)")
    q.add_argument("file")
    q.add_argument("--team", action="store_true", help="also flag it at the team threshold")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_score)
    q = inner.add_parser("shares", help="estimated share of AI-styled posts per quarter")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_shares)

    p = sub.add_parser("check-batch", help="score a CSV/JSONL of texts without storing them")
    p.add_argument("file", help=".csv (header with id, text[, date]) or .jsonl")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument(
        "--ai-style-only",
        action="store_true",
        help="only the AI-style probability (no spaCy; much faster)",
    )
    p.set_defaults(func=cmd_check_batch)
