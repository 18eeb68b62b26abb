"""The Post record that every importer produces and the history stores."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def normalise_text(text: str) -> str:
    """NFKC, lower-cased, whitespace collapsed: what the post id is a hash of."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def post_id_for(text: str) -> str:
    """Stable post id: first 20 hex digits of the SHA-256 of the normalised text."""
    normalised = normalise_text(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(normalised).hexdigest()[:20]


def count_words(text: str) -> int:
    """Number of alphabetic word tokens (same rule as the lexical metrics)."""
    return len(_WORD.findall(text))


@dataclass
class Post:
    """One article: cleaned prose plus its metadata."""

    title: str
    text: str
    source: str
    published: date | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    ai_assisted: bool | None = None
    status: str | None = None

    @property
    def id(self) -> str:
        """Hash of the normalised text (so re-importing the same text is a no-op)."""
        return post_id_for(self.text)

    @property
    def word_count(self) -> int:
        """Alphabetic word tokens in the text."""
        return count_words(self.text)
