"""Big CSV and WXR files built from the real demo posts (repeated, re-dated, numbered)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from desktop_app.core.ingest.frontmatter import split_front_matter
from desktop_app.core.ingest.markup import markdown_to_html

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
START = date(2012, 1, 1)


@dataclass(frozen=True)
class RawPost:
    """One demo post as a source file holds it: title, author, Markdown body."""

    title: str
    author: str
    body: str


def _first_paragraphs(body: str, count: int) -> str:
    return "\n\n".join([p for p in body.split("\n\n") if p.strip()][:count]) + "\n"


def demo_posts(limit: int | None = None, paragraphs: int | None = None) -> list[RawPost]:
    """The demo posts' raw Markdown bodies with their titles and first author, sorted by path
    (only their first `paragraphs` paragraphs when given: small, fast test files)."""
    found: list[RawPost] = []
    for path in sorted(DEMO.rglob("*.md")):
        if path.name == "README.md":
            continue
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        if len(body.split()) < 80:
            continue
        author = meta.get("author") or meta.get("authors") or "Unknown"
        if isinstance(author, list):
            author = str(author[0]) if author else "Unknown"
        if paragraphs:
            body = _first_paragraphs(body, paragraphs)
        found.append(RawPost(str(meta.get("title") or path.stem), str(author), body))
    return found[:limit] if limit else found


def _numbered(post: RawPost, number: int) -> str:
    """The body with a number sentence added, so each repeated row is a distinct post."""
    return f"{post.body}\n\nThis is archive entry number {number}.\n"


def write_csv(path: Path, rows: int, posts: list[RawPost] | None = None) -> Path:
    """A CSV of `rows` posts (title, date, author, url, tags, text), one day apart."""
    posts = posts or demo_posts()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "author", "url", "tags", "text"])
        for n in range(rows):
            post = posts[n % len(posts)]
            day = START + timedelta(days=n % 5000)
            writer.writerow([f"{post.title} ({n})", day.isoformat(), post.author,
                             f"https://blog.example.com/p/{n}", "demo;archive",
                             _numbered(post, n)])  # fmt: skip
    return path


_WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Archive</title>
<wp:author><wp:author_login>demo</wp:author_login>
<wp:author_display_name>Demo Writer</wp:author_display_name></wp:author>
"""


@functools.cache
def _html(body: str) -> str:
    return markdown_to_html(body).replace("]]>", "]]]]><![CDATA[>")


def wxr_item(post: RawPost, number: int) -> str:
    """One published WXR item holding the post as HTML (its Markdown rendered once)."""
    day = START + timedelta(days=number % 5000)
    html = f"{_html(post.body)}<p>This is archive entry number {number}.</p>\n"
    return (
        f"<item><title>{escape(post.title)} ({number})</title>"
        f"<link>https://blog.example.com/p/{number}</link>"
        f'<dc:creator>demo</dc:creator><category domain="post_tag">archive</category>'
        f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_date>{day.isoformat()} 10:00:00</wp:post_date>"
        f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n"
    )


def write_wxr(path: Path, items: int, posts: list[RawPost] | None = None) -> Path:
    """A WordPress export of `items` published posts."""
    posts = posts or demo_posts()
    with path.open("w", encoding="utf-8") as handle:
        handle.write(_WXR_HEAD)
        for n in range(items):
            handle.write(wxr_item(posts[n % len(posts)], n))
        handle.write("</channel></rss>\n")
    return path
