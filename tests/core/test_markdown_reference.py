"""Markdown prose from cmark-gfm equals the prose markdown-it-py (a second CommonMark
implementation, the one the app used before) gives: on every real post shipped with the demo
and on the constructs blogs use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from desktop_app.core.ingest import markup
from desktop_app.core.ingest.frontmatter import split_front_matter

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
REFERENCE = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable(
    ["table", "strikethrough"]
)


def _reference_prose(body: str) -> str:
    """The old route: the same pre-processing, markdown-it-py's HTML, the same HTML reader."""
    text = markup._FOOTNOTE_DEF.sub(markup._footnote_paragraph, markup.strip_shortcodes(body))
    return markup.html_to_prose(REFERENCE.render(markup.strip_footnote_refs(text)))


def _demo_bodies() -> list[tuple[str, str]]:
    files = sorted(DEMO.rglob("*.md"))
    bodies = []
    for path in files:
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        bodies.append((str(path.relative_to(DEMO)), body))
    return bodies


def test_every_demo_post_reads_to_the_same_prose_as_the_reference() -> None:
    bodies = _demo_bodies()
    assert len(bodies) > 300  # the two real blogs, not a handful
    differing = [name for name, body in bodies if markup.markdown_to_prose(body) != (
        _reference_prose(body))]  # fmt: skip
    assert not differing, differing[:5]
    words = sum(len(markup.markdown_to_prose(body).split()) for _, body in bodies)
    assert words > 200_000  # the prose is there, not two empty strings compared


CONSTRUCTS = [
    "# Title\n\nA *b* **c** `d` [link](http://x.org) and <span>raw</span> html.",
    "- one\n- two\n  - nested\n\n1. first\n2. second\n\n> quoted\n> more",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter the table.",
    "Struck ~~out~~ words and a lone ~tilde~ stay.",
    "Setext heading\n===\n\nText<br>after a break.\n\n---\n\nHard  \nbreak.",
    "```python\ncode = 1\n```\n\n    indented code\n\nEnd.",
    "Footnote ref[^1] here.\n\n[^1]: The note text\n  continues here.\n",
    "{{< tweet 123 >}}\n\nAfter a shortcode {% raw %}dropped{% endraw %} text.",
    "&copy; &amp; &#169; entities, and an autolink <https://example.com/x>.",
    "![an image](i.png) then [ref link][r].\n\n[r]: http://example.com",
    "<div>\n\n*Markdown inside HTML*\n\n</div>\n\n<!-- a comment -->Tail.",
]


@pytest.mark.parametrize("source", CONSTRUCTS)
def test_blog_constructs_read_the_same(source: str) -> None:
    assert markup.markdown_to_prose(source) == _reference_prose(source)


def _resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc (Linux)")
def test_rendering_frees_the_document_and_the_html() -> None:
    text = "\n\n".join(body for _, body in _demo_bodies()[:40])  # ~0.3 MB of real Markdown
    markup.markdown_to_html(text)
    before = _resident_mb()
    for _ in range(200):  # cmarkgfm's own wrappers kept ~1 MB a call of this: 200+ MB
        markup.markdown_to_html(text)
    assert _resident_mb() - before < 40
