"""What an AI-style term is, as evidence: the folded term a span shows, content words, names.

Shared by the model (which spans it returns) and the evidence filter (which terms it drops).
"""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

from desktop_app.core.aistyle import features as ft

_SENTENCE_GAP = re.compile(r"[.!?:\n]")


class Evidence(Protocol):
    """A span of any layer (metric, stored, report): its kind and its text."""

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


E = TypeVar("E", bound=Evidence)


def content_bearing(term: str) -> bool:
    """A term with at least one word that is neither a stop word nor two letters or fewer."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return any(len(w) > 2 and w not in STOP_WORDS for w in term.split())


def name_like(text: str, start: int) -> bool:
    """The word at `start` is capitalised in the middle of a sentence (not a heading start)."""
    if not text[start : start + 1].isupper():
        return False
    before = text[max(0, start - 200) : start].rstrip(" \t\"'“‘([*_#>-")
    return bool(before) and not _SENTENCE_GAP.search(before[-1:])


def span_term(span: Evidence) -> str:
    """The model term a span shows (folded, single-spaced)."""
    return " ".join(ft.fold(w) for w in ft.WORD_RE.findall(span.text))
