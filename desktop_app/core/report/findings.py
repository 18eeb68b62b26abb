"""Page 1 of the report: key findings quoted from the quarter's posts, and what to do next."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from desktop_app.core.baseline.scoring import Baseline
from desktop_app.core.report.model import KeyFinding, NextSteps, PostHighlight, QuarterReport
from desktop_app.core.trends.data import MetricTable

MAX_FINDINGS = 5
EXAMPLES = 3  # quoted phrases per finding
CUT_PHRASES = 8
REWORK_POSTS = 3
DIMENSION_WORDS = {
    "diversity": "lexical diversity",
    "repetition": "repetition",
    "genericness": "genericness",
    "readability": "readability",
    "ai_style": "AI-styled prose",
}
#: (evidence kind, its density metric, finding title, plural noun)
FLAGGED_KINDS = (
    ("cliche", "cliche_density", "Stock phrases", "stock phrases"),
    ("ai_marker", "ai_marker_density", "AI-marker words", "AI-marker words"),
)


@dataclass(frozen=True)
class Flagged:
    """A lexicon phrase found in the quarter: how many posts use it and how often."""

    text: str
    posts: int
    uses: int


def flagged_phrases(db: Database, post_ids: Sequence[str], kind: str) -> list[Flagged]:
    """The `kind` evidence phrases of these posts, most widespread first."""
    posts: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for post_id in post_ids:
        rows = db.execute(
            "select text from evidence where post_id = ? and kind = ?", [post_id, kind]
        ).fetchall()
        found = [str(r[0]).strip().lower() for r in rows if r[0] and str(r[0]).strip()]
        uses.update(found)
        posts.update(set(found))
    ranked = sorted(posts, key=lambda t: (-posts[t], -uses[t], t))
    return [Flagged(t, posts[t], uses[t]) for t in ranked]


def quoted(items: Sequence[Flagged], limit: int = EXAMPLES) -> str:
    """'“stay tuned” (3 posts), “crucial” (2 posts)'."""
    return ", ".join(f"“{f.text}” ({_posts(f.posts)})" for f in items[:limit])


def quote_evidence(phrase: str) -> str:
    """'a custom registry ×3' (from top_evidence) -> '“a custom registry” ×3'."""
    text, sep, count = phrase.rpartition(" ×")
    return f"“{text}” ×{count}" if sep and count.isdigit() else f"“{phrase}”"


def _posts(n: int) -> str:
    return f"{n} post" if n == 1 else f"{n} posts"


def ordinal(value: float) -> str:
    """12 -> '12th', 1 -> '1st', 22 -> '22nd'."""
    n = round(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _mean(values: np.ndarray) -> float | None:
    ok = values[~np.isnan(values)]
    return float(ok.mean()) if ok.size else None


def _rate_finding(
    table: MetricTable, baseline: Baseline, spec: tuple[str, str, str, str], found: list[Flagged]
) -> KeyFinding | None:
    _, metric, title, noun = spec
    if not found or metric not in table.metrics:
        return None
    now = _mean(table.column(metric))
    base_values = baseline.values.get(metric)
    base = float(np.mean(base_values)) if base_values is not None and len(base_values) else None
    text = f"{found[0].posts} of {len(table)} posts use the most common one"
    if now is not None:
        text = f"{now:.1f} {noun} per 1,000 words"
        if base:
            side = "above" if now > base else "below" if now < base else "level with"
            text += f", {side} your baseline's {base:.1f} ({now / base:.1f}× its rate)"
    return KeyFinding(title, text + ". Most used:", quoted(found))


def _post_why(post: PostHighlight, weakest: bool) -> str:
    ranked = sorted(post.dimensions.items(), key=lambda kv: kv[1], reverse=not weakest)
    picked = [(d, p) for d, p in ranked if (p < 50 if weakest else p > 50)][:2]
    return " and ".join(
        f"{DIMENSION_WORDS.get(d, d)} at the {ordinal(p)} percentile of your baseline"
        for d, p in picked
    )


def _post_finding(post: PostHighlight, weakest: bool) -> KeyFinding:
    label = "lowest" if weakest else "highest"
    text = (
        f"“{post.title}” ({post.published}, {post.authors}) has the {label} freshness of the "
        f"quarter, {post.freshness:.0f}/100"
    )
    why = _post_why(post, weakest)
    text += f": {why}." if why else "."
    example = ", ".join(quote_evidence(p) for p in post.phrases)
    title = "Most generic post" if weakest else "Freshest post"
    return KeyFinding(title, text, f"It uses {example}." if example else "")


def _ai_finding(report: QuarterReport, table: MetricTable) -> KeyFinding | None:
    section = report.ai_style
    if section is None:
        return None
    now = next((r for r in section.quarters if r.quarter == report.quarter), None)
    if now is None or now.estimated_share is None:
        return None
    text = f"An estimated {now.estimated_share:.0%} of the {now.n} posts read as AI-styled"
    if section.reference is not None and section.reference.estimated_share is not None:
        text += f" (your pre-AI quarters: {section.reference.estimated_share:.0%})"
    text += f"; {section.flagged_now} of {section.n_now} are flagged at your team threshold."
    example = ""
    if "ai_style_probability" in table.metrics:
        probs = table.column("ai_style_probability")
        if (~np.isnan(probs)).any():
            i = int(np.nanargmax(probs))
            example = (
                f"Highest score: “{table.titles[i]}” ({probs[i]:.2f}; the team threshold is "
                f"{section.threshold:.2f})."
            )
    return KeyFinding("AI-styled prose (estimated)", text, example)


def _phrase_finding(report: QuarterReport) -> KeyFinding | None:
    if not report.new_phrases:
        return None
    top = report.new_phrases[:EXAMPLES]
    text = (
        f"{len(report.new_phrases)} phrase(s) became common in {report.quarter} that your "
        "earlier posts rarely used."
    )
    example = ", ".join(
        f"“{p.phrase}” ({_posts(p.posts_now)}, {p.share_before:.0%} of earlier posts)" for p in top
    )
    return KeyFinding("New stock phrasing", text, example)


def key_findings(
    report: QuarterReport, table: MetricTable, baseline: Baseline, flagged: dict[str, list[Flagged]]
) -> list[KeyFinding]:
    """Up to MAX_FINDINGS findings, each with an example from the quarter's posts."""
    found: list[KeyFinding | None] = [
        _rate_finding(table, baseline, spec, flagged.get(spec[0], [])) for spec in FLAGGED_KINDS
    ]
    found.append(_post_finding(report.most_generic[0], True) if report.most_generic else None)
    found.append(_ai_finding(report, table))
    found.append(_phrase_finding(report))
    found.append(_post_finding(report.freshest[0], False) if report.freshest else None)
    return [f for f in found if f is not None][:MAX_FINDINGS]


def next_steps(report: QuarterReport, flagged: dict[str, list[Flagged]]) -> NextSteps:
    """Phrases to cut (the quarter's most widespread lexicon hits), posts to rework, models."""
    merged = sorted(
        (f for kind, _, _, _ in FLAGGED_KINDS for f in flagged.get(kind, [])),
        key=lambda f: (-f.posts, -f.uses, f.text),
    )
    cut = [f"“{f.text}” ({_posts(f.posts)})" for f in merged[:CUT_PHRASES]]
    rework = [_rework(p) for p in report.most_generic[:REWORK_POSTS] if p.freshness < 50]
    models = [f"“{p.title}” ({p.freshness:.0f}/100)" for p in report.freshest[:2]
              if p.freshness >= 50]  # fmt: skip
    return NextSteps(cut, rework, models)


def _rework(post: PostHighlight) -> str:
    text = f"“{post.title}” ({post.freshness:.0f}/100"
    if post.phrases:
        text += "; cut " + ", ".join(quote_evidence(p) for p in post.phrases[:2])
    return text + ")"


def page_one(
    db: Database, report: QuarterReport, table: MetricTable, baseline: Baseline
) -> tuple[list[KeyFinding], NextSteps]:
    """The key findings and next steps for the quarter's posts in `table`."""
    flagged = {kind: flagged_phrases(db, table.post_ids, kind) for kind, *_ in FLAGGED_KINDS}
    return key_findings(report, table, baseline, flagged), next_steps(report, flagged)
