"""Fuzzing structure: deep nesting keeps every word or is refused with the reason; long
repeated markup is cleaned in bounded time."""

from __future__ import annotations

import re
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: Markup units that made backtracking patterns or recursive walkers blow up when repeated.
UNITS = ["{{<", "{{% highlight %}}", "{%", "{% raw %}", "[^", "<{{<", "[code]", "[caption",
         "{{", "<b>", "*_", "[", "![", "`", "> ", "- ", "&amp;", "<div>", "\\",
         "<a href=x>"]  # fmt: skip


def _words(text: str) -> list[str]:
    return re.findall(r"\bw\d+\b", text)


def _read(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_file(path, ImportOptions(include_pages=True))  # structure, not post-or-page


@FUZZ
@given(depth=st.integers(1, 160), kind=st.sampled_from(["- ", "> ", "1. "]))
def test_deep_markdown_keeps_every_word_or_says_why(tmp_path: Path, depth: int, kind: str) -> None:
    lines = ["# Nested", ""]
    for level in range(depth):
        indent = "" if kind == "> " else "   " * level
        prefix = kind * (level + 1) if kind == "> " else kind
        lines += [f"{indent}{prefix}item w{level}", ""]
    source = "\n".join([*lines, "Closing words w9999.", ""])
    outcome = _read(tmp_path, "nested.md", source)
    if outcome.error:
        assert "nested too deeply" in outcome.error and not outcome.posts
    else:
        assert _words(outcome.posts[0].text) == _words(source)


@FUZZ
@given(depth=st.integers(1, 3000), tag=st.sampled_from(["div", "span", "b", "blockquote", "li"]))
def test_deep_html_keeps_every_word_or_says_why(tmp_path: Path, depth: int, tag: str) -> None:
    html = f"<html><body><p>w0 first</p>{f'<{tag}>' * depth}w1 deep{f'</{tag}>' * depth}"
    outcome = _read(tmp_path, "deep.html", html + "<p>w2 after</p></body></html>")
    if outcome.error:
        assert "HTML nested more than" in outcome.error and depth > 2000
    else:
        assert _words(outcome.posts[0].text) == ["w0", "w1", "w2"]


@FUZZ
@given(
    unit=st.sampled_from(UNITS), count=st.integers(500, 6000), ext=st.sampled_from([".md", ".html"])
)
def test_long_repeated_markup_is_cleaned_in_bounded_time(
    tmp_path: Path, unit: str, count: int, ext: str
) -> None:
    text = "# Title\n\nWords before w1.\n\n" + unit * count + "\n\nWords after w2.\n"
    start = time.perf_counter()
    outcome = _read(tmp_path, f"repeated{ext}", text)
    took = time.perf_counter() - start
    assert took < 20, f"{unit!r} x {count}: {took:.1f} s"  # quadratic here took minutes
    assert outcome.error is None or "unexpected error" not in outcome.error
