"""The per-post parts of a cached corpus index, read only as far as a lookup needs them.

A cached entry holds each post's id, title and date as one text blob plus end offsets
(index_cache). Splitting 50,000 of each into Python strings and ``IndexedPost`` objects cost
the first check of a process about half a second, while a check only asks how many posts
there are, whether the draft is one of them, where its date falls, and the few posts its
evidence cites. These sequences answer that from the blobs and build the full lists only
when something iterates over every post (saving an extended index, for example).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import overload

import numpy as np

from desktop_app.core.metrics.corpus_index import IndexedPost


class StoredStrings(Sequence[str]):
    """Strings kept as one text and the end offset (in characters) of each."""

    def __init__(self, text: str, ends: np.ndarray) -> None:
        if len(ends) and int(ends[-1]) != len(text):
            raise ValueError("offsets do not match the text")
        self.text = text
        self.ends = np.asarray(ends, dtype=np.int64)
        self._all: list[str] | None = None

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return self.all()[i]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = int(self.ends[i - 1]) if i else 0
        return self.text[start : int(self.ends[i])]

    def all(self) -> list[str]:
        """Every string, split once."""
        if self._all is None:
            ends = self.ends.tolist()
            self._all = [self.text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        return self._all

    def find(self, value: str) -> int:
        """Position of the first string equal to `value`, or -1 (a text search, no split)."""
        if not value:
            return next((i for i, s in enumerate(self.all()) if not s), -1)
        at = self.text.find(value)
        while at >= 0:
            i = int(np.searchsorted(self.ends, at, side="right"))
            start = int(self.ends[i - 1]) if i else 0
            if start == at and int(self.ends[i]) == at + len(value):
                return i
            at = self.text.find(value, at + 1)
        return -1


class LazyPosts(Sequence[IndexedPost]):
    """The indexed posts in index order, each built when asked for."""

    def __init__(self, ids: StoredStrings, titles: StoredStrings, dates: StoredStrings) -> None:
        if not len(ids) == len(titles) == len(dates):
            raise ValueError("post ids, titles and dates differ in number")
        self.ids, self.titles, self.dates = ids, titles, dates
        self._all: list[IndexedPost] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> IndexedPost: ...
    @overload
    def __getitem__(self, i: slice) -> list[IndexedPost]: ...
    def __getitem__(self, i: int | slice) -> IndexedPost | list[IndexedPost]:
        if isinstance(i, slice):
            return self.all()[i]
        if self._all is not None:
            return self._all[i]
        day = self.dates[i]
        return IndexedPost(self.ids[i], self.titles[i], date.fromisoformat(day) if day else None)

    def __iter__(self) -> Iterator[IndexedPost]:
        return iter(self.all())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and self.all() == list(other)

    __hash__ = None  # type: ignore[assignment]

    def all(self) -> list[IndexedPost]:
        """Every post as an object, built once."""
        if self._all is None:
            days = [date.fromisoformat(d) if d else None for d in self.dates.all()]
            self._all = list(map(IndexedPost, self.ids.all(), self.titles.all(), days))
        return self._all


class LazyPositions(Mapping[str, int]):
    """Post id -> position, answered by a search of the ids (post ids are unique)."""

    def __init__(self, ids: StoredStrings) -> None:
        self.ids = ids

    def __getitem__(self, post_id: str) -> int:
        found = self.ids.find(post_id) if isinstance(post_id, str) else -1
        if found < 0:
            raise KeyError(post_id)
        return found

    def __contains__(self, post_id: object) -> bool:
        return isinstance(post_id, str) and self.ids.find(post_id) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids.all())

    def __len__(self) -> int:
        return len(self.ids)


class LazyDates(Sequence[date]):
    """The dates of the dated posts (they come first in index order, oldest first)."""

    def __init__(self, dates: StoredStrings) -> None:
        lengths = np.diff(dates.ends, prepend=0)
        self.dates = dates
        self._count = int(np.count_nonzero(lengths))
        if self._count and not lengths[: self._count].all():
            raise ValueError("undated posts before dated ones")

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> date: ...
    @overload
    def __getitem__(self, i: slice) -> list[date]: ...
    def __getitem__(self, i: int | slice) -> date | list[date]:
        if isinstance(i, slice):
            return [date.fromisoformat(d) for d in self.dates.all()[: self._count][i]]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return date.fromisoformat(self.dates[i])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def lazy_parts(
    ids: StoredStrings, titles: StoredStrings, dates: StoredStrings
) -> tuple[LazyPosts, LazyPositions, LazyDates]:
    """The `posts`, `position` and `dated_dates` of a CorpusIndex, read on demand."""
    return LazyPosts(ids, titles, dates), LazyPositions(ids), LazyDates(dates)
