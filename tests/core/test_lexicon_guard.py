"""AI-marker and stock-phrase matches skip names, code identifiers and symbols' names."""

from __future__ import annotations

import pytest

from desktop_app.core.metrics.registry import compute_all
from tests.conftest import TEST_PIPELINE
from tests.core.metrics_support import context, demo_text

PIPELINES = sorted({TEST_PIPELINE, "blank"})
LEXICON = ["ai_marker_density", "cliche_density"]


def hits(text: str, pipeline: str) -> list[str]:
    """The matched texts of both lexicon metrics, in text order."""
    results = compute_all(context(text, pipeline), LEXICON)
    spans = [s for name in LEXICON for s in results[name].spans]
    return [s.text for s in sorted(spans, key=lambda s: s.start)]


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_underscores_meaning_the_character_are_not_markers_in_real_posts(pipeline: str) -> None:
    # Two OpenTelemetry posts about metric naming: every "underscores" there is the `_` symbol
    # (checked by reading them: "translating dots to underscores", "use underscores (`_`)",
    # "## Dots and Underscores", "Use dots and underscores consistently").
    for post in (
        "otel-blog/2024/prometheus-compatibility-survey/index.md",
        "otel-blog/2025/how-to-name-your-span-attributes.md",
    ):
        text = demo_text(post)
        assert text.lower().count("underscores") >= 4
        assert not [h for h in hits(text, pipeline) if h.lower().startswith("underscor")]


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_underscore_as_a_verb_still_counts_in_a_real_post(pipeline: str) -> None:
    # otel-blog/2024/profiling.md: "contributions underscore the project's commitment".
    text = demo_text("otel-blog/2024/profiling.md")
    result = compute_all(context(text, pipeline), ["ai_marker_density"])["ai_marker_density"]
    assert "underscore" in [s.text for s in result.spans]
    assert "underscore" in result.detail["words"]


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize(
    "sentence",
    [
        "Delve is a debugger for the Go programming language.",
        "You can debug the collector with Delve and VS Code.",
        "Set delve_mode=true in the config.",
        "Call `tapestry.delve()` before the first request.",
        "Run config.delve to attach.",
        "The Rich Tapestry Awards went to Acme.",
        "We sponsor the Game Changer Summit in Berlin.",
    ],
)
def test_names_and_code_are_not_lexicon_hits(pipeline: str, sentence: str) -> None:
    assert hits(sentence, pipeline) == []


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_lower_case_delve_in_prose_counts_worked_example(pipeline: str) -> None:
    # 20 lexical words, one marker ("delve"), one stock phrase ("game-changer" = 2 words
    # "game", "changer"; the hyphen is not a word): 1 / 20 * 1000 = 50 per 1,000 words each.
    text = (
        "Before the launch we delve into the numbers with the team. "
        "We ship it, and it is a game-changer."
    )
    ctx = context(text, pipeline)
    assert ctx.n_words == 20
    results = compute_all(ctx, LEXICON)
    assert [s.text for s in results["ai_marker_density"].spans] == ["delve"]
    assert results["ai_marker_density"].value == pytest.approx(50.0)
    assert [s.text for s in results["cliche_density"].spans] == ["game-changer"]
    assert results["cliche_density"].value == pytest.approx(50.0)


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_imperative_at_sentence_start_and_headings_still_count(pipeline: str) -> None:
    # A capitalised first word is not a name; a title-case heading says nothing about names.
    assert hits("Delve into the data before you decide.", pipeline) == ["Delve"]
    heading = "## A Game-Changer For Modern Teams\n\nWe ship."
    assert hits(heading, pipeline) == ["Game-Changer"]
