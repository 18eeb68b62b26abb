"""'Phrases that became frequent' are real phrases: checked with spaCy's tagger on a real blog."""

from __future__ import annotations

import functools
import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.nlp.pipeline import load_pipeline
from desktop_app.core.report.phrases import (
    NameWords,
    cased_runs,
    frequent_grams,
    new_phrases,
    plain_word,
    runs,
)
from tests.conftest import DEMO, TEST_PIPELINE

_TOKEN = re.compile(r"\S+")
_PLAIN = re.compile(r"^([(\"“‘']?)([A-Za-z]+(?:['’][A-Za-z]+)?)([)\"”’']?)([.,;:!?]*)$")


_MID_CAPITAL = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+)\b")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def name_words(texts: list[str]) -> set[str]:
    """The definition, counting every word: words the texts write capitalised mid-sentence
    (after a lower-case letter, comma or semicolon and a space) at least as often as in lower
    case."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        capital.update(w.lower() for w in _MID_CAPITAL.findall(text))
        seen.update(_LOWER_WORD.findall(text))
    return {w for w, c in capital.items() if c >= seen[w]}


def plain_phrase(gram: str, excluded: set[str]) -> bool:
    """Every word an English dictionary word, none a name, month or weekday."""
    return all(plain_word(w, excluded) for w in gram.split())


def _runs_token_by_token(text: str) -> list[list[str]]:
    """The definition, one whitespace-separated token at a time: a plain word, optionally
    after an opening bracket or quote (which starts a run) and before closing punctuation
    (which ends it); any other token breaks the run."""
    out: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        match = _PLAIN.match(token)
        if match is None:
            out.append([])
            continue
        if match[1]:
            out.append([])
        out[-1].append(match[2].replace("’", "'"))
        if match[3] or match[4]:
            out.append([])
    return [r for r in out if r]


@functools.cache
def _posts() -> list[tuple[date, str]]:
    files, _ = discover_files([DEMO / "otel-blog"])
    out = []
    for path in files:
        for post in read_file(path, ImportOptions()).posts:
            if post.published is not None:
                out.append((post.published, post.text))
    return out


def test_runs_break_at_numbers_code_markup_and_punctuation() -> None:
    text = "Use the otel_collector v1.2 now. Then the Collector (beta) works, really well"
    assert runs(text) == [["use", "the"], ["now"], ["then", "the", "collector"], ["beta"],
                          ["works"], ["really", "well"]]  # fmt: skip


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_no_new_phrase_holds_a_name_a_number_or_code_on_a_real_blog(year: int) -> None:
    posts = _posts()
    now = [t for d, t in posts if d.year == year]
    before = [t for d, t in posts if d.year < year]
    phrases = new_phrases(now, before)
    nlp, _ = load_pipeline(TEST_PIPELINE)
    for found in phrases:
        assert found.posts_now >= 3 and found.share_before < found.share_now
        pattern = re.compile(
            r"\b" + r"\W+".join(map(re.escape, found.phrase.split())) + r"\b", re.I
        )
        hits = [m for t in now for m in pattern.finditer(t)]
        assert hits, found.phrase
        for match in hits[:5]:
            assert not re.search(r"[\d_/\\.{}<>`=]", match.group(0)), match.group(0)
            doc = nlp(match.group(0))
            assert not any(tok.like_num for tok in doc), match.group(0)
        # the tagger, on the sentence the phrase came from, calls none of its words a name
        text = next(t for t in now if pattern.search(t))
        start = pattern.search(text).start()  # type: ignore[union-attr]
        doc = nlp(text[max(0, start - 200) : start + 200])
        span = [t for t in doc if t.idx + max(0, start - 200) >= start][: len(found.phrase.split())]
        assert not any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span), (found, span)


def _all_texts() -> list[str]:
    texts = [t for _, t in _posts()]
    for blog in ("letsencrypt-blog", "wordpress-wxr"):
        files, _ = discover_files([DEMO / blog])
        texts += [p.text for path in files for p in read_file(path, ImportOptions()).posts]
    return texts


def test_runs_equal_the_token_by_token_definition_on_real_posts() -> None:
    texts = _all_texts()
    assert len(texts) > 300
    for text in texts:
        assert cased_runs(text) == _runs_token_by_token(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("ab Z'’\"“”‘()-.,;:!?1_\n\té\u00a0\u2003\x1c"), max_size=60))
def test_runs_equal_the_token_by_token_definition_on_any_text(text: str) -> None:
    assert cased_runs(text) == _runs_token_by_token(text)


@pytest.mark.parametrize("need", [2, 3, 4, 6])
def test_frequent_grams_equal_counting_every_gram_of_a_real_year(need: int) -> None:
    """The pruned count (only words frequent and plain enough to be in a frequent phrase)
    gives the grams and post counts of counting every plain 3-4-gram of every post."""
    now = [t for d, t in _posts() if d.year == 2023]
    names = name_words(now)
    every: Counter[str] = Counter()
    for text in now:
        grams = set()
        for run in runs(text):
            for n in (3, 4):
                for i in range(len(run) - n + 1):
                    words = run[i : i + n]
                    if sum(w not in ENGLISH_STOP_WORDS for w in words) >= 2:
                        grams.add(" ".join(words))
        every.update(grams)
    expected = {g: c for g, c in every.items() if c >= need and plain_phrase(g, names)}
    found = frequent_grams([runs(t) for t in now], need, lambda words: names & set(words))
    assert len(expected) > 10
    assert dict(found) == expected


def test_name_words_asked_word_by_word_equal_counting_every_word() -> None:
    """NameWords settles most words on a lower bound of their lower-case uses and counts
    the rest exactly: the names it finds are those of name_words, on a real blog's year,
    both when few words are left to count (one regex) and when many are (every word)."""
    texts = [t for d, t in _posts() if d.year == 2023]
    everything = name_words(texts)
    assert len(everything) > 50
    lower_uses = Counter(w for t in texts[:10] for run in cased_runs(t) for w in run)
    asked = NameWords(texts, lower_uses)
    words = sorted({w for t in texts for run in runs(t) for w in run})
    assert asked.among(words) == everything & set(words)  # many open words: counted all
    few = [*sorted(everything)[:20], "the", "collector", "kubernetes", "otel"]
    assert asked.among(few) == everything & set(few)  # a few: one regex
