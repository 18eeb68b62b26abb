"""ATX-title and by-line parsing: same output as the old regexes, in linear time.

The old patterns are kept here as the reference: on real corpora and on generated input the
linear versions must agree with them; on pathological input (a title line followed by 4,000
spaces took 75 s, 20 KB of spaces in an author field 36 s) they must stay close to the time
ordinary text of the same length needs.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.aistyle import features as FT
from desktop_app.core.history import search as S
from desktop_app.core.ingest import authors as A
from desktop_app.core.ingest import build as B
from desktop_app.core.ingest import frontmatter as F
from desktop_app.core.ingest import markup as M
from desktop_app.core.ingest import pages as P
from desktop_app.core.ingest import wxr as W
from desktop_app.core.ingest.markdown import atx_title
from desktop_app.core.metrics import lexicon_guard as LG
from tests.conftest import DATA, DEMO, elapsed_seconds

OLD_ATX = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*\n")
OLD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
OLD_PAREN = re.compile(r"\s*\([^()]*\)")
OLD_NICKNAME = re.compile(r"\s+[\"“][^\"”]+[\"”]")
OLD_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\n)\s*")


def old_atx(text: str) -> tuple[str, int] | None:
    match = OLD_ATX.match(text)
    return (match.group(1), match.end()) if match else None


def old_authors(text: str) -> tuple[object, ...]:
    linked = OLD_LINK.sub(lambda m: f"{A._MARK}{m.group(1)}{A._MARK}", text)
    return linked, OLD_PAREN.sub("", text), OLD_NICKNAME.sub("", text), OLD_SPLIT.split(text)


def new_authors(text: str) -> tuple[object, ...]:
    return (
        A._mark_links(text),
        A._PAREN.sub("", text),
        A._drop_nicknames(text),
        A._SPLIT.split(text),
    )


def _corpus_texts() -> list[tuple[Path, str]]:
    found = []
    for root in (DEMO, DATA):  # the repository's own copies (a fresh clone has no ../shared)
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in (".md", ".markdown", ".txt", ".html", ".xml", ".csv"):
                found.append((path, path.read_text(encoding="utf-8", errors="replace")))
    return found


def _body(text: str) -> str:
    try:
        return F.split_front_matter(text)[1]
    except Exception:  # invalid front matter: the raw text is as good a sample
        return text


def test_real_corpora_parse_exactly_as_before() -> None:
    texts = _corpus_texts()
    assert len(texts) > 300
    titled = 0
    for path, text in texts:
        # the whole file, its body, and the text from each Markdown heading on
        headings = [m.start() + 1 for m in re.finditer(r"\n#", text)]
        for sample in [text, _body(text)] + [text[at : at + 3000] for at in headings]:
            assert atx_title(sample) == old_atx(sample), f"title differs on {path}"
            titled += old_atx(sample) is not None
        for line in text.splitlines():  # every by-line is one of these lines
            assert new_authors(line) == old_authors(line), f"by-line differs on {path}: {line!r}"
    assert titled > 150  # the corpora do have '# Title' lines (183 samples in the repo's copies)


ATX_ALPHABET = [" ", "\n", "#", "a", "\t", "\xa0"]
AUTHOR_ALPHABET = [" ", "\n", "[", "]", "(", ")", "a", '"', "“", "”", ",", "&", "and", ";"]


def test_every_short_input_agrees() -> None:
    for length in range(7):
        for chars in itertools.product(ATX_ALPHABET, repeat=length):
            text = "".join(chars)
            assert atx_title(text) == old_atx(text), repr(text)
    for length in range(5):
        for chars in itertools.product(AUTHOR_ALPHABET, repeat=length):
            text = "".join(chars)
            assert new_authors(text) == old_authors(text), repr(text)


@pytest.mark.parametrize("seed", range(3))
def test_generated_input_agrees(seed: int) -> None:
    rng = random.Random(seed)
    atx_pieces = [*ATX_ALPHABET, "# ", "##", " #\n", "Title", "\n\n", "\r", "\u2028"]
    author_pieces = [*AUTHOR_ALPHABET, "Ann Lee", "[Bo](x)", " (Acme)", ' "Bo" ', "](", "\t"]
    for _ in range(20000):
        text = "".join(rng.choice(atx_pieces) for _ in range(rng.randint(0, 14)))
        assert atx_title(text) == old_atx(text), repr(text)
        text = "".join(rng.choice(author_pieces) for _ in range(rng.randint(0, 16)))
        assert new_authors(text) == old_authors(text), repr(text)


def test_worked_examples() -> None:
    assert atx_title("# Hello world ##\n\nBody") == ("Hello world", 18)
    assert atx_title("#Hello\n") is None  # '#' must be followed by a space
    assert A.parse_authors('[Ann Lee](https://x) (Acme), Bo "Bobby" Chan and Cy Dee') == [
        "Ann Lee",
        "Bo Chan",
        "Cy Dee",
    ]


#: Inputs that made the old patterns backtrack (the first took 75 s, the second 36 s).
PATHOLOGICAL: dict[str, tuple[str, Callable[[str], object]]] = {
    "title then spaces": ("# a" + " " * 4000, atx_title),
    "title then spaces and a break": ("# a" + " " * 40000 + "x\n", atx_title),
    "title spaces and hashes": ("# a" + " #" * 20000 + "x\n", atx_title),
    "heading mark then spaces": ("#" + " " * 40000, atx_title),
    "spaces in a by-line": (" " * 20000 + "x", A.parse_authors),
    "tabs and spaces in a by-line": ("Ann" + " \t" * 20000 + "x", A.parse_authors),
    "link openers": ("[" * 20000, A.parse_authors),
    "link openers and one closer": ("[" * 20000 + "]", A.parse_authors),
    "links without a closing bracket": ("[a](" * 8000, A.parse_authors),
    "nickname openers": (" “a" * 8000, A.parse_authors),
    "parenthesis openers": (" (" * 10000, A.parse_authors),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_takes_linear_time(name: str) -> None:
    text, parse = PATHOLOGICAL[name]
    prose = '# Title\n\nAnn Lee (Acme), Bo Chan and [Cy Dee](https://x.org); Di "D" Eve. '
    ordinary = (prose * (len(text) // len(prose) + 1))[: len(text)]
    baseline = min(elapsed_seconds(lambda: parse(ordinary)) for _ in range(3))
    took = elapsed_seconds(lambda: parse(text))
    # quadratic behaviour at 20-40 KB costs seconds; linear stays near the baseline
    assert took < 30 * baseline + 0.5, f"{name}: {took:.2f} s vs {baseline * 1000:.1f} ms"


# The audit of every other regex that runs on user text found three more quadratic ones; the
# old forms are the reference for the new ones (same verdict on every input).
OLD_REAL_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
OLD_WHOLE_URL = re.compile(r"(?:https?|ftp)://\S+|\bwww\.\S+\.\S+")
OLD_LOGIN_EDGES = re.compile(r"^\W+|\W+$")
AUDITED: list[tuple[str, Callable[[str], object], Callable[[str], object]]] = [
    ("real url", lambda t: bool(OLD_REAL_URL.match(t)), lambda t: bool(B._REAL_URL.match(t))),
    (
        "bare link",
        lambda t: bool(OLD_WHOLE_URL.fullmatch(t)),
        lambda t: bool(M._WHOLE_URL.fullmatch(t)),
    ),
    ("login", lambda t: OLD_LOGIN_EDGES.sub("", t), lambda t: W._LOGIN_EDGES.sub("", t)),
]


def test_audited_patterns_agree_on_every_short_input() -> None:
    alphabet = [".", "/", " ", "a", "\n", "w", "_", "-", "é"]
    for length in range(6):
        for chars in itertools.product(alphabet, repeat=length):
            for prefix in ("", "http://", "HTTPS://", "ftp://", "www.", "x"):
                text = prefix + "".join(chars)
                for name, old, new in AUDITED:
                    assert new(text) == old(text), f"{name} differs on {text!r}"


def test_audited_patterns_agree_on_real_lines() -> None:
    for path, text in _corpus_texts():
        for line in text.splitlines():
            for word in [line, *line.split()]:
                for name, old, new in AUDITED:
                    assert new(word) == old(word), f"{name} differs on {path}: {word!r}"


#: Each regex that runs on user text in core, with the input that is worst for its shape.
AUDIT_INPUTS: dict[str, tuple[str, Callable[[str], object]]] = {
    "real url dots": ("http://" + "a." * 20000 + " ", B._REAL_URL.match),
    "bare link dots": ("www." + "." * 20000 + " x", M._WHOLE_URL.fullmatch),
    "login spaces": ("a" + " " * 20000 + "a", lambda t: W._LOGIN_EDGES.sub("", t)),
    "url in text": (("www.aaa " * 5000), lambda t: M._URL.sub("", t)),
    "terminal closers": (".)" * 20000 + "x", M._TERMINAL.search),
    "footnotes": ("[^1]: a\n" + "  " * 20000 + "x", lambda t: M._FOOTNOTE_DEF.sub("", t)),
    "not-prose line": (" " * 40000 + "x", P._NOT_PROSE_LINE.match),
    "link line": ("[" + "a" * 40000 + "](" + "b" * 40000, P._NOT_PROSE_LINE.match),
    "paragraph gaps": ("\n" + " " * 40000 + "x", lambda t: re.split(r"\n\s*\n", t)),
    "front matter": ("---\n" + "--- " * 20000 + "x\n", F._YAML.match),
    "sentence ends": ("." + ")" * 40000 + "x" + "\n" + " " * 40000 + "x", FT.SENT_END_RE.split),
    "search tokens": ('"' * 40000, lambda t: S._TOKEN.findall(t)),
    "camel case": ("aA" * 20000, LG._CAMEL.findall),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(AUDIT_INPUTS))
def test_audited_patterns_take_linear_time(name: str) -> None:
    text, run = AUDIT_INPUTS[name]
    ordinary = ("Plain words, and a sentence. Another one here! " * 2000)[: len(text)]
    baseline = min(elapsed_seconds(lambda: run(ordinary)) for _ in range(3))
    took = elapsed_seconds(lambda: run(text))
    assert took < 30 * baseline + 1.0, f"{name}: {took:.2f} s vs {baseline * 1000:.1f} ms"
