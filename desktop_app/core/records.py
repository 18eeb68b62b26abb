"""The records every layer shares: the Post importers produce, and what a metric measures."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

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


MIN_WORDS = 50  # below this, values are flagged low-confidence or not computed


class Direction(StrEnum):
    """Which way is 'fresher' for a metric."""

    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"


class Confidence(StrEnum):
    """How far to trust a value."""

    OK = "ok"
    LOW = "low"  # computed, but on little text
    INSUFFICIENT = "insufficient"  # not enough text: value is None
    UNAVAILABLE = "unavailable"  # the pipeline lacks what the metric needs: value is None


@dataclass(frozen=True)
class Span:
    """An evidence span: character offsets into the post text."""

    kind: str  # ai_marker | cliche | repeated | opening | recycled | ai_style
    start: int
    end: int
    text: str
    ref_post_id: str | None = None


@dataclass
class MetricResult:
    """A metric's value for one post, with its confidence and evidence."""

    value: float | None
    confidence: Confidence = Confidence.OK
    spans: list[Span] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricSpec:
    """Registry entry of one metric."""

    name: str
    label: str
    dimension: str  # diversity | repetition | genericness | readability | ai_style
    unit: str
    direction: Direction
    description: str
    needs: frozenset[str] = frozenset()  # subset of {"tagger", "ner", "parser", "history"}
    compute: Callable[..., MetricResult] | None = None
