"""Markup to prose: Markdown (cmark-gfm) and HTML (lxml) reduced to plain sentences."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from desktop_app.core.ingest import cmark
from desktop_app.core.ingest.base import IngestError
from desktop_app.core.ingest.shortcodes import (
    strip_footnote_refs,
    strip_paired,
    strip_simple,
    strip_url_shortcodes,
)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Elements whose whole content is not prose.
DROP_TAGS = _names(
    "script style noscript template nav form pre table img svg iframe object embed video audio "
    "canvas button select textarea input math map head title meta link"
)
#: Elements that start a new block of text.
BLOCK_TAGS = _names(
    "p div section article main header footer aside blockquote ul ol dl dd dt li h1 h2 h3 h4 "
    "h5 h6 figure figcaption address hr br details summary center body html"
)
#: Blocks that are short labels and should end as a sentence.
SENTENCE_TAGS = _names("h1 h2 h3 h4 h5 h6 li dt dd figcaption summary")
#: Page furniture dropped when extracting an article from a full document.
PAGE_FURNITURE = frozenset({"header", "footer", "aside", "nav"})

_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_WS = re.compile(r"[ \t\u00a0\u200b]+")
#: The runs of _WS other than one plain space (which stays as it is): the same result,
#: without replacing every single space between words.
_WS_RUN = re.compile(r"[\t\u00a0\u200b][ \t\u00a0\u200b]*| [ \t\u00a0\u200b]+")
_URL = re.compile(r"(?:https?|ftp)://\S+|\bwww\.\S+\.\S+")
#: The same test for a whole string, linear (`_URL.fullmatch` was quadratic on 'www.' + dots).
_WHOLE_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S(?=\S*\.\S)\S*")
#: A footnote definition ('[^1]: text') with its indented continuation lines (Hugo/Goldmark,
#: Jekyll/kramdown): without care those lines would read as an indented code block.
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:[ \t]*(.*)\n?((?:(?:[ \t]{2,}).*(?:\n|$))*)", re.M)

#: Deepest HTML nesting read (libxml2's own limit with huge_tree: deeper drops the rest).
MAX_HTML_DEPTH = 2048
#: Lone surrogates (from a JSON escape, say) cannot be encoded: libxml2 stopped reading at one,
#: and cmark cannot take them at all.
_SURROGATE = re.compile("[\ud800-\udfff]")


class TooDeeplyNested(IngestError):
    """The markup nests deeper than can be read without losing text."""


def sentence(text: str) -> str:
    """End a label-like text with a period when it has no terminal punctuation."""
    text = text.strip()
    if text and not _TERMINAL.search(text):
        return text + "."
    return text


def strip_shortcodes(text: str) -> str:
    """Remove Hugo/Liquid shortcodes; drop the body of comment/highlight/raw pairs."""
    return strip_simple(strip_paired(strip_url_shortcodes(text)))


def _footnote_paragraph(match: re.Match[str]) -> str:
    lines = [match.group(1), *(line.strip() for line in match.group(2).splitlines())]
    return "\n" + " ".join(line for line in lines if line) + "\n\n"


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def markdown_to_html(text: str) -> str:
    """Render Markdown (after shortcode and footnote-marker removal) to HTML; a footnote's
    text becomes a paragraph of its own."""
    text = _FOOTNOTE_DEF.sub(_footnote_paragraph, strip_shortcodes(without_surrogates(text)))
    return cmark.render(strip_footnote_refs(text))


def markdown_to_prose(text: str) -> str:
    """Markdown source to plain prose."""
    try:
        return html_to_prose(markdown_to_html(text))
    except TooDeeplyNested as error:
        raise TooDeeplyNested(
            f"Markdown nested too deeply (its lists, list items or quotes open more than "
            f"{MAX_HTML_DEPTH} elements): the text after that point cannot be read; flatten "
            "the nesting to import it"
        ) from error


def parse_html(html: str) -> etree._Element | None:
    """Parse HTML leniently (lxml, recovering from malformed markup); None when empty."""
    if not html.strip():
        return None
    try:
        # one parser per call: lxml parsers are not thread-safe, and its error log is read
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  recover=True, huge_tree=True)  # fmt: skip
        root = etree.fromstring(without_surrogates(html), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise TooDeeplyNested(
            f"HTML nested more than {MAX_HTML_DEPTH} elements deep: the rest of the document "
            "cannot be read"
        )
    return root


class _Blocks:
    """Collects inline text into blocks, flushing at block-level elements."""

    def __init__(self, drop: frozenset[str]) -> None:
        self.drop = drop
        self.blocks: list[str] = []
        self.buffer: list[str] = []
        self.label_depth = 0

    def flush(self) -> None:
        """Close the current block; inside a heading or list item it ends as a sentence."""
        text = "".join(self.buffer)
        if "://" in text or "www." in text:  # every _URL match holds one of them
            text = _URL.sub("", text)
        text = _WS_RUN.sub(" ", text.replace("\n", " ")).strip()
        self.buffer.clear()
        if text and any(ch.isalnum() for ch in text):
            self.blocks.append(sentence(text) if self.label_depth else text)

    def walk(self, root: etree._Element) -> None:
        """Visit an element's own text and its children (each followed by its tail).

        With a stack rather than recursion: HTML may nest thousands of elements deep.
        """
        stack: list[tuple[str, Any]] = []
        self._open(root, stack)
        while stack:
            kind, item = stack.pop()
            if kind == "tail":
                if item.tail:
                    self.buffer.append(item.tail)
            elif kind == "close":  # the end of a block element: item is its label count
                self.flush()
                self.label_depth -= item
            else:
                self._element(item, stack)

    def _open(self, element: etree._Element, stack: list[tuple[str, Any]]) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in reversed(element):  # popped first child first
            stack.append(("tail", child))
            if isinstance(child.tag, str):
                stack.append(("element", child))

    def _element(self, element: etree._Element, stack: list[tuple[str, Any]]) -> None:
        name = element.tag.lower()
        if name in self.drop or (name == "a" and _is_bare_url(element)):
            return
        if name in BLOCK_TAGS:
            label = int(name in SENTENCE_TAGS)
            self.flush()
            self.label_depth += label
            stack.append(("close", label))
        self._open(element, stack)


def _is_bare_url(anchor: etree._Element) -> bool:
    return bool(_WHOLE_URL.fullmatch("".join(anchor.itertext()).strip()))


def _article_root(root: etree._Element) -> etree._Element:
    """The article body of a full page: <article>, <main>, role=main, else <body>."""
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        found = root.xpath(path)
        if found:
            return found[0]
    return root


def html_to_prose(html: str, full_page: bool = False) -> str:
    """HTML to prose: drop scripts, code, tables, images; keep link text; labels end in '.'."""
    root = parse_html(html)
    if root is None:
        return ""
    if full_page:
        root = _article_root(root)
    blocks = _Blocks(DROP_TAGS | PAGE_FURNITURE if full_page else DROP_TAGS)
    blocks.walk(root)
    blocks.flush()
    return "\n\n".join(blocks.blocks)


def html_title(html: str) -> str | None:
    """The <title> or first <h1> of an HTML document."""
    root = parse_html(html)
    if root is None:
        return None
    for path in ("//title", "//h1"):
        for element in root.xpath(path):
            text = _WS.sub(" ", "".join(element.itertext())).strip()
            if text:
                return text
    return None


def inline_text(html_or_text: str) -> str:
    """Text of a short HTML fragment such as a title."""
    if "<" not in html_or_text and "&" not in html_or_text:
        return _WS.sub(" ", html_or_text).strip()
    root = parse_html(f"<p>{html_or_text}</p>")
    text = "".join(root.itertext()) if root is not None else html_or_text
    return _WS.sub(" ", text).strip()
