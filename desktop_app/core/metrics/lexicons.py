"""Shipped AI-marker and stock-phrase lexicons, plus the user's additions, minus the allow-list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.strings import hash_string  # type: ignore[attr-defined]

from desktop_app.core import paths
from desktop_app.core.settings import Settings

LEXICON_DIR = "lexicons"
AI_MARKERS_FILE = "ai_markers.txt"
STOCK_PHRASES_FILE = "stock_phrases.txt"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})

#: Splits a phrase into tokens with ``.text`` and ``.is_space`` (a spaCy tokenizer).
Tokenizer = Callable[[str], Iterable[Any]]


def normalise_form(text: str) -> str:
    """Lower-case and straighten apostrophes (how lexicon entries and tokens are compared)."""
    return text.lower().translate(_APOSTROPHES)


class LexiconError(ValueError):
    """A shipped lexicon file is missing or unreadable (the message names the file)."""


def read_lexicon(path: Path) -> list[str]:
    """Entries of a lexicon file: one per line; blank lines and '#' comments ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LexiconError(f"{path}: cannot read lexicon ({reason})") from exc
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(normalise_form(" ".join(entry.split())))
    return entries


def inflections(word: str) -> set[str]:
    """Regular English inflected forms of a lexicon word (delve -> delves, delved, delving)."""
    forms = {word}
    if " " in word or not word.isalpha() or len(word) < 3:
        return forms
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    else:
        forms |= {word + "s", word + "es", word + "ed", word + "ing"}
    return forms


@lru_cache(maxsize=4)
def _shipped(directory: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    markers = read_lexicon(directory / AI_MARKERS_FILE)
    phrases = read_lexicon(directory / STOCK_PHRASES_FILE)
    return tuple(markers), tuple(phrases)


@dataclass(frozen=True)
class Lexicons:
    """Marker words (with their inflected forms) and stock phrases (as token tuples)."""

    marker_words: frozenset[str]
    stock_phrases: tuple[str, ...]
    marker_forms: dict[str, str] = field(default_factory=dict, compare=False)
    phrase_index: dict[str, list[tuple[str, ...]]] = field(default_factory=dict, compare=False)
    #: spaCy hashes of phrase-initial tokens (one-token phrases) and of initial token pairs,
    #: with straight and curly apostrophes: a vectorised pre-filter for phrase matching.
    head_hashes: frozenset[int] = field(default_factory=frozenset, compare=False)
    pair_hashes: frozenset[tuple[int, int]] = field(default_factory=frozenset, compare=False)

    @classmethod
    def from_entries(
        cls,
        markers: Iterable[str],
        phrases: Iterable[str],
        allow: Iterable[str] = (),
        tokenizer: Tokenizer | None = None,
    ) -> Lexicons:
        """Build from entry lists; allow-listed entries (and their word forms) are removed.

        `tokenizer` splits the phrases (default: a blank English one, see `phrase_tokens`).
        """
        allowed = {normalise_form(a.strip()) for a in allow if a.strip()}
        words = {normalise_form(m.strip()) for m in markers if m.strip()} - allowed
        forms: dict[str, str] = {}
        for word in sorted(words):
            for form in inflections(word):
                if form not in allowed:
                    forms.setdefault(form, word)
        kept = sorted({normalise_form(" ".join(p.split())) for p in phrases if p.strip()} - allowed)
        index: dict[str, list[tuple[str, ...]]] = {}
        kept_toks = [toks for toks in (phrase_tokens(p, tokenizer) for p in kept) if toks]
        for toks in kept_toks:
            index.setdefault(toks[0], []).append(toks)
        for options in index.values():
            options.sort(key=len, reverse=True)  # longest match first
        heads = {_hashes(p[0]) for p in kept_toks if len(p) == 1}
        pairs = {
            (a, b) for p in kept_toks if len(p) > 1 for a in _hashes(p[0]) for b in _hashes(p[1])
        }
        return cls(
            frozenset(words), tuple(kept), forms, index,
            frozenset(h for hs in heads for h in hs), frozenset(pairs),
        )  # fmt: skip

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        directory: Path | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> Lexicons:
        """The shipped lexicons plus the user's custom words/phrases, minus the allow-list;
        `tokenizer`: an English pipeline's tokenizer already loaded (saves a blank one)."""
        settings = settings or Settings()
        directory = directory or paths.model_file(LEXICON_DIR)
        markers, phrases = _shipped(directory)
        return cls.from_entries(
            [*markers, *settings.custom_marker_words],
            [*phrases, *settings.custom_stock_phrases],
            settings.allow_list,
            tokenizer,
        )


def _hashes(token: str) -> tuple[int, ...]:
    """spaCy string hashes of a normalised token and its curly-apostrophe spelling."""
    return tuple({hash_string(token), hash_string(token.replace("'", "’"))})


def phrase_tokens(phrase: str, tokenizer: Tokenizer | None = None) -> tuple[str, ...]:
    """A phrase as the token sequence spaCy's English tokenizer gives (normalised, no spaces).

    Every English pipeline tokenizes alike (a test checks it on the shipped phrases), so a
    loaded pipeline's ``nlp.tokenizer`` may stand in for the blank one.
    """
    if tokenizer is None:
        from desktop_app.core.nlp.pipeline import blank_tokenizer

        tokenizer = blank_tokenizer()
    return tuple(normalise_form(t.text) for t in tokenizer(phrase) if not t.is_space)
