"""Fuzzing the importers: arbitrary bytes and Unicode give posts or a clear error, never a crash."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import docx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.core.ingest.base import FileOutcome, ImportOptions
from desktop_app.core.ingest.dispatch import IMPORTABLE, read_file

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: The named nasty inputs, used as explicit examples by every Unicode test.
LONE_SURROGATE = "A lone \ud800 surrogate and \udfff another."
RTL = "\u202eThis sentence is reversed\u202c and \u200fmarked right-to-left\u200e."
ZERO_WIDTH = "zero\u200bwidth\u200cjoiners\u200dand\ufeffno breaks\u2060here."
MEGABYTE_LINE = "A single line paragraph that never ends " * 26_000  # ~1 MB, no newline
PUNCTUATION = "!?.,;:-()[]{}'\"…—" * 200
NUMBERS = " ".join(str(n) for n in range(0, 2000, 7))
NASTY = [LONE_SURROGATE, RTL, ZERO_WIDTH, MEGABYTE_LINE, PUNCTUATION, NUMBERS, "", " \n\t "]
#: Every code point, surrogates included (they reach files through 'surrogatepass').
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=600)
ANY_EXTENSION = st.sampled_from([*sorted(IMPORTABLE), ".MD", ".Html", ".bin", ""])


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _assert_clean(outcome: FileOutcome, path: Path) -> None:
    """Posts with text, or a plain error message (not an unexpected exception)."""
    assert outcome.path == path
    if outcome.error is not None:
        assert isinstance(outcome.error, str) and outcome.error.strip()
        assert "unexpected error" not in outcome.error, outcome.error
        assert outcome.posts == []
        return
    for post in outcome.posts:
        assert post.text.strip() and post.title.strip() and post.id
        assert "\x00" not in post.text


def _write_and_read(tmp_path: Path, name: str, data: bytes) -> FileOutcome:
    path = tmp_path / name
    path.write_bytes(data)
    outcome = read_file(path, ImportOptions())
    _assert_clean(outcome, path)
    return outcome


@FUZZ
@given(data=st.binary(max_size=4096), suffix=ANY_EXTENSION)
@example(data=b"\xef\xbb\xbf", suffix=".md")
@example(data=b"\xff\xfe" + "post".encode("utf-16-le"), suffix=".txt")
@example(data=b"PK\x03\x04" + bytes(200), suffix=".md")
@example(data=b"<?xml version='1.0'?><rss/>", suffix=".txt")
@example(data=b"\xed\xa0\x80", suffix=".csv")
def test_arbitrary_bytes_any_extension(tmp_path: Path, data: bytes, suffix: str) -> None:
    _write_and_read(tmp_path, f"fuzz{suffix}", data)


def _nasty_examples(**extra: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorator adding every NASTY text as an explicit example (title and body)."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for text in NASTY:
            test = example(title=text[:200], body=text, **extra)(test)
        return test

    return decorate


@FUZZ
@given(title=ANY_TEXT, body=ANY_TEXT)
@_nasty_examples()
def test_markdown_and_text(tmp_path: Path, title: str, body: str) -> None:
    front = f"---\ntitle: {title}\ndate: 2021-03-04\ntags: [{title[:20]}]\n---\n"
    _write_and_read(tmp_path, "post.md", _encode(front + body))
    _write_and_read(tmp_path, "post.txt", _encode(f"{title}\n\n{body}"))
    _write_and_read(tmp_path, "raw.md", _encode(body))
    plain = " ".join(w for w in body.split() if w.isascii() and w.isalpha())
    if plain:  # plain words always come through, whatever else the fuzz did
        outcome = _write_and_read(
            tmp_path, "plain.md", _encode(f"---\ntitle: P\ndate: 2021-03-04\n---\n{plain}")
        )
        assert outcome.ok and [p.text for p in outcome.posts] == [plain]


@FUZZ
@given(title=ANY_TEXT, body=ANY_TEXT)
@_nasty_examples()
def test_html(tmp_path: Path, title: str, body: str) -> None:
    page = (
        f'<html><head><title>{escape(title)}</title><meta name="author" content="{escape(title)}">'
        f"</head><body><nav>menu</nav><article><p>{escape(body)}</p><p>{body}</p></article>"
        "</body></html>"
    )
    _write_and_read(tmp_path, "page.html", _encode(page))


def _wxr(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>'
        f"<item><title>{title}</title><dc:creator>{title}</dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>1</wp:post_id>"
        f"<wp:post_date>{title[:19]}</wp:post_date><wp:status>publish</wp:status>"
        f'<wp:post_type>post</wp:post_type><category domain="post_tag">{title}</category>'
        "</item></channel></rss>"
    )


def _rss(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Feed</title>'
        f"<item><title>{title}</title><description>{body}</description>"
        f"<pubDate>{title}</pubDate><category>{title}</category></item></channel></rss>"
    )


def _atom(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Feed</title><entry><title>{title}</title><id>urn:{title}</id>"
        f'<updated>{title}</updated><content type="html">{body}</content></entry></feed>'
    )


@FUZZ
@given(title=ANY_TEXT, body=ANY_TEXT, escaped=st.booleans())
@_nasty_examples(escaped=True)
@_nasty_examples(escaped=False)
def test_wxr_rss_and_atom(tmp_path: Path, title: str, body: str, escaped: bool) -> None:
    if escaped:
        title, body = escape(title), escape(body)
    for name, make in (("export.xml", _wxr), ("feed.rss", _rss), ("feed.atom", _atom)):
        _write_and_read(tmp_path, name, _encode(make(title, body)))


@FUZZ
@given(
    rows=st.lists(st.lists(ANY_TEXT, min_size=1, max_size=4), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
@example(rows=[[text, text[:30], "2020-01-01"] for text in NASTY], delimiter=",")
def test_csv(tmp_path: Path, rows: list[list[str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["title", "text", "date", "author"])
    writer.writerows(rows)
    _write_and_read(tmp_path, "posts.csv", _encode(buffer.getvalue()))
    raw = "\n".join(delimiter.join(row) for row in rows)
    _write_and_read(tmp_path, "raw.csv", _encode(f"text{delimiter}title\n{raw}"))


#: Characters python-docx can store: XML 1.0 chars without surrogates and most controls.
XML_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"),
    max_size=400,
)


def _docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.core_properties.author = title[:200]
    document.core_properties.keywords = title[:200]
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@settings(FUZZ, max_examples=25)
@given(title=XML_TEXT, paragraphs=st.lists(XML_TEXT, max_size=4))
@example(title=RTL, paragraphs=[RTL, ZERO_WIDTH, PUNCTUATION, NUMBERS, MEGABYTE_LINE])
def test_docx_text(tmp_path: Path, title: str, paragraphs: list[str]) -> None:
    outcome = _write_and_read(tmp_path, "doc.docx", _docx_bytes(title, paragraphs))
    words = " ".join(" ".join(paragraphs).split())
    if words:
        assert outcome.ok and outcome.posts[0].text.replace("\n\n", " ") == words


_TEMPLATE_DOCX = _docx_bytes("Template", ["A paragraph of ordinary text."] * 3)


def _mutate(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out[: rng.randrange(len(out) // 2, len(out) + 1)] if seed % 3 == 0 else out)


@settings(FUZZ, max_examples=40)
@given(seed=st.integers(0, 2**32), flips=st.integers(1, 40))
def test_corrupted_docx(tmp_path: Path, seed: int, flips: int) -> None:
    _write_and_read(tmp_path, "broken.docx", _mutate(_TEMPLATE_DOCX, seed, flips))


@settings(FUZZ, max_examples=25)
@given(
    part=st.sampled_from(["word/document.xml", "[Content_Types].xml", "docProps/core.xml"]),
    content=st.binary(max_size=300),
)
@example(part="word/document.xml", content=b"<w:document/>")
@example(part="docProps/core.xml", content=b"<?xml version='1.0'?><cp:coreProperties/>")
def test_docx_with_a_replaced_part(tmp_path: Path, part: str, content: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_TEMPLATE_DOCX)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            out.writestr(info, content if info.filename == part else src.read(info.filename))
    _write_and_read(tmp_path, "part.docx", buffer.getvalue())
