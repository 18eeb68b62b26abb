"""Full-text search as people type it: exact words, `word*` prefixes, `"a phrase"` phrases.

Two FTS5 indexes over title and text (migration m005): `posts_fts` matches words exactly
(unicode61, accents folded), `posts_fts_stemmed` (porter) also matches other forms of a word
(`generics` finds "generic"). Stemming is used only when the user turns it on (the setting
`search_stemming`, or `--stem` on the command line). Every query is turned into a safe FTS5
expression: words are quoted, so FTS5 operators and stray punctuation are never syntax.
"""

from __future__ import annotations

import re

EXACT_TABLE = "posts_fts"
STEMMED_TABLE = "posts_fts_stemmed"
#: One line for the search box's placeholder; the tooltip gives the details.
SYNTAX_HINT = 'Search: words (exact), word* (prefix), "a phrase"'
SYNTAX_HELP = (
    "Finds posts whose title or text contains every word you type, exactly as typed "
    "(case and accents ignored).\n"
    "word*  matches words starting with 'word' (collect* finds collector, collecting).\n"
    '"a phrase"  matches the words next to each other, in that order.\n'
    "Turn on stemming in the settings (search_stemming) to also match other forms of a word."
)
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')


def fts_expression(text: str) -> str:
    """A safe FTS5 query: words and phrases quoted (all must match), `word*` as a prefix."""
    terms = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            if phrase.strip():
                terms.append(_quoted(phrase.strip()))
            continue
        prefix = word.endswith("*")
        core = word.strip("*")
        if re.search(r"\w", core):
            terms.append(_quoted(core) + ("*" if prefix else ""))
    return " ".join(terms)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_clause(rowid: str, stemmed: bool) -> str:
    """SQL `rowid in (...)` selecting the posts whose index row matches the `?` parameter."""
    table = STEMMED_TABLE if stemmed else EXACT_TABLE
    return f"{rowid} in (select rowid from {table} where {table} match ?)"
