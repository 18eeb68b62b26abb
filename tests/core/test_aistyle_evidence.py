"""AI-style evidence: content words only, no names, nothing the team wrote as often before AI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from desktop_app.core.aistyle import evidence as ev
from desktop_app.core.aistyle import features as ft
from desktop_app.core.aistyle import load_model
from desktop_app.core.aistyle import terms as style_terms
from desktop_app.core.aistyle.vectorised import split_passages
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.settings import Settings
from tests.conftest import DATA, DEMO, TEST_PIPELINE, HistoryAt

LE_BLOG = DEMO / "letsencrypt-blog"
#: A 2024 Let's Encrypt post (after the default adoption date, 2022-12-01) that thanks its
#: partners in the blog's usual words.
LE_POST = LE_BLOG / "2024-05-28-Princeton-Partnership.md"


def _ai_passages() -> list[str]:
    path = DATA / "ai-vs-human" / "l2r-gpt4o-public.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in rows if r["label"] == "ai"][::10]


def test_evidence_lists_content_words_only_on_real_ai_passages() -> None:
    model = load_model()
    shown = 0
    for text in _ai_passages():
        result = model.score(text)
        terms = [t for t, _ in result.top_terms]
        shown += len(terms)
        for term in terms + [style_terms.span_term(s) for s in result.spans]:
            words = term.split()
            assert any(w not in STOP_WORDS and len(w) > 2 for w in words), term
            assert all(re.fullmatch(r"[a-z']+", w) for w in words), term  # no numbers/symbols
    assert shown > 100  # the filter leaves evidence to show


def test_a_phrase_of_stop_words_never_shows_even_when_it_pushes_the_score() -> None:
    model = load_model()
    # The stop-word-only terms that push the score up the most, repeated in a passage.
    stops = [
        t
        for t, i in model.vocab.items()
        if model.coef_list[i] > 0 and all(w in STOP_WORDS for w in t.split())
    ]
    stops.sort(key=lambda t: -model.coef_list[model.vocab[t]])
    text = ". ".join(f"It was {t} the plan and {t} the team" for t in stops[:6]) + "."
    result = model.score(text)
    assert stops[:6] and not {t for t, _ in result.top_terms} & set(stops)
    assert not [s for s in result.spans if style_terms.span_term(s) in stops]


def test_a_capitalised_word_mid_sentence_is_name_like_and_not_highlighted() -> None:
    model = load_model()
    word = "additionally"
    assert model.coef_list[model.vocab[word]] > 0
    as_name = "We met the founders of Additionally Labs at the fair in Berlin last week."
    as_word = "We met the founders at the fair. Additionally, they showed us the new plan."
    assert word not in [style_terms.span_term(s) for s in model.score(as_name).spans]
    assert word not in [t for t, _ in model.score(as_name).top_terms]
    assert word in [style_terms.span_term(s) for s in model.score(as_word).spans]
    assert style_terms.name_like(as_name, as_name.index("Additionally"))
    assert not style_terms.name_like(as_word, as_word.index("Additionally"))


def _brute_frequency(texts: list[str], term: str) -> float:
    """Share of ~120-word passages containing `term`, by a plain token walk."""
    hits = total = 0
    want = term.split()
    for text in texts:
        for passage in split_passages(text):
            words = [ft.fold(w) for w in passage.words]
            total += 1
            grams = {tuple(words[i : i + len(want)]) for i in range(len(words))}
            hits += tuple(want) in grams
    return hits / total


def test_team_reference_frequency_matches_a_token_walk_on_real_posts() -> None:
    texts = [read_file(p, ImportOptions()).posts[0].text for p in sorted(LE_BLOG.glob("2016-*"))]
    ref = ev.team_reference(texts)
    for term in ("thanks to", "let's", "certificate", "the internet", "rich tapestry"):
        assert ref.frequency(term) == pytest.approx(_brute_frequency(texts, term))
    assert ref.posts == len(texts)


@pytest.fixture
def le_history(tmp_path: Path, history_at: HistoryAt) -> Path:
    """The Let's Encrypt blog (120 posts, 2014-2026) as a history; nothing analysed."""
    db_path = tmp_path / "le.sqlite"
    db = history_at(db_path)
    import_paths(db, [LE_BLOG], ImportOptions())
    db.conn.close()
    return db_path


def test_team_boilerplate_is_not_shown_as_evidence_on_a_real_blog(le_history: Path) -> None:
    engine = AnalysisEngine(le_history, Settings(spacy_pipeline=TEST_PIPELINE))
    text = read_file(LE_POST, ImportOptions()).posts[0].text
    raw = load_model().score(text)
    raw_terms = [t for t, _ in raw.top_terms]
    assert "thanks to" in raw_terms  # the model alone would show the blog's own thanks

    checked = engine.check_text(text)
    style = next(m for m in checked.metrics if m.name == "ai_style_probability")
    shown = [t for t, _ in style.detail["top_terms"]]
    spans = [style_terms.span_term(s) for s in checked.spans if s.kind == "ai_style"]
    dropped = style.detail["team_common_terms"]
    assert "thanks to" in dropped and "thanks to" not in shown + spans
    assert "let's" in dropped  # "Let's Encrypt": the blog's own name
    # What is left is rarer in the team's pre-AI posts than in labelled AI passages.
    with engine._connect() as db:
        ref = engine.ai_style_reference(db)
    ai = ev.shipped_ai_frequencies()
    assert ai is not None and len(ref.passages) >= ev.MIN_REFERENCE_PASSAGES
    assert shown and set(shown) == set(raw_terms) - set(dropped)
    for term in shown:
        assert ref.frequency(term) < ai.frequency(term)
    for term in dropped:
        assert ref.frequency(term) >= ai.frequency(term)
    assert ref.frequency("thanks to") > 2 * ai.frequency("thanks to")


def test_without_pre_ai_posts_nothing_is_dropped() -> None:
    ai = ev.shipped_ai_frequencies()
    assert ai is not None
    assert ev.team_common(["thanks to"], ev.team_reference([]), ai) == set()
    assert ev.dropped_terms(["thanks to"], None) == set()
