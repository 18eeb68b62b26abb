"""Plain-text tables for the CLI (a header line, then one line per row) and Library scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from desktop_app.core.history.repository import StoredPost
from desktop_app.core.settings import Settings

FRESHNESS = "freshness"
_AI = {True: "yes", False: "no", None: "?"}


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` characters (with an ellipsis) and padded."""
    text = " ".join(text.split())
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _names(values: Sequence[str] | None) -> str:
    return ", ".join(values or []) or "-"


def posts_table(posts: Sequence[StoredPost]) -> list[str]:
    """`posts` as a table: id, date, AI flag, words, title, authors, tags."""
    lines = [f"{'ID':<20}  {'DATE':<10}  {'AI':<3}  {'WORDS':>6}  {'TITLE':<48}  "
             f"{'AUTHORS':<28}  TAGS"]  # fmt: skip
    for post in posts:
        day = post.published.isoformat() if post.published else "undated"
        lines.append(
            f"{post.id:<20}  {day:<10}  {_AI[post.ai_assisted]:<3}  {post.word_count:>6}  "
            f"{_fit(post.title, 48)}  {_fit(_names(post.authors), 28)}  {_names(post.tags)}"
        )
    return lines


def _cell(value: object) -> str:
    return f"{value:>12.3f}" if isinstance(value, float) else f"{'-':>12}"


def library_table(rows: Sequence[list[Any]], columns: Sequence[str], start: int) -> list[str]:
    """Library rows (values of `columns` from index `start`) as a table with a header."""
    from desktop_app.core.history import library_rows as lr

    heads = "  ".join(f"{c[:12]:>12}" for c in columns)
    lines = [f"{'ID':<20}  {'DATE':<10}  {'WORDS':>6}  {heads}  TITLE"]
    for row in rows:
        values = "  ".join(_cell(v) for v in row[start:])
        day = row[lr.PUBLISHED] or "undated"
        lines.append(f"{row[lr.ID]:<20}  {day:<10}  {row[lr.WORDS]:>6}  {values}  {row[lr.TITLE]}")
    return lines


def freshness_by_post(db: Database, settings: Settings) -> dict[str, float | None]:
    """Each analysed post's 0-100 freshness index against the team baseline (as the Library)."""
    import numpy as np

    from desktop_app.core.baseline.scoring import load_baseline, score_values
    from desktop_app.core.metrics.registry import REGISTRY
    from desktop_app.core.trends.data import load_table, load_undated_values

    baseline = load_baseline(db, settings)
    table = load_table(db)
    found: dict[str, float | None] = {}
    for post_ids, metrics, values in ((table.post_ids, table.metrics, table.values),
                                      load_undated_values(db)):  # fmt: skip
        if post_ids:
            scores = np.asarray(score_values(metrics, values, baseline, REGISTRY).freshness)
            found.update(
                (pid, None if np.isnan(v) else float(v))
                for pid, v in zip(post_ids, scores, strict=True)
            )
    return found
