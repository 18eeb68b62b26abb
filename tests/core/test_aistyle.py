"""The AI-style model: loading plain data, deterministic scores, evidence, calibration."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from spacy.lang.en.stop_words import STOP_WORDS

from desktop_app.core.aistyle import AIStyleModelError, load_model, score_text
from desktop_app.core.aistyle.model import default_model_dir, load_model_from
from tests.conftest import DATA, DEMO, REPO

LABELLED = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def _trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_ai_style", REPO / "scripts" / "train_ai_style.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def test_model_is_plain_json_and_npz_and_scores_without_sklearn() -> None:
    folder = default_model_dir()
    assert {p.name for p in folder.iterdir()} >= {"model.json", "weights.npz"}
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib"} for p in folder.iterdir())
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    code = (
        "import sys; from desktop_app.core.aistyle import score_text; "
        "r = score_text('We delve into a rich tapestry of seamless synergy today.'); "
        "print(0 <= r.probability <= 1, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"], out.stderr


def test_metadata_records_provenance_and_label() -> None:
    meta = load_model().meta
    assert meta["label"] == "AI-styled prose (estimated)"
    assert meta["training_data"]["license"].startswith("CC-BY-3.0")
    assert meta["training_data"]["n_texts"] == len(_rows())
    assert 0.5 < meta["metrics"]["cv_roc_auc"] <= 1.0


def test_same_text_same_score_even_from_a_fresh_copy(tmp_path: Path) -> None:
    text = (DEMO / "letsencrypt-blog" / "2015-11-9-why-90-days.markdown").read_text("utf-8")
    copy = tmp_path / "ai_style"
    shutil.copytree(default_model_dir(), copy)
    first, second = score_text(text), score_text(text)
    fresh = load_model_from(copy).score(text)
    assert first == second
    assert fresh.probability == first.probability and fresh.spans == first.spans


def test_probabilities_are_calibrated_into_unit_interval_and_separate_labels() -> None:
    model = load_model()
    rows = _rows()[::7]
    probs = np.array([model.score(r["text"]).probability for r in rows])
    labels = np.array([r["label"] == "ai" for r in rows])
    assert np.all((probs >= 0) & (probs <= 1))
    assert probs[labels].mean() > probs[~labels].mean()


def test_evidence_spans_point_at_the_words_that_pushed_the_score_up() -> None:
    model = load_model()
    text = next(r["text"] for r in _rows() if r["label"] == "ai" and len(r["text"]) > 600)
    result = model.score(text)
    assert result.top_terms and all(weight > 0 for _, weight in result.top_terms)
    assert result.spans
    for span in result.spans:
        assert span.kind == "ai_style"
        assert text[span.start : span.end] == span.text
        term = " ".join(span.text.lower().replace("’", "'").split())
        assert model.coef_list[model.vocab[term]] > 0  # it pushes the score up
        assert any(len(w) > 2 and w not in STOP_WORDS for w in term.split())  # carries content


def test_numpy_scorer_reproduces_the_trained_fold_auc() -> None:
    trainer = _trainer()
    corpus = trainer.load_corpus()
    markers = frozenset(load_model().meta["features"]["marker_words"])
    train, test = next(
        GroupKFold(n_splits=trainer.FOLDS).split(corpus.texts, corpus.y, corpus.groups)
    )
    fitted = trainer.Fitted([corpus.texts[i] for i in train], corpus.y[train], markers)
    auc = roc_auc_score(corpus.y[test], fitted.decision([corpus.texts[i] for i in test]))
    shipped = load_model().meta["metrics"]["cv_roc_auc_per_fold"][0]
    assert auc == pytest.approx(shipped, abs=1e-3)


def test_damaged_weights_are_refused_with_the_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "ai_style"
    shutil.copytree(default_model_dir(), copy)
    (copy / "weights.npz").write_bytes(b"not an npz")
    with pytest.raises(AIStyleModelError, match=r"weights\.npz"):
        load_model_from(copy)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AIStyleModelError, match=r"model\.json"):
        load_model_from(tmp_path)
