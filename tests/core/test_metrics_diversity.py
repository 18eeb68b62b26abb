"""Lexical diversity agrees with lexicalrichness on the same tokens, and handles short texts."""

from __future__ import annotations

import pytest
from lexicalrichness import LexicalRichness

from desktop_app.core.metrics import diversity
from desktop_app.core.metrics.registry import compute_all
from desktop_app.core.nlp.pipeline import tokens_for_lexical
from desktop_app.core.records import Confidence
from tests.core.metrics_support import DEMO_POSTS, context, demo_text


def _reference(words: list[str]) -> LexicalRichness:
    # tokenizer=None makes lexicalrichness take our token list unchanged.
    return LexicalRichness(words, preprocessor=None, tokenizer=None)


@pytest.mark.parametrize("post", DEMO_POSTS)
def test_agrees_with_lexicalrichness_on_real_posts(post: str) -> None:
    ctx = context(demo_text(post))
    assert ctx.n_words >= 100
    ref = _reference(ctx.words)
    results = compute_all(ctx, ["mtld", "mattr", "hdd"])
    assert results["mtld"].value == pytest.approx(ref.mtld(threshold=0.72), abs=1e-6)
    assert results["mattr"].value == pytest.approx(ref.mattr(window_size=50), abs=1e-6)
    assert results["hdd"].value == pytest.approx(ref.hdd(draws=42), abs=1e-6)
    assert all(r.confidence is Confidence.OK for r in results.values())


def test_mtld_partial_factor_matches_reference_on_every_prefix() -> None:
    # Each prefix ends at a different point of a factor: exercises the partial-factor rule.
    words = tokens_for_lexical(demo_text(DEMO_POSTS[1]))
    for end in range(50, 400, 7):
        ref = _reference(words[:end]).mtld(threshold=0.72)
        assert diversity.mtld_value(words[:end]) == pytest.approx(ref, abs=1e-9)


def test_all_distinct_tokens_give_mtld_equal_to_length() -> None:
    words = [f"w{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(60)]
    assert diversity.mtld_value(words) == pytest.approx(_reference(words).mtld())
    assert diversity.mtld_value(words) == pytest.approx(60.0)


def test_more_repetitive_text_scores_lower() -> None:
    varied = context(demo_text(DEMO_POSTS[1]))
    looped = context(" ".join(["We ship the collector and the collector ships data."] * 20))
    for name in ("mtld", "mattr", "hdd"):
        assert compute_all(looped, [name])[name].value < compute_all(varied, [name])[name].value


@pytest.mark.parametrize("text", ["", "...", "42 17 2024", "Short post with only a few words."])
def test_short_texts_are_insufficient_not_crashing(text: str) -> None:
    results = compute_all(context(text), ["mtld", "mattr", "hdd"])
    for result in results.values():
        assert result.value is None
        assert result.confidence is Confidence.INSUFFICIENT
