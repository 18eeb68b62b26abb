"""Corpus-level measures on real demo posts: seeded samples, equal size, sane values."""

from __future__ import annotations

import pytest

from desktop_app.core.trends.corpus_measures import (
    corpus_measures,
    gzip_ratio,
    ngram_diversity,
    tokens_of,
)
from tests.conftest import DEMO

POSTS = sorted((DEMO / "letsencrypt-blog").glob("2015-*.markdown"))


def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in POSTS}


def test_gzip_ratio_and_ngram_diversity_see_repetition() -> None:
    text = _texts()[POSTS[0].stem]
    repeated = " ".join([text[:400]] * 10)
    assert gzip_ratio(repeated) > gzip_ratio(text) > 1.0
    assert ngram_diversity(tokens_of(repeated)) < ngram_diversity(tokens_of(text)) <= 1.0
    assert ngram_diversity(["a", "b"]) is None


def test_measures_are_seeded_equal_size_and_flag_sparse_periods() -> None:
    texts = _texts()
    ids = sorted(texts)
    periods = {"2015Q1": ids[:8], "2015Q2": ids[8:16], "2015Q3": ids[16:18]}

    def fetch(wanted: list[str]) -> dict[str, str]:
        return {i: texts[i] for i in wanted}

    first = corpus_measures(periods, fetch, sample_size=5)
    again = corpus_measures(periods, fetch, sample_size=5)
    assert first == again
    ok = [c for c in first if c.gzip_ratio is not None]
    assert [c.period for c in ok] == ["2015Q1", "2015Q2"]
    assert len({c.tokens for c in ok}) == 1  # equal word budget per period
    assert first[2].status == "too few posts for a sample of 5 (n=2)"
    for c in ok:
        assert 0.0 < c.homogenization < 1.0  # type: ignore[operator]
        assert 0.5 < c.ngram_diversity <= 1.0  # type: ignore[operator]


def test_identical_posts_are_fully_homogeneous() -> None:
    text = _texts()[POSTS[1].stem]
    stats = corpus_measures({"2015Q1": ["a", "b", "c"]}, lambda ids: dict.fromkeys(ids, text), 3)
    assert stats[0].homogenization == pytest.approx(1.0)
