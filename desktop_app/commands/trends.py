"""`content-drift trends`: per-period series and plain-language trend verdicts."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.commands.common import CommandError, guarded, open_db, print_json, settings
from desktop_app.core.trends import (
    GRANULARITIES,
    SPLITS,
    TrendsResult,
    compute_trends,
    trends_to_dict,
)
from desktop_app.core.trends.compute import AIStyleShares, MetricTrend
from desktop_app.core.trends.verdicts import fmt


def parse_adoption(text: str | None, origin: str) -> date | None:
    """The AI adoption date from ISO text, or CommandError naming where it came from."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{origin}: not a date {text!r} (expected YYYY-MM-DD)") from exc


def _series_lines(trend: MetricTrend) -> list[str]:
    lines = [f"    {'period':<8} {'n':>5} {'mean':>10} {'median':>10}  90% CI"]
    for p in trend.series:
        if not p.enough:
            mean = fmt(p.mean) if p.mean is not None else "—"
            lines.append(f"    {p.period:<8} {p.n:>5} {mean:>10} {'':>10}  {p.status}")
            continue
        ci = f"{fmt(p.ci_low)} – {fmt(p.ci_high)}"
        lines.append(f"    {p.period:<8} {p.n:>5} {fmt(p.mean):>10} {fmt(p.median):>10}  {ci}")
    return lines


def _print_text(result: TrendsResult, show_series: bool) -> None:
    for group in result.groups:
        span = f"{result.periods[0]}–{result.periods[-1]}" if result.periods else ""
        print(f"== {group.name}: {group.n_posts} posts, by {result.by}, {span} ==")
        for trend in group.metrics:
            print(f"- {trend.verdict.sentence}")
            if show_series:
                print("\n".join(_series_lines(trend)))
        print()
    if result.adoption_date:
        print(f"== Before/after the AI adoption date {result.adoption_date.isoformat()} ==")
        for test in result.adoption:
            print(f"- {test.sentence}")
        print()
    _print_corpus(result)
    if result.ai_style:
        print("\n".join(ai_share_lines(result.ai_style)) + "\n")
    for note in result.notes:
        print(f"note: {note}")


def _print_corpus(result: TrendsResult) -> None:
    if not result.corpus:
        return
    size = result.corpus_sample_size
    print(f"== Corpus measures per {result.by} (random samples of {size} posts, seeded) ==")
    print(f"    {'period':<8} {'n':>5} {'gzip ratio':>11} {'4-gram div.':>12} {'homogen.':>9}")
    for c in result.corpus:
        if c.gzip_ratio is None:
            print(f"    {c.period:<8} {c.n_posts:>5}  {c.status}")
            continue
        cells = f"{fmt(c.gzip_ratio):>11} {fmt(c.ngram_diversity):>12} {fmt(c.homogenization):>9}"
        print(f"    {c.period:<8} {c.n_posts:>5} {cells}")


def ai_share_lines(shares: AIStyleShares) -> list[str]:
    """The per-quarter estimated share of AI-styled posts, with the pre-AI reference level."""
    team = shares.team
    lines = [
        "== AI-styled prose (estimated): share of posts per quarter ==",
        "    estimated against your own pre-AI posts (mixture estimate, 90% interval); "
        "labelled = share marked AI-assisted among labelled posts",
        f"    {'quarter':<22} {'n':>5} {'estimated':>10}  {'90% interval':<13} {'labelled':>8}",
    ]
    rows = [*shares.quarters, *([shares.reference] if shares.reference else [])]
    for r in rows:
        labelled = f"{r.labelled_share:.0%}" if r.labelled_share is not None else "—"
        lines.append(
            f"    {r.quarter:<22} {r.n:>5} {r.share_text():>10}  {r.interval_text():<13} "
            f"{labelled:>8}"
        )
    rate = "unknown" if team.false_alarm_rate is None else f"{team.false_alarm_rate:.1%}"
    lines += [
        "    pre-AI quarters are estimated against the other pre-AI quarters (last row: their "
        "level)",
        f"    threshold {team.threshold:.2f} flags {rate} of your {team.n_pre_ai_posts} pre-AI "
        "posts, each held out from fitting it (false-alarm rate); detection rate on the "
        "labelled set "
        f"{team.detection_rate_on_labelled_set:.0%}",
        "    Evidence for the team's own trend, not a verdict on a writer.",
    ]
    return lines


@guarded
def cmd_trends(args: argparse.Namespace) -> int:
    """Compute and print trends (text or JSON)."""
    user = settings()
    adoption = parse_adoption(args.adoption_date, "--adoption-date") or parse_adoption(
        user.ai_adoption_date, "settings ai_adoption_date"
    )
    metrics = [args.metric] if args.metric else None
    if args.metric:
        _check_metric(args.metric)
    result = compute_trends(
        open_db(args), metrics=metrics, by=args.by, split=args.split,
        adoption_date=adoption, corpus=not args.no_corpus, settings=user,
        ai_share=args.ai_share or args.json or args.split == "ai-style",
    )  # fmt: skip
    if not result.groups and result.periods and args.split in ("author", "tag"):
        article = "an" if args.split == "author" else "a"
        raise CommandError(
            f"no analysed post in the history names {article} {args.split}: nothing to split by"
        )
    if not result.groups:
        raise CommandError("no analysed, dated posts in the history (run `analyze` first)")
    if args.metric and not result.groups[0].metrics:
        raise CommandError(f"no values stored for metric {args.metric!r} (run `analyze`)")
    if args.json:
        print_json(trends_to_dict(result))
    else:
        _print_text(result, show_series=bool(args.metric) or args.series)
    return 0


def _check_metric(name: str) -> None:
    from desktop_app.core.metrics.registry import REGISTRY

    if name not in REGISTRY:
        known = ", ".join(REGISTRY)
        raise CommandError(f"unknown metric {name!r}; known metrics: {known}")


def register(sub: Any) -> None:
    """Add `trends` and `summary` to the CLI."""
    register_summary(sub)
    p = sub.add_parser("trends", help="per-period series and trend verdicts for each metric")
    p.add_argument("--metric", help="only this metric (also prints its per-period table)")
    p.add_argument("--by", choices=GRANULARITIES, default="quarter", help="period length")
    p.add_argument(
        "--split",
        choices=SPLITS,
        help="separate series per AI-assisted label, AI-styled prose (estimated), author or tag",
    )
    p.add_argument(
        "--ai-share",
        action="store_true",
        help="print the estimated share of AI-styled posts per quarter (always in --json)",
    )
    p.add_argument("--adoption-date", help="AI adoption date YYYY-MM-DD (default: settings)")
    p.add_argument("--series", action="store_true", help="print every metric's period table")
    p.add_argument("--no-corpus", action="store_true", help="skip the corpus-level measures")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_trends)


@guarded
def cmd_summary(args: argparse.Namespace) -> int:
    """Print the plain-language answer (the same text as the dashboard and the report)."""
    from desktop_app.core.baseline.scoring import load_baseline
    from desktop_app.core.report.summary import summary
    from desktop_app.core.trends.periods import PeriodError, normalise_quarter

    try:
        quarter = normalise_quarter(args.quarter) if args.quarter else None
    except PeriodError as exc:
        raise CommandError(str(exc)) from exc
    user, db = settings(), open_db(args)
    result = summary(db, user, load_baseline(db, user), quarter)
    if args.json:
        print_json(result.to_json())
    else:
        print(result.text)
    return 0


def register_summary(sub: Any) -> None:
    """Add `summary` to the CLI."""
    p = sub.add_parser("summary", help="the answer in plain words: is the writing getting worse?")
    p.add_argument("--quarter", help="the quarter to describe, e.g. 2025Q3 (default: latest "
                   "with enough posts)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="the sentences and figures as JSON")
    p.set_defaults(func=cmd_summary)
