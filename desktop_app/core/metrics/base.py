"""What every metric shares: its registry entry, its result and its evidence spans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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
