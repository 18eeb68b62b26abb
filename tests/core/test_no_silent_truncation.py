"""Deep or huge markup keeps all its words, or the file is refused with the reason: a post
that silently lost most of its prose is never stored."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.ingest.markup import html_to_prose, markdown_to_prose

#: include_pages: these inputs are about structure, not about telling posts from pages.
OPTIONS = ImportOptions(max_file_bytes=40 * 1024 * 1024, include_pages=True)


def _words(text: str) -> list[str]:
    return re.findall(r"\bw\d+\b", text)


def _read(path: Path, content: str):  # type: ignore[no-untyped-def]
    path.write_text(content, encoding="utf-8")
    return read_file(path, OPTIONS)


def test_a_paragraph_over_ten_million_characters_is_kept(tmp_path: Path) -> None:
    body = " ".join(f"w{i}" for i in range(1_500_000))  # ~12 MB in one text node
    assert len(body) > 10_000_000
    outcome = _read(
        tmp_path / "huge.html", f"<html><body><p>{body}</p><p>w-1 end</p></body></html>"
    )
    assert outcome.ok, outcome.error
    assert _words(outcome.posts[0].text) == _words(body)


def test_markdown_list_nested_fifteen_levels_keeps_every_word(tmp_path: Path) -> None:
    lines = ["# Deep list", ""] + [f"{'  ' * i}- item w{i}" for i in range(15)]
    source = "\n".join([*lines, "", "A closing paragraph w999.", ""])
    outcome = _read(tmp_path / "deep.md", source)
    assert outcome.ok, outcome.error
    assert _words(outcome.posts[0].text) == _words(source)


def test_quotes_nested_eighty_deep_keep_every_word(tmp_path: Path) -> None:
    source = "# Quotes\n\n" + "> " * 80 + "quoted w1 w2\n\nAfter the quote w3.\n"
    outcome = _read(tmp_path / "quotes.md", source)
    assert outcome.ok, outcome.error
    assert _words(outcome.posts[0].text) == ["w1", "w2", "w3"]


def test_quotes_nested_a_thousand_deep_keep_every_word(tmp_path: Path) -> None:
    source = "# Quotes\n\n" + "> " * 1000 + "quoted w1 w2\n\nAfter the quote w3.\n"
    outcome = _read(tmp_path / "quotes.md", source)
    assert outcome.ok, outcome.error
    assert _words(outcome.posts[0].text) == ["w1", "w2", "w3"]


def test_markdown_nested_beyond_the_limit_is_refused_with_the_reason(tmp_path: Path) -> None:
    source = "# Too deep\n\n" + "> " * 2100 + "lost w1\n\nAfter w2.\n"
    outcome = _read(tmp_path / "too-deep.md", source)
    assert not outcome.ok and not outcome.posts
    assert "Markdown nested too deeply (its lists, list items or quotes open more than 2048" in (
        outcome.error
    )


def test_a_lone_surrogate_does_not_cut_the_text_short() -> None:
    # no file decodes to one (decoding is strict), but a pasted draft or a caller's string can
    markdown = "# Odd\n\nBefore w1 \ud800 after w2.\n\nLast w3.\n"
    html = "<html><body><p>Before w1 \udfff after w2.</p><p>Last w3.</p></body></html>"
    for prose in (markdown_to_prose(markdown), html_to_prose(html)):
        assert _words(prose) == ["w1", "w2", "w3"] and "\ufffd" in prose


def test_html_nested_three_hundred_deep_keeps_every_word(tmp_path: Path) -> None:
    html = "<html><body>" + "<div>" * 300 + "deep w1" + "</div>" * 300 + "<p>after w2</p>"
    outcome = _read(tmp_path / "deep.html", html + "</body></html>")
    assert outcome.ok, outcome.error
    assert _words(outcome.posts[0].text) == ["w1", "w2"]


def test_html_nested_beyond_the_parser_limit_is_refused(tmp_path: Path) -> None:
    html = "<html><body><p>kept w0</p>" + "<div>" * 3000 + "w1" + "</div>" * 3000 + "<p>w2</p>"
    outcome = _read(tmp_path / "too-deep.html", html + "</body></html>")
    assert not outcome.ok and not outcome.posts
    assert "HTML nested more than 2048 elements deep" in outcome.error
