"""AI-marker and stock-phrase densities with spans, user lexicon edits, and specificity."""

from __future__ import annotations

import json
import statistics
from functools import lru_cache
from pathlib import Path

import pytest

from desktop_app.core.metrics.lexicons import LexiconError, Lexicons, inflections
from desktop_app.core.metrics.registry import compute_all
from desktop_app.core.records import Confidence
from desktop_app.core.settings import Settings
from tests.conftest import DATA, TEST_PIPELINE
from tests.core.metrics_support import DEMO_POSTS, context, demo_text

L2R = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"


@lru_cache(maxsize=1)
def l2r() -> dict[str, dict[str, str]]:
    """The L2R rows by id (pairs: 'Domain#n' human, 'Domain#n/GPT-4o' its GPT-4o rewrite)."""
    rows = (json.loads(line) for line in L2R.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row for row in rows}


def test_markers_and_cliches_found_with_exact_spans() -> None:
    text = l2r()["Business#106/GPT-4o"]["text"]
    results = compute_all(context(text), ["ai_marker_density", "cliche_density"])
    markers, cliches = results["ai_marker_density"], results["cliche_density"]
    assert [s.text for s in markers.spans] == ["pivotal", "delving"]
    assert markers.detail["words"] == ["delve", "pivotal"]
    assert [s.text for s in cliches.spans] == ["play a pivotal role", "cutting-edge"]
    for span in markers.spans + cliches.spans:
        assert text[span.start : span.end] == span.text
    assert {s.kind for s in markers.spans} == {"ai_marker"}
    assert {s.kind for s in cliches.spans} == {"cliche"}
    n = context(text).n_words
    assert markers.value == pytest.approx(2 * 1000 / n)
    assert cliches.value == pytest.approx(2 * 1000 / n)


def test_gpt4o_rewrites_carry_more_markers_than_their_human_originals() -> None:
    rows = l2r()
    pairs = [(rows[k], rows[k.split("/")[0]]) for k in rows if k.endswith("/GPT-4o")][:300]
    lex = Lexicons.load()

    def density(text: str) -> float:
        ctx = context(text, "blank", lexicons=lex)  # word forms only: no tagger needed
        return compute_all(ctx, ["ai_marker_density"])["ai_marker_density"].value or 0.0

    ai = statistics.fmean(density(a["text"]) for a, _ in pairs)
    human = statistics.fmean(density(h["text"]) for _, h in pairs)
    assert ai > 2 * human


def test_curly_apostrophes_and_case_match_phrases() -> None:
    ctx = context("In Today’s Fast-Paced World, every team needs a Game-Changer. " * 3)
    spans = compute_all(ctx, ["cliche_density"])["cliche_density"].spans
    assert [s.text for s in spans[:2]] == ["In Today’s Fast-Paced World", "Game-Changer"]
    assert len(spans) == 6


def test_user_words_phrases_and_allow_list_change_matches() -> None:
    text = l2r()["Business#106/GPT-4o"]["text"]
    settings = Settings(
        custom_marker_words=["orchestrate"],
        custom_stock_phrases=["pushing the boundaries of what's possible"],
        allow_list=["pivotal", "cutting-edge"],
    )
    ctx = context(text, lexicons=Lexicons.load(settings))
    results = compute_all(ctx, ["ai_marker_density", "cliche_density"])
    assert [s.text for s in results["ai_marker_density"].spans] == ["orchestrating", "delving"]
    assert [s.text for s in results["cliche_density"].spans] == [
        "play a pivotal role",
        "pushing the boundaries of what's possible",
    ]


def test_missing_lexicon_file_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "ai_markers.txt").write_text("delve\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"stock_phrases\.txt: cannot read lexicon"):
        Lexicons.load(directory=tmp_path)


def test_inflections_cover_regular_forms() -> None:
    assert {"delves", "delved", "delving"} <= inflections("delve")
    assert {"showcases", "showcased", "showcasing"} <= inflections("showcase")
    assert {"tapestries"} <= inflections("tapestry")


def test_shipped_lexicons_load_with_provenance_tags() -> None:
    lex = Lexicons.load()
    assert {"delve", "underscore", "showcase", "tapestry"} <= lex.marker_words
    assert "in today's fast-paced world" in lex.stock_phrases
    assert len(lex.stock_phrases) >= 50


@pytest.mark.skipif(TEST_PIPELINE == "blank", reason="needs the trained test pipeline")
def test_specificity_counts_numbers_entities_and_proper_nouns() -> None:
    concrete = context(demo_text(DEMO_POSTS[0]))  # release announcement: names, versions
    vague = context(l2r()["Business#106/GPT-4o"]["text"])
    result = compute_all(concrete, ["specificity"])["specificity"]
    assert result.detail["entities"] > 0 and result.detail["numbers"] > 0
    assert "note" not in result.detail
    expected = sum(result.detail[k] for k in ("numbers", "entities", "proper_nouns"))
    assert result.value == pytest.approx(expected * 100 / concrete.n_words)
    assert result.value > compute_all(vague, ["specificity"])["specificity"].value


@pytest.mark.parametrize("text", ["", "!!! ??? ...", "1 2 3 4 5 6 7 8 9 10", "Delve."])
def test_tiny_inputs_never_crash(text: str) -> None:
    results = compute_all(context(text), ["ai_marker_density", "cliche_density", "specificity"])
    for result in results.values():
        if result.value is None:
            assert result.confidence in (Confidence.INSUFFICIENT, Confidence.UNAVAILABLE)
        else:
            assert result.confidence is Confidence.LOW
