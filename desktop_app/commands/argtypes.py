"""Argument types for the CLI: a bad value is a usage error (exit 2) that says why."""

from __future__ import annotations

import argparse
import math
import sqlite3
from datetime import date

from desktop_app.core.messages import printable
from desktop_app.core.settings import MAX_FILE_MB_LIMIT


def iso_date(text: str) -> str:
    """A real calendar date YYYY-MM-DD (returned as given)."""
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"not a date: '{printable(text)}' ({printable(exc)}); use YYYY-MM-DD"
        ) from None
    return text


def file_size_mb(text: str) -> float:
    """A finite size in MB, above 0 and at most MAX_FILE_MB_LIMIT."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of MB: '{printable(text)}'") from None
    if not math.isfinite(value) or not 0 < value <= MAX_FILE_MB_LIMIT:
        raise argparse.ArgumentTypeError(
            f"'{printable(text)}' MB is not a usable size: give a number above 0 and at most "
            f"{MAX_FILE_MB_LIMIT:g}"
        )
    return value


def positive_int(text: str) -> int:
    """A whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{printable(text)}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def fts5_query(text: str) -> str:
    """A search as people type it (history.search): balanced double quotes, and an FTS5
    expression SQLite accepts (checked on an empty in-memory table)."""
    from desktop_app.core.history.search import fts_expression

    if not text.strip():
        return text  # no search
    if text.count('"') % 2:
        raise argparse.ArgumentTypeError(
            f"unbalanced double quote in the search '{printable(text)}': close the phrase, "
            "e.g. --search '\"cloud native\" kubernetes'"
        )
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("create virtual table probe using fts5(title, text)  -- as posts_fts")
        conn.execute("select * from probe where probe match ?", [fts_expression(text)]).fetchall()
    except sqlite3.OperationalError as exc:
        raise argparse.ArgumentTypeError(
            f"not a valid search '{printable(text)}' ({exc}); put words or phrases in double "
            "quotes, e.g. --search '\"cloud native\" AND kubernetes'"
        ) from None
    finally:
        conn.close()
    return text
