"""The vectorised analysis steps give exactly what the token-by-token originals gave.

Each reference below is the code the speed-up replaced (main at eb77448), kept here as the
worked example; every check runs on all demo posts.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from desktop_app.core.nlp.pipeline import hard_breaks, prepare_text
from tests.benchmarks.bench_analysis import demo_posts


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    return tuple(prepare_text(p.text) for p in demo_posts())


def _reference_hard_breaks(doc: Doc) -> Doc:
    """The original component: a Python loop over every token."""
    starts = None
    for token in doc:
        if token.is_space and "\n" in token.text and token.i > 0:
            token.is_sent_start = False
            starts = token.i + 1
        elif starts == token.i:
            token.is_sent_start = True
    return doc


@pytest.fixture(scope="module")
def tokenizer() -> Language:
    return spacy.blank("en")


def _starts(doc: Doc) -> list[bool | None]:
    return [t.is_sent_start for t in doc]


def test_hard_breaks_sets_the_same_sentence_starts_as_the_token_loop(tokenizer: Language) -> None:
    texts = [*_texts(), "", "\n", "\n\nA", "a\n\n\nb \n c", "x \n\n", " \n \n y"]
    changed = 0
    for text in texts:
        ours, ref = hard_breaks(tokenizer(text)), _reference_hard_breaks(tokenizer(text))
        assert _starts(ours) == _starts(ref), text[:60]
        changed += any(s is not None for s in _starts(ref))
    assert changed > 300  # the demo posts do have line breaks


def test_hard_breaks_keeps_starts_already_set(tokenizer: Language) -> None:
    doc = tokenizer("One two.\nThree four five")
    doc[1].is_sent_start = True  # a start set before the component ran stays
    ref = _reference_hard_breaks(tokenizer("One two.\nThree four five"))
    ref[1].is_sent_start = True
    out = hard_breaks(doc)
    assert _starts(out) == _starts(ref) == [True, True, None, False, True, None, None]
