"""Histories built from the public corpora to try to break the verdicts (see docs/verdicts.md).

* shuffled: a real blog with its publication dates randomly permuted, so no real drift can
  exist: every "better"/"worse" verdict on it is false;
* pre-AI: a real blog cut at 2022-11-30: no AI-styled verdict may say "worse";
* degrading: human L2R passages as posts over 40 quarters; from an onset quarter on, a growing
  share (20%, 40%, 60%, then 80%) is replaced by the GPT-4o rewrite of the same passage
  (``pair_id``), so the true AI share per quarter is known. They are scored by a model trained
  on the *other* half of the pairs (tests/data/ai_style_crossfit/), never on these texts.

Everything goes through the real CLI (``desktop_app.cli.run``) on a real SQLite file; the one
exception is the date shuffle, which rewrites the ``published`` column of a copy directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.cli import run

REPO = Path(__file__).resolve().parents[1]
BLOGS = {
    "letsencrypt": REPO / "resources" / "demo" / "letsencrypt-blog",
    "otel": REPO / "resources" / "demo" / "otel-blog",
    "wordpress": REPO / "tests" / "data" / "wordpress-wxr",
}
L2R = REPO / "tests" / "data" / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
CROSSFIT = REPO / "tests" / "data" / "ai_style_crossfit"
PRE_AI_END = date(2022, 12, 1)  # pre-AI histories keep posts published before this day
FIRST_QUARTER = (2017, 1)
QUARTERS = 40
POSTS_PER_QUARTER = 7
RAMP = (0.2, 0.4, 0.6, 0.8)


@dataclass
class History:
    """One built history: its DB, its user-data folder and what is true about it."""

    name: str
    db: Path
    home: Path
    model_dir: Path | None = None
    true_share: dict[str, float] = field(default_factory=dict)  # quarter -> true AI share
    onset: str | None = None


@contextlib.contextmanager
def environment(history: History) -> Iterator[None]:
    """Point user data (settings, logs) and, if set, the AI-style model at the history's own."""
    saved = {k: os.environ.get(k) for k in ("CONTENT_DRIFT_HOME", "CONTENT_DRIFT_AI_STYLE_MODEL")}
    os.environ["CONTENT_DRIFT_HOME"] = str(history.home)
    if history.model_dir is not None:
        os.environ["CONTENT_DRIFT_AI_STYLE_MODEL"] = str(history.model_dir)
    else:
        os.environ.pop("CONTENT_DRIFT_AI_STYLE_MODEL", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def cli(history: History, *args: str) -> str:
    """Run one CLI command on the history; its standard output (fails loudly on an error)."""
    out = io.StringIO()
    with environment(history), contextlib.redirect_stdout(out):
        code = run(["--db", str(history.db), *args])
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} exited {code}: {out.getvalue()[-2000:]}")
    return out.getvalue()


def cli_json(history: History, *args: str) -> Any:
    """A CLI command's --json output, parsed."""
    return json.loads(cli(history, *args, "--json"))


def write_settings(history: History, **values: Any) -> None:
    """The history's settings.json (pipeline and anything else a scenario needs)."""
    config = history.home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps(values), encoding="utf-8")


def new_history(root: Path, name: str, pipeline: str, **settings: Any) -> History:
    """An empty history folder with its settings."""
    history = History(name, root / name / "history.sqlite", root / name / "home")
    history.home.mkdir(parents=True, exist_ok=True)
    write_settings(history, spacy_pipeline=pipeline, **settings)
    return history


def import_blog(history: History, blog: str) -> None:
    """Import one of the public blogs through the CLI."""
    cli(history, "import", str(BLOGS[blog]))


def shuffle_dates(history: History, seed: int) -> None:
    """Permute the publication dates of the dated posts (seeded): no real drift remains."""
    with sqlite3.connect(history.db) as conn:
        rows = conn.execute(
            "select id, published from posts where published is not null order by id"
        ).fetchall()
        dates = [d for _, d in rows]
        order = np.random.default_rng(seed).permutation(len(dates))
        conn.executemany(
            "update posts set published = ? where id = ?",
            [(dates[j], post_id) for (post_id, _), j in zip(rows, order, strict=True)],
        )
    conn.close()


def cut_from(history: History, day: date) -> int:
    """Remove (through the CLI) every post published on or after `day`; how many were removed."""
    later = [p["id"] for p in cli_json(history, "posts", "--since", day.isoformat())]
    later = [i for i in later if i]
    if later:
        cli(history, "remove", *later)
    return len(later)


def shuffled_history(root: Path, blog: str, seed: int, pipeline: str) -> History:
    """A real blog with shuffled dates, analysed."""
    history = new_history(root, f"{blog}-shuffled-{seed}", pipeline)
    import_blog(history, blog)
    shuffle_dates(history, seed)
    cli(history, "analyze")
    return history


def pre_ai_history(root: Path, blog: str, pipeline: str) -> History:
    """A real blog cut at 2022-11-30, analysed."""
    history = new_history(root, f"{blog}-pre-ai", pipeline)
    import_blog(history, blog)
    cut_from(history, PRE_AI_END)
    cli(history, "analyze")
    return history


# ---- degrading histories from the labelled pairs -------------------------------------------


def l2r_pairs() -> dict[str, dict[str, str]]:
    """pair_id -> {'human': text, 'ai': text, 'domain': ...}, TravelTourism left out (its texts
    are byte copies of TechnicalWriting's)."""
    pairs: dict[str, dict[str, str]] = {}
    for line in L2R.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["domain"] != "TravelTourism":
            pairs.setdefault(row["pair_id"], {"domain": row["domain"]})[row["label"]] = row["text"]
    return pairs


def crossfit_half(pair_id: str, domain_rank: int) -> str:
    """Half 'A' or 'B' of a pair (as scripts/train_ai_style.py --crossfit splits them)."""
    return "AB"[domain_rank % 2]


def pairs_of_half(half: str) -> list[str]:
    """Pair ids of one cross-fit half, in a fixed order."""
    pairs = l2r_pairs()
    chosen = []
    for domain in sorted({p["domain"] for p in pairs.values()}):
        ids = sorted(
            (i for i, p in pairs.items() if p["domain"] == domain),
            key=lambda g: hashlib.sha256(g.encode()).hexdigest(),
        )
        chosen += [g for rank, g in enumerate(ids) if crossfit_half(g, rank) == half]
    return sorted(chosen, key=lambda g: hashlib.sha256(f"order:{g}".encode()).hexdigest())


def quarter_label(index: int) -> str:
    """'2017Q1' for quarter index 0 of the degrading histories."""
    year, q = divmod(FIRST_QUARTER[0] * 4 + FIRST_QUARTER[1] - 1 + index, 4)
    return f"{year}Q{q + 1}"


def _post_date(index: int, slot: int) -> date:
    label = quarter_label(index)
    year, q = int(label[:4]), int(label[-1])
    return date(year, 3 * (q - 1) + 1 + slot % 3, 1 + (slot * 4) % 27)


def degrading_history(
    root: Path,
    name: str,
    half: str,
    onset: int,
    seed: int,
    pipeline: str,
    per_quarter: int = POSTS_PER_QUARTER,
) -> History:
    """Human passages of `half` (a seeded choice of pairs) as posts, `per_quarter` a quarter
    over 40 quarters; from quarter `onset` on, 20/40/60/80% of them replaced by their GPT-4o
    rewrite. Scored with the model trained on the other half."""
    scorer = "B" if half == "A" else "A"
    history = new_history(root, name, pipeline)
    history.model_dir = CROSSFIT / scorer
    history.onset = quarter_label(onset)
    rng = np.random.default_rng(seed)
    pairs = l2r_pairs()
    ids = [str(i) for i in rng.permutation(pairs_of_half(half))[: QUARTERS * per_quarter]]
    folder = root / name / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    for q in range(QUARTERS):
        share = RAMP[min(q - onset, len(RAMP) - 1)] if q >= onset else 0.0
        members = ids[q * per_quarter : (q + 1) * per_quarter]
        replaced = set(rng.choice(len(members), round(share * len(members)), replace=False))
        history.true_share[quarter_label(q)] = len(replaced) / len(members)
        for slot, pair_id in enumerate(members):
            text = pairs[pair_id]["ai" if slot in replaced else "human"]
            _write_post(folder, pair_id, _post_date(q, slot), text)
    cli(history, "import", str(folder))
    cli(history, "analyze")
    return history


def _write_post(folder: Path, pair_id: str, day: date, text: str) -> None:
    slug = pair_id.replace("#", "-").lower()
    title = pair_id.replace("#", " ")
    body = f'---\ntitle: "{title}"\ndate: {day.isoformat()}\nauthor: L2R\n---\n\n{text}\n'
    (folder / f"{day.isoformat()}-{slug}.md").write_text(body, encoding="utf-8")


# ---- reading the verdicts back -------------------------------------------------------------


def trend_verdicts(history: History) -> dict[str, dict[str, Any]]:
    """metric -> verdict (status, judgement, p, q, change points, ...) of the all-posts trends
    over every measure, via `trends --json`."""
    data = cli_json(history, "trends", "--no-corpus")
    return {m["metric"]: m["verdict"] for m in data["groups"][0]["metrics"]}


def judgements(history: History) -> dict[str, str]:
    """metric -> better / worse / neutral."""
    return {k: v["judgement"] for k, v in trend_verdicts(history).items()}


def shares(history: History) -> list[dict[str, Any]]:
    """Per-quarter estimated shares, via `ai-style shares --json`."""
    return list(cli_json(history, "ai-style", "shares"))
