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
from collections.abc import Iterable, Mapping, Sequence

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


_RAW = re.compile(r"\S+")
#: A plain word, optionally followed by punctuation that ends the run it is in.
_PLAIN = re.compile(r"^([(\"“‘']?)([A-Za-z]+(?:['’][A-Za-z]+)?)([)\"”’']?)([.,;:!?]*)$")
_MID_CAPITAL = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+)\b")
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


def cased_runs(text: str) -> list[list[str]]:
    """Runs of plain words as written: numbers, code, markup and punctuation break a run."""
    out: list[list[str]] = [[]]
    for raw in _RAW.findall(text):
        if raw.isascii() and raw.isalpha():  # the common case, what _PLAIN matches bare
            out[-1].append(raw)
            continue
        match = _PLAIN.match(raw)
        if match is None:
            out.append([])
            continue
        if match[1]:  # an opening bracket or quote starts a new run
            out.append([])
        out[-1].append(match[2].replace("’", "'"))
        if match[3] or match[4]:
            out.append([])
    return [r for r in out if r]


def runs(text: str) -> list[list[str]]:
    """`cased_runs`, lower-cased."""
    return [[w.lower() for w in run] for run in cased_runs(text)]


def titled_grams(
    texts: Iterable[str],
    wanted: set[str] | None = None,
    cased: Sequence[list[list[str]]] | None = None,
) -> tuple[Counter[str], Counter[str]]:
    """(occurrences, title-cased occurrences) of every 3-4-gram (only those in `wanted`, when
    given): a gram written with two or more capitalised words is a heading or a name ('End
    User SIG', 'Releases and Updates')."""
    seen: Counter[str] = Counter()
    titled: Counter[str] = Counter()
    firsts = None if wanted is None else {g.split(" ", 1)[0] for g in wanted}
    for text_runs in cased if cased is not None else (cased_runs(t) for t in texts):
        for run in text_runs:
            lower = [w.lower() for w in run]
            for i, first in enumerate(lower):
                if firsts is not None and first not in firsts:  # no wanted gram starts here
                    continue
                for n in NGRAM_SIZES:
                    if i + n > len(run):
                        break
                    gram = " ".join(lower[i : i + n])
                    if wanted is not None and gram not in wanted:
                        continue
                    seen[gram] += 1
                    titled[gram] += sum(w[:1].isupper() for w in run[i : i + n]) >= 2
    return seen, titled


def name_words(texts: Iterable[str]) -> set[str]:
    """Words the texts mostly write capitalised in mid-sentence: names, products, places."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        capital.update(w.lower() for w in _MID_CAPITAL.findall(text))
        seen.update(_LOWER_WORD.findall(text))
    return {w for w, c in capital.items() if c >= seen[w]}


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


def plain_phrase(gram: str, excluded: set[str]) -> bool:
    """Every word an English dictionary word, none a name, month or weekday."""
    english = cmu_syllables()
    return all(
        (len(w) > 1 or w == "a") and w in english and w not in excluded and w not in CALENDAR
        for w in gram.split()
    )


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
    cased = [cased_runs(text) for text in now]  # read once, used twice
    df_now: Counter[str] = Counter()
    for text_runs in cased:
        df_now.update(_grams([[w.lower() for w in run] for run in text_runs]))
    need = max(MIN_POSTS_NOW, int(np.ceil(MIN_SHARE_NOW * len(now))))
    names = name_words([*now, *before])
    frequent = {g for g, c in df_now.items() if c >= need and plain_phrase(g, names)}
    seen, titled = titled_grams(now, frequent, cased)  # counted for those grams only: same figures
    candidates = {g for g in frequent if 2 * titled[g] < seen[g]}
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
