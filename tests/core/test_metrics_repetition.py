"""Repeated n-grams (with spans), repeated sentence openings and the POS-template rate."""

from __future__ import annotations

import json

import pytest

from desktop_app.core import paths
from desktop_app.core.metrics.registry import compute_all
from desktop_app.core.records import Confidence
from tests.conftest import TEST_PIPELINE
from tests.core.metrics_support import DEMO_POSTS, context, demo_text

needs_tagger = pytest.mark.skipif(TEST_PIPELINE == "blank", reason="needs a tagger")


def test_repeated_ngrams_counted_and_spanned_on_a_real_post() -> None:
    text = demo_text(DEMO_POSTS[0])  # repeats "OpenTelemetry PHP" phrases
    result = compute_all(context(text), ["repeated_ngram_rate"])["repeated_ngram_rate"]
    assert 0 < result.value < 0.2
    assert result.value == pytest.approx(result.detail["repeated"] / result.detail["ngrams"])
    assert result.spans and {s.kind for s in result.spans} == {"repeated"}
    for span in result.spans:
        assert text[span.start : span.end] == span.text
    assert any("opentelemetry php" in s.text.lower() for s in result.spans)


def test_a_post_that_repeats_itself_scores_higher() -> None:
    text = demo_text(DEMO_POSTS[1])
    once = compute_all(context(text), ["repeated_ngram_rate"])["repeated_ngram_rate"].value
    twice = compute_all(context(text + "\n\n" + text), ["repeated_ngram_rate"])
    assert twice["repeated_ngram_rate"].value == pytest.approx(1.0)
    assert once < 0.3


def test_stop_word_only_ngrams_are_ignored() -> None:
    text = "It is one of the best. That is one of the rules. Here is one of the cases."
    result = compute_all(context(text), ["repeated_ngram_rate"])["repeated_ngram_rate"]
    assert result.value == 0.0 and result.spans == []


def test_opening_repetition_counts_shared_first_two_words() -> None:
    text = (
        "We are releasing the collector today. We are grateful to contributors. "
        "The exporter is stable. Our users asked for this. We are not done yet."
    )
    result = compute_all(context(text), ["opening_repetition"])["opening_repetition"]
    assert result.value == pytest.approx(3 / 5)
    assert [s.text for s in result.spans] == ["We are"] * 3
    assert result.confidence is Confidence.LOW  # fewer than 50 words


def test_opening_repetition_on_real_post_is_a_share() -> None:
    result = compute_all(context(demo_text(DEMO_POSTS[2])), ["opening_repetition"])
    value = result["opening_repetition"].value
    assert value is not None and 0 <= value < 0.5


@needs_tagger
def test_pos_template_rate_uses_the_shipped_reference() -> None:
    data = json.loads(paths.model_file("pos_templates.json").read_text(encoding="utf-8"))
    assert len(data["templates"]) == data["top"] == 100
    result = compute_all(context(demo_text(DEMO_POSTS[1])), ["pos_template_rate"])
    rate = result["pos_template_rate"]
    assert rate.detail["templates"] == 100
    # Independent count: plain loops over the sentences' coarse tags.
    templates = {tuple(t.split()) for t in data["templates"]}
    total = hits = 0
    for sent in context(demo_text(DEMO_POSTS[1])).doc.sents:
        tags = [t.pos_ for t in sent if not t.is_space]
        grams = [tuple(tags[i : i + 5]) for i in range(len(tags) - 4)]
        total += len(grams)
        hits += sum(g in templates for g in grams)
    assert (rate.detail["pos_ngrams"], rate.detail["template_hits"]) == (total, hits)
    assert rate.value == pytest.approx(hits / total)
    assert 0.02 < rate.value < 0.4  # the reference covers ~10% of the corpus' 5-grams


@needs_tagger
def test_template_heavy_text_scores_higher_than_a_real_post() -> None:
    formulaic = " ".join(
        f"The {a} of the {b} is a key part of the new {c}."
        for a, b, c in [("design", "system", "release"), ("value", "team", "product")] * 5
    )
    real = compute_all(context(demo_text(DEMO_POSTS[3])), ["pos_template_rate"])
    heavy = compute_all(context(formulaic), ["pos_template_rate"])
    assert heavy["pos_template_rate"].value > real["pos_template_rate"].value


@pytest.mark.parametrize("text", ["", "?!", "12 13 14", "Hi.", "One two. Three four."])
def test_tiny_inputs_never_crash(text: str) -> None:
    names = ["repeated_ngram_rate", "opening_repetition", "pos_template_rate"]
    for result in compute_all(context(text), names).values():
        assert (result.value is None) == (result.confidence is not Confidence.LOW)
