"""Phrases for the report: n-grams newly frequent this quarter, and each post's top evidence.

A "phrase that became frequent" is a real multi-word phrase: 3-4 plain English words in a row
(no number, code, markup or punctuation inside; every word in the CMU pronouncing dictionary
shipped for readability), without a name (a word the quarter's posts mostly write capitalised
mid-sentence; a phrase mostly written with two or more capitals, like a heading or 'End User
SIG'), a month or a weekday, found in at least 3 of the quarter's posts and at least
10% of them, and in at most 2% of the earlier posts (the baseline sample).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import chain

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sqlite_utils import Database

from desktop_app.core.metrics.readability import cmu_syllables
from desktop_app.core.report.model import NewPhrase

NGRAM_SIZES = (3, 4)
MIN_POSTS_NOW = 3
MIN_SHARE_NOW = 0.10
MAX_SHARE_BEFORE = 0.02
MAX_BEFORE_SAMPLE = 500
TOP_PHRASES = 15
#: Evidence kinds shown as a post's phrases, most telling first (single driving words of the
#: AI-style model and repeated sentence openings are left out: they read as noise alone).
EVIDENCE_ORDER = ("ai_marker", "cliche", "repeated", "recycled")


#: A plain word: ASCII letters, optionally one apostrophe inside ("don't", "team's").
_WORD = r"[A-Za-z]+(?:['’][A-Za-z]+)?"
#: A run of plain words as whitespace-separated tokens: an opening bracket or quote may only
#: start one, closing punctuation only end one; any other token breaks it.
_RUN = re.compile(rf"(?<!\S)[(\"“‘']?({_WORD}(?:\s+{_WORD})*)[)\"”’']?[.,;:!?]*(?!\S)")
#: A capitalised word after a lower-case letter, comma or semicolon and a space (the space
#: is matched first: a literal start lets the regex engine skip ahead).
_MID_CAPITAL = re.compile(r" (?<=[a-z,;] )([A-Z][a-z]+)\b")
#: A whole word in lower-case ASCII letters: what `\b[A-Za-z]+\b` finds with `islower()`.
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def run_strings(text: str) -> list[str]:
    """Each run of plain words as written, with its own whitespace, and ’ written as '."""
    return [m.group(1).replace("’", "'") for m in _RUN.finditer(text)]


def cased_runs(text: str) -> list[list[str]]:
    """Runs of plain words as written: numbers, code, markup and punctuation break a run."""
    return [run.split() for run in run_strings(text)]


def runs(text: str) -> list[list[str]]:
    """`cased_runs`, lower-cased."""
    return [run.lower().split() for run in run_strings(text)]


def titled_grams(
    cased: Sequence[Sequence[list[str]]],
    lowered: Sequence[Sequence[list[str]]],
    wanted: set[str],
) -> tuple[Counter[str], Counter[str]]:
    """(occurrences, title-cased occurrences) of the 3-4-grams in `wanted`, from each text's
    runs as written and lower-cased: a gram written with two or more capitalised words is a
    heading or a name ('End User SIG', 'Releases and Updates')."""
    seen: Counter[str] = Counter()
    titled: Counter[str] = Counter()
    firsts = {g.split(" ", 1)[0] for g in wanted}
    for text_runs, text_lower in zip(cased, lowered, strict=True):
        for run, lower in zip(text_runs, text_lower, strict=True):
            for i, first in enumerate(lower):
                if first not in firsts:  # no wanted gram starts here
                    continue
                for n in NGRAM_SIZES:
                    if i + n > len(run):
                        break
                    gram = " ".join(lower[i : i + n])
                    if gram in wanted:
                        seen[gram] += 1
                        titled[gram] += sum(w[:1].isupper() for w in run[i : i + n]) >= 2
    return seen, titled


#: Beyond this many words to settle, counting every lower-case word is the quicker way.
_MAX_SETTLED_ONE_BY_ONE = 200


class NameWords:
    """Name words of the texts (words they mostly write capitalised in mid-sentence: names,
    products, places), asked only about the words a caller needs.

    Counting every lower-case word of 1,300 posts is most of the cost, so a word is first
    judged on a lower bound of its lower-case uses (`lower_uses`: uses written lower-case
    in the runs of some of the texts, each also a `\\b[a-z]+\\b` match); only words whose
    capitalised uses reach that bound are counted exactly, in one pass for all of them.
    """

    def __init__(self, texts: Sequence[str], lower_uses: Mapping[str, int]) -> None:
        self.texts = texts
        self.lower_uses = lower_uses
        self.capital = Counter(w.lower() for t in texts for w in _MID_CAPITAL.findall(t))

    def among(self, words: Iterable[str]) -> set[str]:
        """Those of `words` the texts write capitalised mid-sentence at least as often as in
        lower case (and at least once)."""
        open_ = [w for w in words if self.capital.get(w, 0) >= max(1, self.lower_uses.get(w, 0))]
        if not open_:
            return set()
        seen = self._lower_counts(open_)
        return {w for w in open_ if self.capital[w] >= seen[w]}

    def _lower_counts(self, words: Sequence[str]) -> Counter[str]:
        if len(words) > _MAX_SETTLED_ONE_BY_ONE:
            every: Counter[str] = Counter()
            for text in self.texts:
                every.update(_LOWER_WORD.findall(text))
            return every
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b")
        seen: Counter[str] = Counter()
        for text in self.texts:
            seen.update(pattern.findall(text))
        return seen


def _grams(words_runs: Sequence[Sequence[str]]) -> set[str]:
    """Word 3- and 4-grams within runs, with at least two non-stopwords."""
    out: set[str] = set()
    add = out.add
    for tokens in words_runs:
        size = len(tokens)
        content = [t not in ENGLISH_STOP_WORDS for t in tokens]
        for i in range(size - 2):
            three = content[i] + content[i + 1] + content[i + 2]
            if three >= 2:
                add(f"{tokens[i]} {tokens[i + 1]} {tokens[i + 2]}")
            if i + 3 < size and three + content[i + 3] >= 2:
                add(f"{tokens[i]} {tokens[i + 1]} {tokens[i + 2]} {tokens[i + 3]}")
    return out


def _grams_among(words_runs: Sequence[Sequence[str]], wanted: set[str]) -> set[str]:
    """The word 3- and 4-grams of the runs that are in `wanted`."""
    out = set()
    firsts = {g.split(" ", 1)[0] for g in wanted}
    for tokens in words_runs:
        for i, first in enumerate(tokens):
            if first not in firsts:
                continue
            for n in NGRAM_SIZES:
                gram = " ".join(tokens[i : i + n])
                if i + n <= len(tokens) and gram in wanted:
                    out.add(gram)
    return out


def plain_word(word: str, excluded: set[str]) -> bool:
    """An English dictionary word, not a name, month or weekday (one letter: only 'a')."""
    return (
        (len(word) > 1 or word == "a")
        and word in cmu_syllables()
        and word not in excluded
        and word not in CALENDAR
    )


def _segments(text_runs: Sequence[list[str]], keep: set[str]) -> list[list[str]]:
    """The runs cut at every word not in `keep`, pieces of 3+ words only."""
    out = []
    for run in text_runs:
        piece: list[str] = []
        for word in run:
            if word in keep:
                piece.append(word)
                continue
            if len(piece) >= 3:
                out.append(piece)
            piece = []
        if len(piece) >= 3:
            out.append(piece)
    return out


def frequent_grams(
    lowered: Sequence[Sequence[list[str]]],
    need: int,
    names_among: Callable[[Collection[str]], set[str]],
) -> Counter[str]:
    """Post counts of the plain 3-4-grams in at least `need` of the posts (runs lower-cased;
    `names_among` picks the name words out of a set of words).

    A gram is in no more posts than any of its words, so only words in `need`+ posts that
    are plain can be part of one: the runs are cut at every other word before counting,
    which gives the same grams and the same counts as counting every gram.
    """
    df_words: Counter[str] = Counter()
    for text_runs in lowered:
        df_words.update({w for run in text_runs for w in run})
    frequent = {w for w, c in df_words.items() if c >= need and plain_word(w, set())}
    keep = frequent - names_among(frequent)
    df: Counter[str] = Counter()
    for text_runs in lowered:
        df.update(_grams(_segments(text_runs, keep)))
    return Counter({g: c for g, c in df.items() if c >= need})


def sample_before(ids: Sequence[str], seed: int = 7) -> list[str]:
    """At most MAX_BEFORE_SAMPLE earlier post ids, a seeded random sample."""
    pool = sorted(ids)
    if len(pool) <= MAX_BEFORE_SAMPLE:
        return pool
    rng = np.random.default_rng(seed)
    return [pool[i] for i in sorted(rng.choice(len(pool), MAX_BEFORE_SAMPLE, replace=False))]


def _drop_contained(phrases: list[NewPhrase]) -> list[NewPhrase]:
    kept: list[NewPhrase] = []
    for phrase in phrases:
        if not any(phrase.phrase in k.phrase or k.phrase in phrase.phrase for k in kept):
            kept.append(phrase)
    return kept


def new_phrases(now: Sequence[str], before: Sequence[str]) -> list[NewPhrase]:
    """Plain phrases in >= 3 posts and >= 10% of this quarter's posts but <= 2% of earlier
    posts (see the module docstring)."""
    if not now:
        return []
    strings = [run_strings(text) for text in now]  # read once, used twice
    need = max(MIN_POSTS_NOW, int(np.ceil(MIN_SHARE_NOW * len(now))))
    lowered = [[r.lower().split() for r in t] for t in strings]
    cased = [[r.split() for r in t] for t in strings]
    written = Counter(chain.from_iterable(chain.from_iterable(cased)))  # lower-case uses, and more
    names = NameWords([*now, *before], written)
    df_now = frequent_grams(lowered, need, names.among)
    seen, titled = titled_grams(cased, lowered, set(df_now))  # for those grams only
    candidates = {g for g in df_now if 2 * titled[g] < seen[g]}
    df_before: Counter[str] = Counter()
    for text in before:
        df_before.update(_grams_among(runs(text), candidates))
    n_before = max(len(before), 1)
    found = [
        NewPhrase(g, df_now[g], df_now[g] / len(now), df_before[g] / n_before)
        for g in candidates
        if df_before[g] / n_before <= MAX_SHARE_BEFORE
    ]
    found.sort(key=lambda p: (-(p.share_now - p.share_before), -len(p.phrase), p.phrase))
    return _drop_contained(found)[:TOP_PHRASES]


def top_evidence(db: Database, post_ids: Sequence[str], limit: int = 3) -> Mapping[str, list[str]]:
    """Each post's most frequent evidence phrases, flagged kinds first."""
    out: dict[str, list[str]] = {}
    rank = {kind: i for i, kind in enumerate(EVIDENCE_ORDER)}
    for post_id in post_ids:
        rows = db.execute("select kind, text from evidence where post_id = ?", [post_id]).fetchall()
        counts = Counter(
            (rank[kind], text.strip().lower()) for kind, text in rows if text and kind in rank
        )
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        out[post_id] = [t if c == 1 else f"{t} ×{c}" for (_, t), c in ordered[:limit]]
    return out
