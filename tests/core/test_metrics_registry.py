"""The registry: fixed names and dimensions, needs honoured, blank-pipeline fallback behaviour."""

from __future__ import annotations

import pytest

from desktop_app.core.metrics.registry import (
    ANALYZER_VERSION,
    REGISTRY,
    compute_all,
    get_spec,
    specs_by_dimension,
)
from desktop_app.core.nlp.pipeline import tokens_for_lexical
from desktop_app.core.records import Confidence, Direction
from tests.conftest import TEST_PIPELINE
from tests.core.metrics_support import DEMO_POSTS, context, demo_text

BUILTIN = {
    "diversity": ["mtld", "mattr", "hdd"],
    "repetition": ["repeated_ngram_rate", "opening_repetition", "pos_template_rate"],
    "genericness": ["ai_marker_density", "cliche_density", "specificity"],
    "readability": [
        "flesch_reading_ease",
        "fk_grade",
        "mean_sentence_length",
        "sentence_length_cv",
    ],
}
TAGGED = {"pos_template_rate", "specificity"}
HISTORY = {"recycled_phrasing", "sameness_knn", "sameness_centroid"}


def test_builtin_metrics_registered_with_descriptions_and_directions() -> None:
    groups = specs_by_dimension()
    for dimension, names in BUILTIN.items():
        assert [s.name for s in groups[dimension]][: len(names)] == names
    for spec in REGISTRY.values():
        assert spec.label and spec.unit and spec.description.endswith(".")
        assert isinstance(spec.direction, Direction)
    assert get_spec("mtld").direction is Direction.HIGHER_BETTER
    assert get_spec("cliche_density").direction is Direction.LOWER_BETTER
    assert ANALYZER_VERSION


@pytest.mark.parametrize("post", DEMO_POSTS)
def test_context_words_follow_the_lexical_token_rule(post: str) -> None:
    ctx = context(demo_text(post))
    assert ctx.words == tokens_for_lexical(ctx.doc) == tokens_for_lexical(ctx.text)
    assert [ctx.doc[int(i)].lower_ for i in ctx.arrays.word_index] == ctx.words


def test_unknown_metric_names_the_metric() -> None:
    with pytest.raises(KeyError, match="no_such_metric"):
        get_spec("no_such_metric")


def test_history_metrics_unavailable_without_history() -> None:
    results = compute_all(context(demo_text(DEMO_POSTS[1])))
    for name in HISTORY & set(REGISTRY):
        assert results[name].value is None
        assert results[name].confidence is Confidence.UNAVAILABLE


@pytest.mark.skipif(TEST_PIPELINE == "blank", reason="needs the trained test pipeline")
def test_every_builtin_metric_computes_on_a_real_post() -> None:
    results = compute_all(context(demo_text(DEMO_POSTS[1])))
    for names in BUILTIN.values():
        for name in names:
            assert results[name].value is not None, name
            assert results[name].confidence is Confidence.OK, name


@pytest.mark.blank_pipeline
def test_blank_pipeline_marks_tag_metrics_unavailable_and_computes_the_rest() -> None:
    ctx = context(demo_text(DEMO_POSTS[1]), "blank")
    assert ctx.pipeline.is_fallback
    results = compute_all(ctx)
    for names in BUILTIN.values():
        for name in names:
            if name in TAGGED:
                assert results[name].value is None
                assert results[name].confidence is Confidence.UNAVAILABLE
                assert results[name].detail["missing"] == ["tagger"]
            else:
                assert results[name].value is not None, name


@pytest.mark.blank_pipeline
def test_test_pipeline_setting_is_honoured() -> None:
    ctx = context(demo_text(DEMO_POSTS[0]))
    assert ctx.pipeline.is_fallback == (TEST_PIPELINE == "blank")
    results = compute_all(ctx, ["specificity", "mtld"])
    assert results["mtld"].value is not None
    expected = Confidence.UNAVAILABLE if TEST_PIPELINE == "blank" else Confidence.OK
    assert results["specificity"].confidence is expected


@pytest.mark.blank_pipeline
@pytest.mark.parametrize("text", ["", "   \n\n ", "!!!", "1 2 3", "Delve."])
def test_degenerate_inputs_give_no_nan_and_no_crash(text: str) -> None:
    for name, result in compute_all(context(text)).items():
        if result.value is None:
            assert result.confidence is not Confidence.OK, name
        else:
            assert result.value == result.value, name  # not NaN
            assert result.confidence is Confidence.LOW, name
