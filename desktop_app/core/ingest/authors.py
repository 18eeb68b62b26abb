"""Clean author names out of by-lines such as '[Ann Lee](url) (Acme), Bo Chan and Cy Dee'.

Rule: a Markdown link is one person (its text up to a comma). Parenthesised affiliations are
dropped. The rest is split on commas, semicolons, '&' and 'and'. The first piece is always a
name; a later piece is a further name only if it looks like a person's name (2-4 capitalised
words, no acronym, no role word); otherwise it is a role or an organisation, as in
'Josh Aas, ISRG Executive Director' or 'Franklin Angulo, Squarespace'.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_PAREN = re.compile(r"\s*\([^()]*\)")
_NICKNAME = re.compile(r"\s+[\"“][^\"”]+[\"”]")
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\n)\s*")


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


def _clean(piece: str) -> str:
    piece = _NICKNAME.sub("", piece)
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
    text = _LINK.sub(lambda m: f"{_MARK}{m.group(1)}{_MARK}", str(value).strip().strip("\"'"))
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
