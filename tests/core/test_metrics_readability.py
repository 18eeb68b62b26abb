"""Readability: textstat's formulas on our sentences and words, offline (no NLTK, no download)."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.metrics import readability
from desktop_app.core.metrics.base import Confidence
from desktop_app.core.metrics.registry import compute_all
from tests.conftest import DATA, DEMO, REPO
from tests.core.metrics_support import DEMO_POSTS, context, demo_text

LABELLED = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
READABILITY = ["flesch_reading_ease", "fk_grade", "mean_sentence_length", "sentence_length_cv"]


def _no_cmudict_textstat(monkeypatch: pytest.MonkeyPatch) -> object:
    """textstat with NLTK's download forbidden and its CMUdict lookup off (pyphen only)."""
    nltk = pytest.importorskip("nltk")

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("nltk.download was called")

    monkeypatch.setattr(nltk, "download", forbidden)
    import textstat
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear()
    return textstat


@pytest.mark.parametrize("post", DEMO_POSTS)
def test_formulas_match_textstat_on_the_same_words_and_sentences(
    post: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    textstat = _no_cmudict_textstat(monkeypatch)
    ctx = context(demo_text(post))
    # Rebuild the text so that textstat sees exactly our sentences (3+ words) and words.
    sentences = [[t.lower_ for t in s if t.is_alpha] for s in ctx.doc.sents]
    sentences = [s for s in sentences if len(s) > 2]
    plain = " ".join(" ".join(s) + "." for s in sentences)
    ours = context(plain, "blank")  # the sentencizer splits exactly at our full stops
    assert len(readability.sentence_lengths(ours)) == len(sentences)
    results = compute_all(ours, ["flesch_reading_ease", "fk_grade"])
    fre = textstat.flesch_reading_ease(plain)  # type: ignore[attr-defined]
    fkg = textstat.flesch_kincaid_grade(plain)  # type: ignore[attr-defined]
    assert results["flesch_reading_ease"].value == pytest.approx(fre, abs=1e-6)
    assert results["fk_grade"].value == pytest.approx(fkg, abs=1e-6)


def test_sentence_statistics_on_a_real_post() -> None:
    ctx = context(demo_text(DEMO_POSTS[1]))
    lengths = readability.sentence_lengths(ctx)
    results = compute_all(ctx, READABILITY)
    assert sum(lengths) == ctx.n_words
    assert results["mean_sentence_length"].value == pytest.approx(statistics.fmean(lengths))
    cv = statistics.pstdev(lengths) / statistics.fmean(lengths)
    assert results["sentence_length_cv"].value == pytest.approx(cv)
    assert 0 < results["flesch_reading_ease"].value < 100
    assert all(r.confidence is Confidence.OK for r in results.values())


def test_uniform_sentences_have_zero_burstiness() -> None:
    ctx = context("The collector exports spans now. " * 12)
    assert compute_all(ctx, ["sentence_length_cv"])["sentence_length_cv"].value == 0.0


def test_syllables_come_from_pyphen_dictionary() -> None:
    # pyphen's en_US hyphenation points + 1, as textstat counts words missing from CMUdict
    assert readability.syllables("information") == 4  # in-for-ma-tion
    assert readability.syllables("collector") == 3  # col-lec-tor
    assert readability.syllables("the") == 1


def test_metrics_never_import_nltk_or_textstat() -> None:
    code = (
        "import sys\n"
        "from desktop_app.core.metrics.registry import compute_all, DocContext, Lexicons\n"
        "from desktop_app.core.nlp import load_pipeline\n"
        "nlp, info = load_pipeline('blank')\n"
        "text = 'Readability needs syllables. We count them offline with pyphen. ' * 20\n"
        "r = compute_all(DocContext.build(nlp(text), info, Lexicons.load()))\n"
        "assert r['flesch_reading_ease'].value is not None\n"
        "print(sorted(m for m in ('nltk', 'textstat') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text", ["", ". . .", "2024 2025", "Short.", "Two words"])
def test_tiny_inputs_never_crash(text: str) -> None:
    for result in compute_all(context(text), READABILITY).values():
        if result.value is None:
            assert result.confidence is Confidence.INSUFFICIENT
        else:
            assert result.confidence is Confidence.LOW


def _corpus_words() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(DEMO.rglob("*.md*"))]
    texts += LABELLED.read_text("utf-8").splitlines()[::5]
    pattern = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
    return sorted({w.lower() for text in texts for w in pattern.findall(text)})


def test_hyphenation_point_counter_equals_pyphen_on_every_corpus_word() -> None:
    dictionary = pyphen.Pyphen(lang=readability.PYPHEN_LANG)
    counter = readability.HyphenationPoints(dictionary)
    words = _corpus_words()
    assert len(words) > 10_000
    assert [counter.count(w) for w in words] == [len(dictionary.positions(w)) for w in words]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéüßİ'’AZ")), max_size=30))
def test_hyphenation_point_counter_equals_pyphen_on_any_word(word: str) -> None:
    dictionary = pyphen.Pyphen(lang=readability.PYPHEN_LANG)
    assert readability.HyphenationPoints(dictionary).count(word) == len(dictionary.positions(word))
