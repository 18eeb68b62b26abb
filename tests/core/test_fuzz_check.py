"""Fuzzing `check`: any Unicode draft gives a well-formed result against a real history."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.core.analysis.engine import AnalysisEngine, CheckResult
from tests.conftest import DEMO
from tests.core.analysis_support import SUBSET, build_analyzed, make_settings

CHECK = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
REAL = (DEMO / "letsencrypt-blog" / SUBSET[3]).read_text(encoding="utf-8")
#: A real post flattened to one line and repeated to ~30 KB: one enormous paragraph.
LONG_LINE = (" ".join(REAL.split()) + " ") * 4
LONG_LINE = LONG_LINE * (15_000 // len(LONG_LINE) + 1)
LONE_SURROGATE = "A lone \ud800 surrogate and \udfff another."
WORDS = [w for w in REAL.split() if w.isalpha()]
NASTY = [
    "\u202eThis sentence is reversed\u202c and \u200fmarked right-to-left\u200e.",
    "zero\u200bwidth\u200cjoiners\u200dand\ufeffno\u2060breaks " * 20,
    LONG_LINE,
    # Kept short: spaCy's tokenizer is quadratic on long runs of punctuation (see the report).
    "!?.,;:-()[]{}'\"…— " * 40,
    " ".join(str(n) for n in range(0, 3000, 7)),
    "",
    " \n\t ",
    "\x00\x01\x02 control characters \x7f",
    "Ünïcödé ñ 中文 العربية עברית 😀👍🏽 " * 10,
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalysisEngine]:
    """One engine over a real analysed history, loaded once (spaCy is slow to load)."""
    tmp = tmp_path_factory.mktemp("fuzz-check")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTENT_DRIFT_HOME", str(tmp / "home"))
        db = build_analyzed(tmp)
        checker = AnalysisEngine(db, make_settings())
        checker.check_text(REAL)  # warm the pipeline, index and baseline
        yield checker


def _assert_well_formed(result: CheckResult, text: str) -> None:
    assert result.word_count >= 0 and result.history_posts == len(SUBSET)
    json.dumps(result.to_json(), allow_nan=False)  # strict JSON: no NaN/inf leaks out
    for metric in result.metrics:
        assert metric.value is None or math.isfinite(metric.value), metric
        assert metric.percentile is None or 0 <= metric.percentile <= 100, metric
    assert result.freshness is None or 0 <= result.freshness <= 100
    for span in result.spans:
        assert 0 <= span.start <= span.end <= len(text), span


def _checks(engine: AnalysisEngine, text: str) -> CheckResult:
    result = engine.check_text(text, title=text[:40] or None)
    _assert_well_formed(result, text)
    return result


@CHECK
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=1500))
def test_any_unicode_draft(engine: AnalysisEngine, text: str) -> None:
    """Surrogates excluded here; test_lone_surrogates_in_a_draft covers them."""
    _checks(engine, text)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_named_nasty_drafts(engine: AnalysisEngine, text: str) -> None:
    result = _checks(engine, text)
    if not any(ch.isalpha() for ch in text):
        assert result.word_count == 0
    else:
        assert result.word_count > 0


def test_lone_surrogates_in_a_draft(engine: AnalysisEngine) -> None:
    _checks(engine, LONE_SURROGATE)


@CHECK
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=150),
    noise=st.text(alphabet="\u200b\u202e\u00a0\t\n .,!?#*_`>-", max_size=40),
)
@example(words=WORDS, noise="")
def test_real_words_with_noise(engine: AnalysisEngine, words: list[str], noise: str) -> None:
    text = f"{noise}".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12))
    result = _checks(engine, text)
    assert result.word_count > 0
