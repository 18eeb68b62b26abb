"""Shortcode, footnote and WordPress clean-up: same output as the old regexes, in linear time.

The old patterns are kept here as the reference: on real corpora and on generated input they
must agree with the linear scanners; on pathological input (where the old ones took minutes)
the scanners must stay close to the time they need for ordinary text of the same length.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.ingest import shortcodes as S
from desktop_app.core.ingest import wxr
from desktop_app.core.ingest.markup import markdown_to_prose, strip_shortcodes
from tests.conftest import DATA, DEMO, elapsed_seconds

#: The repository's own copies of the public corpora (a fresh clone has no ../shared).
CORPORA = [DEMO, DATA]

OLD_URL = re.compile(r"<[^<>\s]*\{\{[<%][^\n]*?[%>]\}\}[^<>\s]*>")
OLD_PAIRED = re.compile(
    r"\{\{[<%]\s*(comment|highlight|code)\b.*?[>%]\}\}.*?\{\{[<%]\s*/\1\s*[>%]\}\}"
    r"|\{%-?\s*(comment|highlight|raw)\b.*?-?%\}.*?\{%-?\s*end\2\s*-?%\}",
    re.DOTALL,
)
OLD_SIMPLE = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
OLD_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:?")
OLD_WP_CODE = re.compile(
    r"\[(code|sourcecode|source|php|html|js|css|bash|python)\b[^\]]*\].*?\[/\1\]", re.DOTALL
)
OLD_WP_SHORTCODE = re.compile(
    r"\[/?(caption|gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|tweet|twitter"
    r"|soundcloud|googlemaps|polldaddy|contact-form|wp_caption)\b[^\]]*\]"
)
OLD_EMBED = re.compile(r"\[embed\b[^\]]*\].*?\[/embed\]", re.DOTALL)


def old_strip(text: str) -> str:
    """The shortcode removal as it was (three backtracking regexes)."""
    text = OLD_URL.sub(S.URL_PLACEHOLDER, text)
    return OLD_SIMPLE.sub("", OLD_PAIRED.sub("\n", text))


def old_wp(text: str) -> str:
    """WordPress shortcode removal as it was."""
    return OLD_WP_SHORTCODE.sub(" ", OLD_WP_CODE.sub(" ", OLD_EMBED.sub(" ", text)))


def new_wp(text: str) -> str:
    """The same steps with the linear scanners (wp_content_to_prose minus the HTML part)."""
    text = wxr._drop_pairs(wxr._drop_pairs(text, wxr._EMBED), wxr._WP_CODE)
    ahead = S.Ahead(text)
    return S.replace_spans(text, wxr._WP_SHORTCODE, lambda m: wxr._tag_end(ahead, m), " ")


PAIRS: list[tuple[str, Callable[[str], str], Callable[[str], str]]] = [
    ("url", lambda t: OLD_URL.sub(S.URL_PLACEHOLDER, t), S.strip_url_shortcodes),
    ("paired", lambda t: OLD_PAIRED.sub("\n", t), S.strip_paired),
    ("simple", lambda t: OLD_SIMPLE.sub("", t), S.strip_simple),
    ("footnote", lambda t: OLD_FOOTNOTE.sub("", t), S.strip_footnote_refs),
    ("all", old_strip, strip_shortcodes),
    ("wordpress", old_wp, new_wp),
]
PIECES = ["{{", "}}", "<", ">", "%", "{%", "%}", "-", " ", "\n", "a", "/", "comment", "highlight",
          "code", "raw", "end", "[^", "]", ":", "{{< comment >}}", "{{< /comment >}}", "{% raw %}",
          "{% endraw %}", "{{% code %}}", "{{%/code%}}", "\t", "{", "}", "[", "^", "b>", "<h",
          "[code]", "[/code]", "[embed x]", "[/embed]", "[caption", "[/caption]", "[source",
          "[sourcecode]", "!", "é"]  # fmt: skip


def _corpus_texts() -> list[tuple[Path, str]]:
    found = []
    for root in CORPORA:
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in (".md", ".markdown", ".html", ".htm", ".txt", ".xml"):
                found.append((path, path.read_text(encoding="utf-8", errors="replace")))
    return found


def test_real_corpora_clean_exactly_as_before() -> None:
    texts = _corpus_texts()
    assert len(texts) > 300
    assert sum("{{<" in t or "{{%" in t for _, t in texts) >= 50  # the corpora use shortcodes
    for path, text in texts:
        for name, old, new in PAIRS:
            assert new(text) == old(text), f"{name} differs on {path}"


@pytest.mark.parametrize("seed", range(4))
def test_generated_markup_cleans_exactly_as_before(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(6000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 24)))
        for name, old, new in PAIRS:
            assert new(text) == old(text), f"{name} differs on {text!r}"


#: Inputs that made the old patterns backtrack (each ~32 KB; the paired one took 225 s).
PATHOLOGICAL = {
    "hugo pair openers": "{{< highlight go >}}" * 1600,
    "liquid pair openers": "{% raw %}" * 3600,
    "unclosed braces": "{{" * 16000,
    "unclosed hugo": "{{<" * 11000,
    "autolink openers": "<{{<" * 8000,
    "autolink bad tails": "<{{<a>}} " * 4000,
    "autolink closer run": "<{{%" + "%}}" * 10000,
    "footnote openers": "[^" * 16000,
    "wordpress code openers": "[code]" * 5400,
    "wordpress shortcode openers": "[caption" * 4000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_takes_linear_time(name: str) -> None:
    text = PATHOLOGICAL[name]
    prose = (DEMO / "otel-blog" / "2023" / "end-user-discussions-02.md").read_text("utf-8")
    ordinary = (prose * (len(text) // len(prose) + 1))[: len(text)]
    cleaners = [strip_shortcodes, S.strip_footnote_refs, new_wp]
    baseline = min(elapsed_seconds(lambda: [c(ordinary) for c in cleaners]) for _ in range(3))
    took = elapsed_seconds(lambda: [c(text) for c in cleaners])
    # quadratic behaviour at 32 KB costs seconds to minutes; linear stays near the baseline
    assert took < 30 * baseline + 0.5, f"{name}: {took:.2f} s vs {baseline * 1000:.1f} ms"


def test_pathological_markdown_still_renders() -> None:
    """The whole Markdown path keeps the prose around hostile shortcodes and stays fast."""
    text = "Real words before. " + "{{< highlight go >}}" * 1600 + " Real words after."
    took = elapsed_seconds(lambda: markdown_to_prose(text))
    assert markdown_to_prose(text) == "Real words before. Real words after."
    assert took < 5
