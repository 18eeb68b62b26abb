"""The numpy scoring path of the AI-style model gives what the training feature path gives.

Reference: `features.tf_idf_row` + `features.dense_features` (what scripts/train_ai_style.py
uses) through `AIStyleModel.decision`, and a plain token-by-token walk for evidence spans.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.aistyle import features as ft
from desktop_app.core.aistyle import load_model
from desktop_app.core.aistyle.model import evidence_spans
from desktop_app.core.aistyle.vectorised import split_passages
from desktop_app.core.records import Span
from tests.conftest import DATA, DEMO

LABELLED = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"


def _texts() -> list[str]:
    rows = LABELLED.read_text(encoding="utf-8").splitlines()[::40]
    labelled = [json.loads(line)["text"] for line in rows]
    posts = sorted((DEMO / "letsencrypt-blog").glob("*.markdown"))[::6]
    return labelled + [p.read_text(encoding="utf-8") for p in posts]


def _assert_split_like_training(text: str) -> None:
    passages = split_passages(text)
    assert [(p.start, p.end) for p in passages] == ft.chunk_bounds(text)
    for p in passages:
        assert [ft.fold(w) for w in p.words] == ft.words_of(text[p.start : p.end])
        assert p.sentence_lengths == ft.sentence_lengths(text[p.start : p.end])


def test_one_pass_split_equals_the_training_functions_on_real_text() -> None:
    for text in _texts():
        _assert_split_like_training(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z'’.!?\"”)]\n\t 7-")), max_size=400))
def test_one_pass_split_equals_the_training_functions_on_any_text(text: str) -> None:
    _assert_split_like_training(text)
    _assert_split_like_training(text * 40)  # long enough for several passages


def test_passage_features_equal_the_training_path() -> None:
    model = load_model()
    checked = 0
    for text in _texts():
        vectors = model.table.text_vectors(text, split_passages(text))
        for number, (start, end) in enumerate(ft.chunk_bounds(text)):
            passage = text[start:end]
            words = ft.words_of(passage)
            assert vectors.dense[number] == ft.dense_features(passage, words, model.markers)
            row = ft.tf_idf_row(ft.ngram_terms(words), model.vocab, model.idf)
            mine = vectors.passage == number
            got = dict(
                zip(vectors.terms[mine].tolist(), vectors.weights[mine].tolist(), strict=True)
            )
            assert got == pytest.approx(row, abs=1e-12)
            checked += 1
    assert checked > 40


def test_score_is_the_mean_calibrated_decision_of_the_training_path() -> None:
    model = load_model()
    for text in _texts()[:15]:
        bounds = ft.chunk_bounds(text)
        expected = [model.calibrate(model.decision(text[a:b])) for a, b in bounds]
        result = model.score(text)
        assert result.chunks == len(bounds)
        assert result.probability == pytest.approx(sum(expected) / len(expected), abs=1e-12)


def _walk(text: str, terms: list[str]) -> list[Span]:
    """Reference: every WORD_RE token and adjacent token pair, checked one by one."""
    wanted, spans = set(terms), []
    tokens = [(m.group().lower().replace("’", "'"), m) for m in ft.WORD_RE.finditer(text)]
    for i, (word, match) in enumerate(tokens):
        if word in wanted:
            spans.append(Span("ai_style", match.start(), match.end(), match.group()))
        if i and f"{tokens[i - 1][0]} {word}" in wanted:
            start = tokens[i - 1][1].start()
            spans.append(Span("ai_style", start, match.end(), text[start : match.end()]))
    return sorted(spans, key=lambda s: (s.start, s.end))[:40]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("It's rock'n'roll, IT’S Rock’n’roll; n'roll and it's-it's", ["it's", "n'roll", "roll"]),
        ("Seamless. seamless, SEAMLESS integration! unseamless seamlessly", ["seamless"]),
        ("we delve, delve into it; Delve\ninto 3delve into", ["delve into", "into"]),
        ("", ["anything"]),
        ("words only", []),
    ],
)
def test_evidence_spans_equal_a_token_walk_on_tricky_text(text: str, terms: list[str]) -> None:
    assert evidence_spans(text, terms) == _walk(text, terms)


def test_evidence_spans_equal_a_token_walk_on_real_posts() -> None:
    model = load_model()
    for text in _texts():
        result = model.score(text)
        terms = [t for t, _ in result.top_terms] + ["let's", "the internet", "certificate"]
        assert evidence_spans(text, terms) == _walk(text, terms)
