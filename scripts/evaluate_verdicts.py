#!/usr/bin/env python3
"""Try to break the verdicts on histories built from the public corpora, print one table.

    .venv/bin/python scripts/evaluate_verdicts.py            # print the table (~5-10 min)
    .venv/bin/python scripts/evaluate_verdicts.py --write    # ... and write docs/verdicts.md

Histories (tests/verdict_histories.py builds them, the real CLI analyses and judges them):
(a) shuffled dates: Let's Encrypt, OpenTelemetry and the WordPress test data, 2 seeds each;
(b) pre-AI only: Let's Encrypt and OpenTelemetry cut at 2022-11-30;
(c) degrading: 40 quarters of human L2R passages, from an onset quarter on 20/40/60/80%
    replaced by their GPT-4o rewrite, scored by a model trained on the other half of the pairs.
Plus the out-of-sample false-alarm rate of the team threshold on real pre-AI posts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import verdict_histories as vh  # noqa: E402

PIPELINE = "en_core_web_sm"
SEEDS = (1, 2)
#: (half of the pairs, onset quarter index (24 = 2023Q1), seed, posts per quarter)
DEGRADING = (("A", 24, 11, 14), ("B", 28, 12, 14), ("A", 26, 13, 7), ("B", 30, 14, 7))
AI = "ai_style_probability"


def false_verdicts(root: Path) -> tuple[list[dict[str, Any]], list[vh.History]]:
    """(a) and (b): every better/worse verdict on a history without real drift; (b)'s
    histories are returned for the false-alarm check."""
    rows, pre_ai = [], []
    for blog in vh.BLOGS:
        for seed in SEEDS:
            rows.append(_no_drift_row(vh.shuffled_history(root, blog, seed, PIPELINE), "shuffled"))
    for blog in ("letsencrypt", "otel"):
        history = vh.pre_ai_history(root, blog, PIPELINE)
        pre_ai.append(history)
        row = _no_drift_row(history, "pre-AI only")
        pre = [s for s in vh.shares(history) if s["pre_ai"] and s["estimated_share"] is not None]
        row["mean_share"] = float(np.mean([s["estimated_share"] for s in pre])) if pre else None
        row["intervals_with_0"] = _with_zero(pre)
        rows.append(row)
    return rows, pre_ai


def _with_zero(quarters: list[dict[str, Any]]) -> str:
    with_ci = [q for q in quarters if q["ci_low"] is not None]
    held = sum(q["ci_low"] <= 0.0 for q in with_ci)
    return f"{held}/{len(with_ci)}"


def _no_drift_row(history: vh.History, kind: str) -> dict[str, Any]:
    verdicts = vh.trend_verdicts(history)
    wrong = {m: v["judgement"] for m, v in verdicts.items() if v["judgement"] != "neutral"}
    return {
        "history": history.name,
        "kind": kind,
        "false_verdicts": wrong,
        "ai_status": verdicts.get(AI, {}).get("status"),
        "ai_sentence": verdicts.get(AI, {}).get("sentence", ""),
    }


def degrading(root: Path) -> list[dict[str, Any]]:
    """(c): AI-styled verdict, change-point lag, share error and interval coverage."""
    rows = []
    for k, (half, onset, seed, per_quarter) in enumerate(DEGRADING):
        name = f"degrading-{k + 1}-{per_quarter}-per-quarter"
        history = vh.degrading_history(root, name, half, onset, seed, PIPELINE, per_quarter)
        verdicts = vh.trend_verdicts(history)
        ai = verdicts[AI]
        estimates = {s["quarter"]: s for s in vh.shares(history)}
        rows.append(_degrading_row(history, ai, estimates, verdicts))
    return rows


def _degrading_row(
    history: vh.History, ai: dict[str, Any], estimates: dict[str, Any], verdicts: dict[str, Any]
) -> dict[str, Any]:
    quarters = [
        q for q in history.true_share if estimates.get(q, {}).get("estimated_share") is not None
    ]
    errors = [abs(estimates[q]["estimated_share"] - history.true_share[q]) for q in quarters]
    with_ci = [q for q in quarters if estimates[q]["ci_low"] is not None]
    covered = [estimates[q]["ci_low"] <= history.true_share[q] <= estimates[q]["ci_high"]
               for q in with_ci]  # fmt: skip
    after = [q for q in quarters if history.true_share[q] > 0]
    onset = history.onset or ""
    lags = [_quarter_index(c) - _quarter_index(onset) for c in ai.get("change_points", [])]
    return {
        "history": history.name,
        "onset": onset,
        "ai_judgement": ai["judgement"],
        "ai_sentence": ai["sentence"],
        "change_point_lag": min(lags, key=abs) if lags else None,
        "mae_all": float(np.mean(errors)),
        "mae_after_onset": float(np.mean([errors[quarters.index(q)] for q in after])),
        "coverage": float(np.mean(covered)) if covered else None,
        "other_worse": sorted(
            m for m, v in verdicts.items() if v["judgement"] == "worse" and m != AI
        ),
    }


def _quarter_index(label: str) -> int:
    return int(label[:4]) * 4 + int(label[-1]) - 1


def false_alarms(histories: list[vh.History]) -> list[dict[str, Any]]:
    """Held-out false-alarm rate of the team threshold on real pre-AI posts, two ways."""
    from desktop_app.core.aistyle.team import pre_ai_posts, probabilities_for, team_threshold
    from desktop_app.core.history import open_history
    from desktop_app.core.settings import Settings

    rows = []
    for history in histories:
        team = vh.cli_json(history, "ai-style", "threshold")
        db = open_history(history.db)
        early = Settings(ai_adoption_date="2021-01-01")
        forward = team_threshold(db, early)
        later = [
            p
            for p in pre_ai_posts(db, Settings())
            if p.published and p.published >= date(2021, 1, 1)
        ]
        probs = probabilities_for(db, later)
        db.close()
        rows.append({
            "blog": history.name,
            "forward_fit_n": forward.n_pre_ai_posts,
            "n_pre_ai": team["n_pre_ai_posts"],
            "threshold": team["threshold"],
            "held_out_rate": team["false_alarm_rate"],
            "detection_rate": team["detection_rate_on_labelled_set"],
            "forward_threshold": forward.threshold,
            "forward_n": len(later),
            "forward_rate": float(np.mean(probs >= forward.threshold)) if len(later) else None,
        })  # fmt: skip
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}%}"


def _no_drift_table(rows: list[dict[str, Any]]) -> list[str]:
    header = ["history", "kind", "better/worse verdicts (all false)", "AI-styled prose",
              "mean pre-AI quarter share", "pre-AI intervals holding 0"]  # fmt: skip
    body = [
        [r["history"], r["kind"],
         ", ".join(f"{m}: {j}" for m, j in r["false_verdicts"].items()) or "none",
         r["ai_status"] or "", _pct(r.get("mean_share")) if "mean_share" in r else "",
         r.get("intervals_with_0", "")]
        for r in rows
    ]  # fmt: skip
    total = sum(len(r["false_verdicts"]) for r in rows if r["kind"] == "shuffled")
    return [*_table(header, body), "", f"False verdicts on shuffled histories: **{total}**."]


def _degrading_table(rows: list[dict[str, Any]]) -> list[str]:
    header = ["history", "onset", "AI-styled prose", "change-point lag (quarters)",
              "share MAE (all quarters)", "MAE after onset", "90% interval coverage",
              "other measures 'worse'"]  # fmt: skip
    body = [
        [r["history"], r["onset"], r["ai_judgement"],
         "none found" if r["change_point_lag"] is None else f"{r['change_point_lag']:+d}",
         f"{r['mae_all']:.3f}", f"{r['mae_after_onset']:.3f}", _pct(r["coverage"], 0),
         ", ".join(r["other_worse"]) or "none"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def _false_alarm_table(rows: list[dict[str, Any]]) -> list[str]:
    header = ["blog", "pre-AI posts", "threshold", "held-out rate (5 date blocks)",
              "detection rate, labelled set", "threshold fitted before 2021 (posts)",
              "its rate on 2021-01..2022-11 posts (n)"]  # fmt: skip
    body = [
        [r["blog"], str(r["n_pre_ai"]), f"{r['threshold']:.3f}", _pct(r["held_out_rate"]),
         _pct(r["detection_rate"]), f"{r['forward_threshold']:.3f} ({r['forward_fit_n']})",
         f"{_pct(r['forward_rate'])} ({r['forward_n']})"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def markdown(
    no_drift: list[dict[str, Any]], degr: list[dict[str, Any]], fa: list[dict[str, Any]]
) -> str:
    """The results as the docs/verdicts.md tables."""
    lines = ["### (a) Shuffled dates and (b) pre-AI-only histories", "",
             *_no_drift_table(no_drift), "",
             "### (c) Degrading histories (known AI share per quarter)", "",
             *_degrading_table(degr), "",
             "### Out-of-sample false-alarm rate of the team threshold (real pre-AI posts)", "",
             *_false_alarm_table(fa)]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build every history, judge it, print (and with --write, save) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/verdicts.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verdicts-") as tmp:
        root = Path(tmp)
        no_drift, pre_ai = false_verdicts(root)
        degr, fa = degrading(root), false_alarms(pre_ai)
    table = markdown(no_drift, degr, fa)
    print(table)
    for r in degr:
        print(f"{r['history']}: {r['ai_sentence']}")
    if args.write:
        doc = REPO / "docs" / "verdicts.md"
        head = doc.read_text(encoding="utf-8").split("<!-- results -->")[0] if doc.exists() else ""
        doc.write_text(head + "<!-- results -->\n\n" + table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
