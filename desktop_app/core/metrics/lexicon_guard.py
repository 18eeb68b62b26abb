"""Which lexicon matches are not prose: names, code identifiers and the names of symbols.

A lexicon hit counts (and is shown) only when the matched word is used as an ordinary word:

* **Names.** A single word: with a tagger, a proper noun (``PROPN``); with an entity
  recogniser, a word inside a non-numeric entity ("Delve" the Go debugger); without either
  (the blank pipeline), a word capitalised in the middle of a sentence; in any pipeline, a
  capitalised word directly followed by "is", "was", "has", ... ("Delve is a debugger": an
  imperative is never followed by a verb like that). A phrase: only when the name goes on
  beyond it ("the Game Changer Summit"). None of the name rules applies in a heading (a line
  of at most 15 words, not ended like a sentence, mostly capitalised words).
* **Code identifiers.** A word joined to ``_``, a backtick, a slash or ``::``, a dotted name
  (``tapestry.delve``), camelCase, or a word inside an inline-code span (odd number of
  backticks before it on its line).
* **Symbols' names.** "underscore(s)" as a noun, meaning the ``_`` character ("replace dots
  with underscores"), as opposed to the verb ("this underscores the need"): the tagger's
  ``NOUN`` or the neighbouring words ("to underscores", "underscores and dots").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

#: Words that also name a symbol; as nouns they mean the character, not the AI-flavoured verb.
SYMBOL_NAMES = frozenset({"underscore", "underscores"})
#: A word right after one of these is a noun (the symbol's name) when no tagger is available.
_NOUN_BEFORE = frozenset(
    ("to", "with", "use", "uses", "using", "and", "or", "of", "only", "dots", "dashes",
     "hyphens", "no", "double", "single", "leading", "trailing", "two", "by", "into", "an")
)  # fmt: skip
_NOUN_AFTER = frozenset(
    ("and", "or", "as", "to", "for", "in", "instead", "with", "are", "is", "were", "was", "only")
)
#: A capitalised word followed by one of these is a name, never an imperative.
_NAME_VERBS = frozenset(
    ("is", "was", "has", "are", "can", "will", "does", "lets", "supports", "provides")
)
_CODE_BEFORE = "_`/\\@$#"
_CODE_AFTER = "_`/\\("
_CAMEL = re.compile(r"[a-z][A-Z]")
_START_GAP = re.compile(r"[.!?:\n]")
_ENTITY_NUMERIC = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def excluded(doc: Doc, i: int, text: str, capabilities: frozenset[str]) -> bool:
    """True when token `i` of `doc` is a name, part of code or a symbol's name (not prose)."""
    tok = doc[i]
    if _is_code(tok, text):
        return True
    if tok.lower_ in SYMBOL_NAMES and _is_symbol_noun(doc, i, capabilities):
        return True
    return _is_name(doc, i, text, capabilities)


def phrase_excluded(
    doc: Doc, first: int, last: int, text: str, capabilities: frozenset[str]
) -> bool:
    """True when the phrase doc[first..last] is code or part of a longer name.

    A capitalised phrase is a name only when the name goes on beyond it ("the Game Changer
    Summit", or an entity around it): capitals on the phrase alone are emphasis as often as
    not ("every team needs a Game-Changer"), and the tagger calls both PROPN.
    """
    if _is_code(doc[first], text):
        return True
    if not doc[first].text[:1].isupper() or _title_case_line(text, doc[first].idx):
        return False
    if "ner" in capabilities:
        for ent in doc.ents:
            overlaps = ent.start <= last and ent.end > first
            longer = ent.start < first or ent.end > last + 1
            if overlaps and longer and ent.label_ not in _ENTITY_NUMERIC:
                return True
    before = _word_index(doc, first, -1)
    after = _word_index(doc, last, 1)
    if after is not None and doc[after].text[:1].isupper():
        return not _starts_sentence(doc, after, text)
    return (
        before is not None
        and doc[before].text[:1].isupper()
        and not _starts_sentence(doc, before, text)
        and not _starts_sentence(doc, first, text)
    )


def _word_index(doc: Doc, i: int, step: int) -> int | None:
    """Index of the nearest alphabetic token before (step -1) or after (step 1) token `i`."""
    j = i + step
    while 0 <= j < len(doc) and not doc[j].is_alpha:
        if doc[j].is_punct and doc[j].text not in "-'’":
            return None  # a comma, full stop or bracket ends a name
        j += step
    return j if 0 <= j < len(doc) else None


def _is_code(tok: Token, text: str) -> bool:
    """Joined to code punctuation, dotted, camelCase or inside `inline code`."""
    start, end = tok.idx, tok.idx + len(tok.text)
    if "_" in tok.text or _CAMEL.search(tok.text):
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if (before and before in _CODE_BEFORE) or (after and after in _CODE_AFTER):
        return True
    if before == "." and start > 1 and text[start - 2].isalnum():
        return True  # a dotted name: config.delve
    if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
        return True
    if text[max(0, start - 2) : start] == "::" or text[end : end + 2] == "::":
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("`", line_start, start) % 2 == 1


def _is_symbol_noun(doc: Doc, i: int, capabilities: frozenset[str]) -> bool:
    """'underscores' meaning the character: a noun, by the tagger or by its neighbours."""
    if "tagger" in capabilities and doc[i].pos_ in ("NOUN", "PROPN"):
        return True
    prev = _neighbour_word(doc, i, -1)
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if prev in _NOUN_BEFORE:
        return True
    return nxt is None or nxt.is_punct or nxt.lower_ in _NOUN_AFTER


def _neighbour_word(doc: Doc, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(doc) and (doc[j].is_space or doc[j].is_punct):
        j += step
    return doc[j].lower_ if 0 <= j < len(doc) else ""


def _is_name(doc: Doc, i: int, text: str, capabilities: frozenset[str]) -> bool:
    """A proper noun / entity (tagger, NER) or capitalised mid-sentence (blank pipeline)."""
    tok = doc[i]
    if not tok.text[:1].isupper() or _title_case_line(text, tok.idx):
        return False
    if i + 1 < len(doc) and doc[i + 1].lower_ in _NAME_VERBS:
        return True
    tagged = "tagger" in capabilities or "ner" in capabilities
    if not tagged:
        return not _starts_sentence(doc, i, text)
    if "ner" in capabilities and tok.ent_type_ and tok.ent_type_ not in _ENTITY_NUMERIC:
        return True
    return "tagger" in capabilities and tok.pos_ == "PROPN"


def _starts_sentence(doc: Doc, i: int, text: str) -> bool:
    """First word of a sentence, a line, a list item or after a colon."""
    j = i - 1
    while j >= 0 and not doc[j].is_alpha and not doc[j].like_num:
        j -= 1
    if j < 0:
        return True
    gap = text[doc[j].idx + len(doc[j].text) : doc[i].idx]
    return bool(_START_GAP.search(gap))


def _title_case_line(text: str, pos: int) -> bool:
    """A heading: a line of at most 15 words, not ended like a sentence, most of whose words
    of four letters or more are capitalised."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else None].strip()
    words = re.findall(r"[^\W\d_]{4,}", line)
    if len(words) < 2 or len(line.split()) > 15 or line[-1:] in ".!?;,":
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)
