"""User-facing message text: file names and titles made safe to print, warnings summarised."""

from __future__ import annotations

import re
from collections import Counter

#: Characters that move the cursor, recolour or reorder a terminal line, or break a line:
#: C0/C1 controls, DEL, and the Unicode bidirectional overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: A warning's kind is its text without digits: "row 12" and "row 7" are the same kind.
_NO_DIGITS = str.maketrans("", "", "0123456789")
#: Shown in full per kind of warning before the rest are counted.
KEEP_PER_KIND = 3


def printable(text: object) -> str:
    r"""`text` with control and bidi characters escaped (a newline shows as \n, ESC as \x1b)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED:
            return _NAMED[char]
        return f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}"

    return _UNPRINTABLE.sub(escape, str(text))


def _kind(warning: str) -> str:
    return warning.translate(_NO_DIGITS)


def summarise_warnings(warnings: list[str], keep: int = KEEP_PER_KIND) -> list[str]:
    """The first `keep` warnings of each kind, then one line counting the rest of that kind.

    A kind is the warning without its place in the file, so a million undated rows give three
    lines and '… and 999,997 more like "no date found (row 1): …" (1,000,000 in all)'.
    """
    kinds = [_kind(w) for w in warnings]
    counts = Counter(kinds)
    shown: Counter[str] = Counter()
    first: dict[str, str] = {}
    lines: list[str] = []
    for warning, kind in zip(warnings, kinds, strict=True):
        shown[kind] += 1
        first.setdefault(kind, warning)
        if shown[kind] <= keep:
            lines.append(warning)
        elif shown[kind] == counts[kind]:
            rest = counts[kind] - keep
            lines.append(f'… and {rest:,} more like "{first[kind]}" ({counts[kind]:,} in all)')
    return lines
