"""'Phrases that became frequent' are real phrases: checked with spaCy's tagger on a real blog."""

from __future__ import annotations

import re
from datetime import date

import pytest

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.nlp.pipeline import load_pipeline
from desktop_app.core.report.phrases import new_phrases, runs
from tests.conftest import DEMO, TEST_PIPELINE


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
