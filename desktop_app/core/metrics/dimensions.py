"""The five dimensions every metric belongs to, with the labels the window and report show.

Kept apart from the registry so that labels can be read without importing the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    """One dimension: its key, its label in the window, its title in reports and trends."""

    key: str
    label: str
    title: str


DIMENSION_TABLE = (
    Dimension("diversity", "Lexical diversity", "Lexical diversity"),
    Dimension("repetition", "Repetitive phrasing", "Repetitive phrasing"),
    Dimension("genericness", "Genericness", "Genericness"),
    Dimension("readability", "Readability", "Readability"),
    Dimension("ai_style", "AI-styled prose (estimated)", "AI-styled prose"),
)
DIMENSIONS = tuple(d.key for d in DIMENSION_TABLE)
#: Dimension key -> label in the window (cards, tables, chart legends).
DIMENSION_LABELS = {d.key: d.label for d in DIMENSION_TABLE}
#: Dimension key -> title in report sections and trend tables.
DIMENSION_TITLES = {d.key: d.title for d in DIMENSION_TABLE}
