"""Clean author names out of by-lines such as '[Ann Lee](url) (Acme), Bo Chan and Cy Dee'.

Rule: a Markdown link is one person (its text up to a comma). Parenthesised affiliations are
dropped. The rest is split on commas, semicolons, '&' and 'and'. The first piece is always a
name; a later piece is a further name only if it looks like a person's name (2-4 capitalised
words, no acronym, no role word); otherwise it is a role or an organisation, as in
'Josh Aas, ISRG Executive Director' or 'Franklin Angulo, Squarespace'.
"""

from __future__ import annotations

import re

# Each pattern starts its leading spaces only where a run of spaces starts: a match starting
# inside the run would also start at its beginning, and trying every position made 20 KB of
# spaces quadratic. (A previous match always ends on a non-space, or just before one.)
_PAREN = re.compile(r"(?:(?<!\s)\s+)?\([^()]*\)")
_NICKNAME = re.compile(r"(?<!\s)\s+[\"“][^\"”]+[\"”]")
_SPLIT = re.compile(r"(?:(?<!\s)\s+)?(?:,|;|&|\band\b|\n)\s*")
_CLOSING_QUOTE = re.compile(r"[\"”][^\"”]*\Z")


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _names("de da del della der di du la le van von bin al ter ten dos das")
#: Words that mark a comma piece as a role or an organisation rather than a person.
ROLE_WORDS = _names(
    "director engineer developer manager founder cofounder co-founder ceo cto cfo coo vp "
    "president officer lead head chair chairman chairwoman member board team staff editor "
    "writer author maintainer contributor architect advocate evangelist researcher scientist "
    "analyst consultant designer intern executive chief principal senior junior product "
    "marketing sales community program project technical group committee council foundation "
    "inc ltd llc corp company university"
)
_MARK = "\ue000"  # private-use character: never whitespace, never in a by-line


def _looks_like_name(piece: str) -> bool:
    """2-4 capitalised words, no acronym, no role word."""
    words = piece.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        bare = word.strip(".,'’")
        if bare.lower() in _PARTICLES:
            continue
        if not bare or not bare[0].isupper() or bare.lower() in ROLE_WORDS:
            return False
        if len(bare) > 1 and bare.isupper() and "." not in bare:
            return False
    return True


def _mark_links(text: str) -> str:
    """Each Markdown link `[text](url)` becomes its text between two marks, in linear time.

    Same result as `re.sub(r"\\[([^\\]]+)\\]\\([^)]*\\)", mark + text + mark)`, without trying
    every '[' again up to the same ']' (quadratic on '[' * 10,000).
    """
    out, done, start = [], 0, text.find("[")
    while start != -1:
        close = text.find("]", start + 1)
        if close == -1:
            break
        if close == start + 1:  # empty link text
            start = text.find("[", start + 1)
            continue
        if not text.startswith("(", close + 1):  # every '[' before `close` fails the same way
            start = text.find("[", close + 1)
            continue
        end = text.find(")", close + 2)
        if end == -1:
            break
        out += [text[done:start], _MARK, text[start + 1 : close], _MARK]
        done = end + 1
        start = text.find("[", done)
    return "".join(out) + text[done:]


def _drop_nicknames(piece: str) -> str:
    """Remove quoted nicknames (' "Bo" '); only up to the last closing quote can one end."""
    tail = _CLOSING_QUOTE.search(piece)
    if tail is None:
        return piece
    cut = tail.start() + 1
    return _NICKNAME.sub("", piece[:cut]) + piece[cut:]


def _clean(piece: str) -> str:
    piece = _drop_nicknames(piece)
    return re.sub(r"\s+", " ", piece).strip(" \t\"'`,;:-")


def _free_text_names(text: str, first: bool) -> list[str]:
    names = []
    for index, piece in enumerate(_SPLIT.split(text)):
        piece = _clean(piece)
        if piece and ((first and index == 0) or _looks_like_name(piece)):
            names.append(piece)
    return names


def parse_authors(value: object) -> list[str]:
    """Clean, de-duplicated author names from a by-line string or a list of them."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        found = [name for item in value for name in parse_authors(item)]
        return list(dict.fromkeys(found))
    text = _mark_links(str(value).strip().strip("\"'"))
    text = _PAREN.sub("", text)
    names: list[str] = []
    for index, part in enumerate(text.split(_MARK)):
        if index % 2:  # a link is one person: its text up to the first comma
            cleaned = _clean(part.split(",")[0])
            if cleaned:
                names.append(cleaned)
        else:
            names.extend(_free_text_names(part, first=not names and index == 0))
    return list(dict.fromkeys(names))
