"""Hugo/Liquid shortcode and footnote-marker removal in linear time.

The earlier regular expressions gave the same results but backtracked: every unclosed opener
re-scanned the rest of the text (32 KB of openers took minutes). Here each opener is matched
with a small anchored pattern and every closer is found by a forward search whose result is
remembered, so no stretch of text is scanned more than a few times. The results are the same
as those of the patterns quoted in each docstring (a test compares both on generated input).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

#: What a shortcode inside an autolink is replaced with (keeps the link a link).
URL_PLACEHOLDER = "<https://shortcode.invalid/>"

_HUGO_OPEN = re.compile(r"\{\{[<%]\s*(comment|highlight|code)\b")
_LIQUID_OPEN = re.compile(r"\{%-?\s*(comment|highlight|raw)\b")
_PAIR_OPEN = re.compile(rf"{_HUGO_OPEN.pattern}|{_LIQUID_OPEN.pattern}")
_HUGO_END = re.compile(r"[>%]\}\}")
_LIQUID_END = re.compile(r"%\}")
_HUGO_CLOSERS = {
    name: re.compile(r"\{\{[<%]\s*/" + name + r"\s*[>%]\}\}")
    for name in ("comment", "highlight", "code")
}
_LIQUID_CLOSERS = {
    name: re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")
    for name in ("comment", "highlight", "raw")
}
_ANY_OPEN = re.compile(r"\{[{%]")
_BRACES_END = re.compile(r"\}\}")
_FOOTNOTE_START = re.compile(r"\[\^")
_LABEL_STOP = re.compile(r"[\]\s]")
_URL_STOP = re.compile(r"[<>\s]")
_OPENER_AT = re.compile(r"(?=\{\{[<%])")


class Ahead:
    """Leftmost match of a pattern at or after a position, remembered while moving forward.

    A search is repeated only once the caller has moved past the remembered match, so each
    pattern scans any part of the text about once, however many openers ask.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[re.Pattern[str], tuple[int, re.Match[str] | None]] = {}

    def search(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """pattern.search(text, pos), from the memory when that answer is still valid."""
        seen = self._seen.get(pattern)
        if seen is not None:
            start, found = seen
            if pos >= start and (found is None or found.start() >= pos):
                return found
        found = pattern.search(self.text, pos)
        self._seen[pattern] = (pos, found)
        return found


def replace_spans(
    text: str,
    opener: re.Pattern[str],
    end_at: Callable[[re.Match[str]], int | None],
    replacement: str,
) -> str:
    """Like re.sub: leftmost matches left to right, each from an opener to `end_at`."""
    parts: list[str] = []
    copied = pos = 0
    while (found := opener.search(text, pos)) is not None:
        end = end_at(found)
        if end is None:
            pos = found.start() + 1
            continue
        parts += [text[copied : found.start()], replacement]
        copied = pos = end
    parts.append(text[copied:])
    return "".join(parts)


def strip_paired(text: str) -> str:
    r"""Drop comment/highlight/code (Hugo) and comment/highlight/raw (Liquid) pairs with bodies.

    Same as re.sub (DOTALL) with a newline of
    ``\{\{[<%]\s*(comment|highlight|code)\b.*?[>%]\}\}.*?\{\{[<%]\s*/\1\s*[>%]\}\}`` or
    ``\{%-?\s*(comment|highlight|raw)\b.*?-?%\}.*?\{%-?\s*end\2\s*-?%\}``.
    """
    ahead = Ahead(text)

    def end_at(found: re.Match[str]) -> int | None:
        hugo = found.group(1)
        end, closers = (_HUGO_END, _HUGO_CLOSERS) if hugo else (_LIQUID_END, _LIQUID_CLOSERS)
        tag_end = ahead.search(end, found.end())
        if tag_end is None:
            return None
        closer = ahead.search(closers[hugo or found.group(2)], tag_end.end())
        return closer.end() if closer else None

    return replace_spans(text, _PAIR_OPEN, end_at, "\n")


def strip_simple(text: str) -> str:
    r"""Drop every other shortcode or template tag.

    Same as re.sub of ``\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}`` (DOTALL) with "".
    """
    ahead = Ahead(text)

    def end_at(found: re.Match[str]) -> int | None:
        start = found.start()
        if text.startswith("{%", start):
            closer = ahead.search(_LIQUID_END, start + 2)
            return closer.end() if closer else None
        if text[start + 2 : start + 3] in ("<", "%"):
            closer = ahead.search(_HUGO_END, start + 3)
            if closer is not None:
                return closer.end()
        closer = ahead.search(_BRACES_END, start + 2)
        return closer.end() if closer else None

    return replace_spans(text, _ANY_OPEN, end_at, "")


def strip_footnote_refs(text: str) -> str:
    r"""Drop footnote markers: re.sub of ``\[\^[^\]\s]+\]:?`` with ""."""
    ahead = Ahead(text)

    def end_at(found: re.Match[str]) -> int | None:
        stop = ahead.search(_LABEL_STOP, found.end())
        if stop is None or stop.start() == found.end() or stop.group() != "]":
            return None
        return stop.end() + (1 if text.startswith(":", stop.end()) else 0)

    return replace_spans(text, _FOOTNOTE_START, end_at, "")


def strip_url_shortcodes(text: str) -> str:
    r"""Replace autolinks holding a shortcode with URL_PLACEHOLDER.

    Same as re.sub of ``<[^<>\s]*\{\{[<%][^\n]*?[%>]\}\}[^<>\s]*>``; no part of it spans
    a newline, so it works line by line.
    """
    if "{{" not in text:
        return text
    return "\n".join(_url_line(line) for line in text.split("\n"))


def _url_line(line: str) -> str:
    if "{{" not in line or "<" not in line:
        return line
    stops = [m.start() for m in _URL_STOP.finditer(line)]
    openers = [m.start() for m in _OPENER_AT.finditer(line)]

    def stop_at(pos: int) -> int:
        i = bisect_left(stops, pos)
        return stops[i] if i < len(stops) else len(line)

    # a closer is good when what follows it up to the next <, > or space ends in '>'
    ends = [(m.start(), stop_at(m.end())) for m in _HUGO_END.finditer(line)]
    good = [start for start, stop in ends if line[stop : stop + 1] == ">"]
    parts: list[str] = []
    copied = pos = 0
    while good and (start := line.find("<", pos)) != -1:
        # the regex takes the LAST opener of the head that a good closer follows, then the
        # first good closer after it
        last = bisect_right(openers, min(stop_at(start + 1) - 2, good[-1] - 3)) - 1
        if last < 0 or openers[last] <= start:
            pos = start + 1
            continue
        closer = good[bisect_left(good, openers[last] + 3)]
        parts += [line[copied:start], URL_PLACEHOLDER]
        copied = pos = stop_at(closer + 3) + 1
    parts.append(line[copied:])
    return "".join(parts)
