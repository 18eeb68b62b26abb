#!/usr/bin/env python3
"""Train, evaluate and ship the "AI-styled prose (estimated)" linear model (models/ai_style/).

    .venv/bin/python scripts/train_ai_style.py             # train and write models/ai_style/
    .venv/bin/python scripts/train_ai_style.py --evaluate  # re-run the evaluation, compare
                                                           # it with the shipped metrics
    .venv/bin/python scripts/train_ai_style.py --evidence-df  # only rewrite evidence_df.npz
    .venv/bin/python scripts/train_ai_style.py --crossfit A --out DIR
        # train on half A of the pairs only (TravelTourism, a byte copy of TechnicalWriting,
        # left out), so histories built from half B are scored by a model that never saw them
        # (scripts/evaluate_verdicts.py); tests/data/ai_style_crossfit/ holds both halves

Features come from desktop_app.core.aistyle.features (the same code the app scores with):
sublinear TF-IDF over word 1-2-grams plus standardised structure features. Classifier:
L2 logistic regression. Calibration: Platt scaling fitted on out-of-fold decision values
(GroupKFold by pair_id, so a passage and its rewrite are never split across folds).
Deterministic: no random state is involved anywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop_app.core.aistyle import features as ft  # noqa: E402
from desktop_app.core.aistyle.evidence import EVIDENCE_DF_FILE  # noqa: E402
from desktop_app.core.aistyle.model import MODEL_FORMAT, load_model_from  # noqa: E402
from desktop_app.core.aistyle.vectorised import split_passages  # noqa: E402
from desktop_app.core.metrics.lexicons import inflections, read_lexicon  # noqa: E402

DATA = REPO / "tests" / "data" / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
LEXICON = REPO / "models" / "lexicons" / "ai_markers.txt"
OUT = REPO / "models" / "ai_style"
C = 4.0
MIN_DF = 3
DENSE_WEIGHT = 1.0
FOLDS = 5
VERSION = "1.0"
#: Used only when models/lexicons/ai_markers.txt is absent: words widely reported as
#: over-used by chat models (e.g. Liang et al. 2024, "Mapping the increasing use of LLMs in
#: scientific papers"; Kobak et al. 2024, "Delving into ChatGPT usage in academic writing").
FALLBACK_MARKERS = """
delve delves delving tapestry intricate intricacies meticulous meticulously showcase
showcasing showcases pivotal realm underscore underscores underscoring commendable
seamless seamlessly robust leverage leveraging holistic nuanced multifaceted foster
fostering bolster bolstering navigate navigating landscape paramount vibrant testament
elevate elevating embark unwavering comprehensive crucial enhance enhancing streamline
notably moreover furthermore additionally ultimately dynamic innovative transformative
noteworthy invaluable profound resonate garner garnered harness harnessing unparalleled
""".split()  # noqa: SIM905


@dataclass
class Corpus:
    """The labelled passages."""

    texts: list[str]
    y: np.ndarray
    groups: np.ndarray
    domains: np.ndarray


def load_corpus(path: Path = DATA) -> Corpus:
    """Read the labelled JSONL (label 'ai' -> 1, 'human' -> 0)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return Corpus(
        texts=[r["text"] for r in rows],
        y=np.array([1 if r["label"] == "ai" else 0 for r in rows]),
        groups=np.array([r["pair_id"] for r in rows]),
        domains=np.array([r["domain"] for r in rows]),
    )


def marker_words() -> tuple[list[str], str]:
    """The AI-marker words baked into the model, and where they came from."""
    if LEXICON.exists():
        entries = [e for e in read_lexicon(LEXICON) if " " not in e]
        words = sorted({form for e in entries for form in inflections(e)})
        return words, f"models/lexicons/ai_markers.txt with inflections (sha256 {_sha(LEXICON)})"
    return sorted(set(FALLBACK_MARKERS)), "scripts/train_ai_style.py FALLBACK_MARKERS"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _identity(terms: list[str]) -> list[str]:
    return terms


class Fitted:
    """Vectoriser + scaler + logistic regression fitted on some passages."""

    def __init__(self, texts: list[str], y: np.ndarray, markers: frozenset[str]) -> None:
        self.markers = markers
        self.vec = TfidfVectorizer(analyzer=_identity, min_df=MIN_DF, sublinear_tf=True)
        terms, dense = featurise(texts, markers)
        x_terms = self.vec.fit_transform(terms)
        self.scaler = StandardScaler().fit(dense)
        self.lr = LogisticRegression(C=C, max_iter=5000).fit(self._stack(x_terms, dense), y)

    def _stack(self, x_terms: Any, dense: np.ndarray) -> Any:
        scaled = self.scaler.transform(dense) * DENSE_WEIGHT
        return sparse.hstack([x_terms, sparse.csr_matrix(scaled)]).tocsr()

    def decision(self, texts: list[str]) -> np.ndarray:
        """Decision values (log-odds) for passages."""
        terms, dense = featurise(texts, self.markers)
        return self.lr.decision_function(self._stack(self.vec.transform(terms), dense))


def featurise(texts: list[str], markers: frozenset[str]) -> tuple[list[list[str]], np.ndarray]:
    """N-gram term lists and the dense structure matrix of passages."""
    terms, dense = [], []
    for text in texts:
        words = ft.words_of(text)
        terms.append(ft.ngram_terms(words))
        dense.append(ft.dense_features(text, words, markers))
    return terms, np.array(dense)


def out_of_fold(corpus: Corpus, markers: frozenset[str]) -> np.ndarray:
    """Out-of-fold decision values, GroupKFold by pair_id."""
    oof = np.zeros(len(corpus.texts))
    for train, test in GroupKFold(n_splits=FOLDS).split(corpus.texts, corpus.y, corpus.groups):
        fitted = Fitted([corpus.texts[i] for i in train], corpus.y[train], markers)
        oof[test] = fitted.decision([corpus.texts[i] for i in test])
    return oof


def leave_one_domain_out(corpus: Corpus, markers: frozenset[str]) -> dict[str, float]:
    """ROC AUC on each domain when the model never saw that domain."""
    result = {}
    for domain in sorted(set(corpus.domains)):
        train = np.flatnonzero(corpus.domains != domain)
        test = np.flatnonzero(corpus.domains == domain)
        fitted = Fitted([corpus.texts[i] for i in train], corpus.y[train], markers)
        scores = fitted.decision([corpus.texts[i] for i in test])
        result[domain] = round(float(roc_auc_score(corpus.y[test], scores)), 4)
    return result


def platt(decisions: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: a, b with p = 1 / (1 + exp(-(a*d + b)))."""
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(decisions.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def paired_accuracy(corpus: Corpus, scores: np.ndarray) -> float:
    """Share of pairs where the AI rewrite scores higher than its human original."""
    by_pair: dict[str, dict[int, float]] = {}
    for group, label, score in zip(corpus.groups, corpus.y, scores, strict=True):
        by_pair.setdefault(str(group), {})[int(label)] = float(score)
    wins = [p[1] > p[0] for p in by_pair.values() if len(p) == 2]
    return round(sum(wins) / len(wins), 4)


def evaluate(
    corpus: Corpus, markers: frozenset[str], with_lodo: bool = True
) -> tuple[dict[str, Any], np.ndarray]:
    """Every reported figure, plus the out-of-fold decision values."""
    oof = out_of_fold(corpus, markers)
    a, b = platt(oof, corpus.y)
    probs = 1 / (1 + np.exp(-(a * oof + b)))
    lodo = leave_one_domain_out(corpus, markers) if with_lodo else {}
    metrics = {
        "cv": f"GroupKFold({FOLDS}) by pair_id",
        "cv_roc_auc": round(float(roc_auc_score(corpus.y, oof)), 4),
        "cv_roc_auc_per_fold": fold_aucs(corpus, oof),
        "cv_paired_accuracy": paired_accuracy(corpus, oof),
        "cv_brier": round(float(brier_score_loss(corpus.y, probs)), 4),
        "cv_detection_rate_at_0.5": round(float((probs[corpus.y == 1] >= 0.5).mean()), 4),
        "cv_false_alarm_rate_at_0.5": round(float((probs[corpus.y == 0] >= 0.5).mean()), 4),
        "leave_one_domain_out_roc_auc": lodo,
        "leave_one_domain_out_mean": round(float(np.mean(list(lodo.values()))), 4)
        if lodo
        else None,
    }
    return metrics, oof


def fold_aucs(corpus: Corpus, oof: np.ndarray) -> list[float]:
    """ROC AUC of each GroupKFold fold."""
    splits = GroupKFold(n_splits=FOLDS).split(corpus.texts, corpus.y, corpus.groups)
    return [round(float(roc_auc_score(corpus.y[t], oof[t])), 4) for _, t in splits]


def weights_npz(fitted: Fitted, oof_probs: np.ndarray, y: np.ndarray) -> bytes:
    """The numeric arrays as NPZ bytes (no pickled objects)."""
    n_terms = len(fitted.vec.vocabulary_)
    coef = fitted.lr.coef_[0]
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        idf=fitted.vec.idf_,
        coef_terms=coef[:n_terms],
        coef_dense=coef[n_terms:] * DENSE_WEIGHT,
        dense_mean=fitted.scaler.mean_,
        dense_scale=fitted.scaler.scale_,
        intercept=fitted.lr.intercept_,
        oof_probability_ai=np.sort(oof_probs[y == 1]),
        oof_probability_human=np.sort(oof_probs[y == 0]),
    )
    return buffer.getvalue()


def model_meta(fitted: Fitted, corpus: Corpus, extra: dict[str, Any]) -> dict[str, Any]:
    """model.json content (vocabulary in index order, provenance, metrics)."""
    vocab = sorted(fitted.vec.vocabulary_.items(), key=lambda kv: kv[1])
    return {
        "format": MODEL_FORMAT,
        "version": VERSION,
        "label": "AI-styled prose (estimated)",
        "note": "Evidence for a team's own trend, not a verdict on a writer.",
        "created_by": "scripts/train_ai_style.py",
        "training_data": {
            "path": str(DATA.relative_to(REPO)),
            "sha256": _sha(DATA),
            "source": "L2R dataset (Hao et al. 2024, 'Learning to Rewrite'), human passages "
            "and their GPT-4o rewrites",
            "license": "CC-BY-3.0 (tests/data/ai-vs-human/LICENSE.txt)",
            "n_texts": len(corpus.texts),
            "n_ai": int(corpus.y.sum()),
            "n_human": int((corpus.y == 0).sum()),
            "domains": sorted(set(corpus.domains.tolist())),
        },
        "hyperparameters": {"C": C, "min_df": MIN_DF, "dense_weight": DENSE_WEIGHT},
        "vocabulary": [term for term, _ in vocab],
        **extra,
    }


def train(corpus: Corpus, out: Path = OUT, version: str = VERSION, with_lodo: bool = True) -> None:
    """Fit on everything, calibrate on out-of-fold values, write models/ai_style/ (or `out`)."""
    words, source = marker_words()
    markers = frozenset(words)
    metrics, oof = evaluate(corpus, markers, with_lodo)
    a, b = platt(oof, corpus.y)
    fitted = Fitted(corpus.texts, corpus.y, markers)
    blob = weights_npz(fitted, 1 / (1 + np.exp(-(a * oof + b))), corpus.y)
    extra = {
        "features": {
            "terms": "word 1-2-grams of lower-cased alphabetic tokens, sublinear TF-IDF, "
            "smooth idf, L2 norm",
            "dense_names": list(ft.DENSE_NAMES),
            "chunk_words": ft.CHUNK_WORDS,
            "marker_words": words,
            "marker_source": source,
        },
        "calibration": {"method": "platt", "a": a, "b": b, "fitted_on": metrics["cv"]},
        "metrics": metrics,
        "weights_file": "weights.npz",
        "weights_sha256": hashlib.sha256(blob).hexdigest(),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "weights.npz").write_bytes(blob)
    meta = {**model_meta(fitted, corpus, extra), "version": version}
    (out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    check_scorer(fitted, corpus, out)
    if out == OUT:
        write_evidence_df(corpus, meta["vocabulary"])
    print(json.dumps(metrics, indent=2))


def write_evidence_df(corpus: Corpus, vocabulary: list[str]) -> Path:
    """models/ai_style/evidence_df.npz: in how many ~120-word passages of the labelled AI
    texts each vocabulary term occurs (the reference of `aistyle.evidence.team_common`)."""
    index = {term: i for i, term in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary), dtype=np.int32)
    n_passages = 0
    for text in (t for t, y in zip(corpus.texts, corpus.y, strict=True) if y == 1):
        for passage in split_passages(text):
            n_passages += 1
            found = {index[t] for t in ft.ngram_terms([ft.fold(w) for w in passage.words])
                     if t in index}  # fmt: skip
            counts[list(found)] += 1
    buffer = io.BytesIO()
    np.savez_compressed(buffer, ai_df=counts, n_ai_passages=np.array([n_passages]))
    path = OUT / EVIDENCE_DF_FILE
    path.write_bytes(buffer.getvalue())
    print(f"{path}: {n_passages} AI passages, {int((counts > 0).sum())} terms seen")
    return path


def crossfit_halves(corpus: Corpus) -> dict[str, Corpus]:
    """Halves A and B of the pairs, balanced per domain, by a hash of the pair id (no seed).

    TravelTourism is left out: its texts are byte copies of TechnicalWriting's.
    """
    halves: dict[str, list[int]] = {"A": [], "B": []}
    for domain in sorted(set(corpus.domains.tolist()) - {"TravelTourism"}):
        pairs = sorted(
            {str(g) for g, d in zip(corpus.groups, corpus.domains, strict=True) if d == domain},
            key=lambda g: hashlib.sha256(g.encode()).hexdigest(),
        )
        for rank, pair in enumerate(pairs):
            rows = np.flatnonzero(corpus.groups == pair).tolist()
            halves["AB"[rank % 2]].extend(rows)
    return {name: _subset(corpus, rows) for name, rows in halves.items()}


def _subset(corpus: Corpus, rows: list[int]) -> Corpus:
    idx = np.array(sorted(rows))
    return Corpus(
        [corpus.texts[i] for i in idx], corpus.y[idx], corpus.groups[idx], corpus.domains[idx]
    )


def check_scorer(fitted: Fitted, corpus: Corpus, out: Path = OUT) -> float:
    """Largest difference between the numpy scorer and sklearn on the training passages."""
    model = load_model_from(out)
    ours = np.array([model.decision(t) for t in corpus.texts])
    diff = float(np.max(np.abs(ours - fitted.decision(corpus.texts))))
    print(f"numpy scorer vs scikit-learn: max |decision difference| = {diff:.2e}")
    if diff > 1e-6:
        raise SystemExit("the shipped scorer does not reproduce the trained model")
    return diff


def compare_with_shipped(corpus: Corpus) -> int:
    """Re-run the evaluation and compare with models/ai_style/model.json."""
    shipped = json.loads((OUT / "model.json").read_text(encoding="utf-8"))
    markers = frozenset(shipped["features"]["marker_words"])
    metrics, _ = evaluate(corpus, markers)
    print(json.dumps(metrics, indent=2))
    delta = abs(metrics["cv_roc_auc"] - shipped["metrics"]["cv_roc_auc"])
    print(
        f"cv_roc_auc fresh {metrics['cv_roc_auc']} vs shipped "
        f"{shipped['metrics']['cv_roc_auc']} (|diff| {delta:.4f})"
    )
    return 0 if delta <= 0.005 else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="re-run the evaluation and compare with the shipped metrics",
    )
    parser.add_argument(
        "--evidence-df",
        action="store_true",
        help=f"only rewrite models/ai_style/{EVIDENCE_DF_FILE} for the shipped vocabulary",
    )
    parser.add_argument("--crossfit", choices=["A", "B"], help="train on one half of the pairs")
    parser.add_argument("--out", type=Path, help="write the model here instead of models/ai_style/")
    args = parser.parse_args(argv)
    corpus = load_corpus()
    if args.evidence_df:
        shipped = json.loads((OUT / "model.json").read_text(encoding="utf-8"))
        write_evidence_df(corpus, shipped["vocabulary"])
        return 0
    if args.evaluate:
        return compare_with_shipped(corpus)
    if args.crossfit:
        half = crossfit_halves(corpus)[args.crossfit]
        out = args.out or REPO / "tests" / "data" / "ai_style_crossfit" / args.crossfit
        train(half, out, f"{VERSION}-crossfit-{args.crossfit}", with_lodo=False)
        return 0
    train(corpus, args.out or OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
