"""Pipeline resolution: the named pipeline, the blank fallback with its reason, the token rule."""

from __future__ import annotations

import pytest

from desktop_app.core.nlp.pipeline import BLANK_NAME, HARD_BREAKS, load_pipeline, tokens_for_lexical
from tests.conftest import TEST_PIPELINE


@pytest.mark.skipif(TEST_PIPELINE == "blank", reason="needs the trained test pipeline")
def test_trained_pipeline_uses_senter_instead_of_parser() -> None:
    nlp, info = load_pipeline(TEST_PIPELINE)
    assert not info.is_fallback
    assert {"tagger", "ner"} <= info.capabilities
    assert "parser" not in nlp.pipe_names and "senter" in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names
    assert info.label == f"{TEST_PIPELINE} {info.version}"
    doc = nlp("OpenTelemetry 1.0 shipped in 2021. Jaeger users can migrate today.")
    assert len(list(doc.sents)) == 2
    assert any(t.pos_ == "PROPN" for t in doc)


def test_pipeline_is_cached_per_name() -> None:
    assert load_pipeline(BLANK_NAME)[0] is load_pipeline(BLANK_NAME)[0]


def test_missing_pipeline_falls_back_to_blank_with_reason() -> None:
    nlp, info = load_pipeline("en_core_web_does_not_exist")
    assert info.is_fallback and info.capabilities == frozenset()
    assert "en_core_web_does_not_exist not installed" in info.label
    assert info.label.startswith("blank English + sentencizer")
    assert nlp.pipe_names == [HARD_BREAKS, "sentencizer"]  # line breaks end sentences
    assert len(list(nlp("One sentence here. And another one.").sents)) == 2


def test_blank_name_forces_fallback() -> None:
    _, info = load_pipeline(BLANK_NAME)
    assert info.is_fallback and info.name == BLANK_NAME


def test_lexical_tokens_are_lowercased_alphabetic_words() -> None:
    text = "Don't panic: OpenTelemetry v1.0 shipped 3 exporters (OTLP, Jaeger) in 2021!"
    assert tokens_for_lexical(text) == [
        "do", "panic", "opentelemetry", "shipped", "exporters", "otlp", "jaeger", "in",
    ]  # fmt: skip


def test_lexical_tokens_same_from_doc_and_text() -> None:
    nlp, _ = load_pipeline(TEST_PIPELINE)
    text = "The Collector's memory_limiter drops spans; it isn't a bug."
    assert tokens_for_lexical(nlp(text)) == tokens_for_lexical(text)


def test_prepare_text_keeps_offsets_and_breaks_punctuation_runs() -> None:
    from desktop_app.core.nlp.pipeline import prepare_text

    text = "Hello \ud800 world " + "!" * 4000 + " end."
    prepared = prepare_text(text)
    assert len(prepared) == len(text)
    assert "\ud800" not in prepared and prepared[6] == "\ufffd"
    assert "!" * 20 not in prepared and prepared.endswith(" end.")
    assert (
        prepare_text("A normal sentence, with punctuation!")
        == "A normal sentence, with punctuation!"
    )
