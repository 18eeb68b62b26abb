"""Calendar periods (months and quarters): keys, ordering, ranges and parsing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

Granularity = Literal["month", "quarter"]
GRANULARITIES: tuple[Granularity, ...] = ("month", "quarter")

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


#: Years a quarter may name: a report compares with the years before and after, and dates
#: only go from year 1 to 9999.
QUARTER_YEARS = (1900, 2999)


class PeriodError(ValueError):
    """A period string that cannot be understood."""


def period_key(day: date, by: Granularity) -> str:
    """The period containing `day`: '2024-03' for months, '2024Q1' for quarters."""
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def period_index(key: str) -> int:
    """A running integer for a period key (consecutive periods differ by one)."""
    match = _QUARTER.match(key)
    if match:
        return int(match[1]) * 4 + int(match[2]) - 1
    match = _MONTH.match(key)
    if match:
        return int(match[1]) * 12 + int(match[2]) - 1
    raise PeriodError(f"not a period: {key!r} (expected e.g. 2025Q3 or 2025-07)")


def granularity_of(key: str) -> Granularity:
    """Whether a key names a month or a quarter."""
    if _QUARTER.match(key):
        return "quarter"
    if _MONTH.match(key):
        return "month"
    raise PeriodError(f"not a period: {key!r} (expected e.g. 2025Q3 or 2025-07)")


def key_from_index(index: int, by: Granularity) -> str:
    """Inverse of period_index."""
    if by == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{index // 4:04d}Q{index % 4 + 1}"


def period_range(first: str, last: str) -> list[str]:
    """Every period from `first` to `last` inclusive (empty ones too)."""
    by = granularity_of(first)
    start, end = period_index(first), period_index(last)
    return [key_from_index(i, by) for i in range(start, end + 1)]


def shift(key: str, steps: int) -> str:
    """The period `steps` periods after (negative: before) `key`."""
    return key_from_index(period_index(key) + steps, granularity_of(key))


def normalise_quarter(text: str) -> str:
    """'2025q3' / '2025-Q3' -> '2025Q3'; PeriodError otherwise."""
    match = _QUARTER.match(text)
    if not match:
        raise PeriodError(f"not a quarter: {text!r} (expected e.g. 2025Q3)")
    if not QUARTER_YEARS[0] <= int(match[1]) <= QUARTER_YEARS[1]:
        first, last = QUARTER_YEARS
        raise PeriodError(f"quarter {text.strip()!r} is out of range (years {first} to {last})")
    return f"{match[1]}Q{match[2]}"


def period_bounds(key: str) -> tuple[date, date]:
    """First and last day of a period."""
    by = granularity_of(key)
    index = period_index(key)
    months = 3 if by == "quarter" else 1
    first_month = index * months if by == "month" else (index % 4) * 3 + (index // 4) * 12
    year, month = divmod(first_month, 12)
    start = date(year, month + 1, 1)
    next_year, next_month = divmod(first_month + months, 12)
    end = date(next_year, next_month + 1, 1) - timedelta(days=1)
    return start, end


#: A period with fewer posts never gets an interval or a verdict of its own.
MIN_INTERVAL_POSTS = 3


def headline_period(counts: Mapping[str, int], min_posts: int) -> str | None:
    """The latest period holding at least `min_posts` posts (else the fullest latest one).

    Headlines use it so a quarter holding one post never speaks for the team.
    """
    if not counts:
        return None
    enough = [p for p, n in counts.items() if n >= min_posts]
    if enough:
        return max(enough, key=period_index)
    most = max(counts.values())
    return max((p for p, n in counts.items() if n == most), key=period_index)
