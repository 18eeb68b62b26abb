"""WordPress WXR export importer: published posts with categories, tags, author and date."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import html_to_prose, inline_text
from desktop_app.core.ingest.meta import parse_date
from desktop_app.core.ingest.shortcodes import Ahead, replace_spans
from desktop_app.core.ingest.textio import read_bytes
from desktop_app.core.ingest.xmlsafe import child_text, children, parse_xml
from desktop_app.core.records import Post

WP = "wordpress.org/export/"
_CODE_NAMES = ("code", "sourcecode", "source", "php", "html", "js", "css", "bash", "python")
#: Openers of [code]...[/code]-style pairs, of [embed]...[/embed], and of media shortcodes;
#: each runs to the first ']' and (pairs) the first closer after it, found in linear time.
_WP_CODE = re.compile(rf"\[({'|'.join(_CODE_NAMES)})\b")
_WP_SHORTCODE = re.compile(
    r"\[/?(caption|gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|tweet|twitter"
    r"|soundcloud|googlemaps|polldaddy|contact-form|wp_caption)\b"
)
_EMBED = re.compile(r"\[(embed)\b")
_CLOSERS = {name: re.compile(rf"\[/{name}\]") for name in (*_CODE_NAMES, "embed")}
_BRACKET_END = re.compile(r"\]")
# the lookbehind starts the trailing run only once, not at each of its characters (quadratic)
_LOGIN_EDGES = re.compile(r"^\W+|(?<!\W)\W+$")


def is_wxr(head: bytes) -> bool:
    """True when the start of an XML file declares the WordPress export namespace."""
    return WP.encode() in head


def wp_content_to_prose(content: str) -> str:
    """WordPress post HTML (blocks, shortcodes, blank-line paragraphs) to prose."""
    content = _drop_pairs(_drop_pairs(content, _EMBED), _WP_CODE)
    ahead = Ahead(content)
    content = replace_spans(content, _WP_SHORTCODE, lambda m: _tag_end(ahead, m), " ")
    content = re.sub(r"\n\s*\n", "\n<br><br>\n", content)
    return html_to_prose(content)


def _tag_end(ahead: Ahead, opener: re.Match[str]) -> int | None:
    r"""End of a shortcode tag: just after the first ']' (regex ``[^\]]*\]``)."""
    found = ahead.search(_BRACKET_END, opener.end())
    return found.end() if found else None


def _drop_pairs(content: str, opener: re.Pattern[str]) -> str:
    r"""Each [name ...]...[/name] becomes a space (regex ``\[name\b[^\]]*\].*?\[/name\]``)."""
    ahead = Ahead(content)

    def end_at(found: re.Match[str]) -> int | None:
        tag_end = _tag_end(ahead, found)
        closer = ahead.search(_CLOSERS[found.group(1)], tag_end) if tag_end else None
        return closer.end() if closer else None

    return replace_spans(content, opener, end_at, " ")


def author_login(author: Element) -> tuple[str, str] | None:
    """(lower-cased login, display name) of a <wp:author>, or None."""
    login = child_text(author, "author_login", WP)
    display = child_text(author, "author_display_name", WP)
    return (login.strip().lower(), display) if login and display else None


def _authors_by_login(channel: Element) -> dict[str, str]:
    pairs = (author_login(author) for author in children(channel, "author", WP))
    return dict(pair for pair in pairs if pair)


def wanted(item: Element, options: ImportOptions) -> bool:
    kind = child_text(item, "post_type", WP) or "post"
    status = child_text(item, "status", WP) or "publish"
    if kind not in ("post", "page") or (kind == "page" and not options.include_pages):
        return False
    if status == "publish":
        return True
    if status == "private":
        return options.include_private
    return options.include_drafts and status in ("draft", "pending", "future")


def _terms(pairs: list[list[str | None]]) -> list[str]:
    terms: dict[str, None] = {}  # ordered and linear with 100,000s of categories
    for text, domain in pairs:
        name = inline_text(text or "")
        if name and domain in ("category", "post_tag", None):
            terms.setdefault(name)
    return list(terms)


def _author(login: str, logins: dict[str, str]) -> list[str]:
    key = _LOGIN_EDGES.sub("", login).lower()
    name = logins.get(login.lower()) or logins.get(key) or login.strip(" <>")
    return [name] if name else []


def item_fields(item: Element, logins: dict[str, str]) -> dict[str, Any]:
    """The raw fields of an item that its post is made of (author resolved by login)."""
    return {
        "title": child_text(item, "title"),
        "content": child_text(item, "encoded", "/content/"),
        "post_id": child_text(item, "post_id", WP),
        "terms": [[c.text, c.get("domain")] for c in children(item, "category")],
        "post_date": child_text(item, "post_date", WP),
        "pub_date": child_text(item, "pubDate"),
        "authors": _author(child_text(item, "creator"), logins),
        "link": child_text(item, "link"),
        "status": child_text(item, "status", WP) or "publish",
    }


def item_key(item: Element, seen: set[str]) -> str:
    """The item's fragment of Post.source: its guid or link, else (or when taken) its id."""
    key = child_text(item, "guid") or child_text(item, "link")
    if not key or key in seen:
        key = f"post-{child_text(item, 'post_id', WP)}"
    seen.add(key)
    return key


def item_label(item: Element) -> str:
    """How warnings name an item: its title, else its post id, quoted."""
    return f"post '{inline_text(child_text(item, 'title')) or child_text(item, 'post_id', WP)}'"


def wxr_item_post(
    fields: dict[str, Any],
    label: str,
    key: str,
    path: Path,
    options: ImportOptions,
    warnings: list[str],
) -> Post | None:
    """The post of one item's raw fields (None, with a warning, when it has no text)."""
    title = inline_text(fields["title"])
    text = wp_content_to_prose(fields["content"])
    if not text:
        warnings.append(f"{label} has no text: skipped")
        return None
    tags = _terms(fields["terms"])
    published = parse_date(fields["post_date"]) or parse_date(fields["pub_date"])
    draft = Draft(
        text=text,
        source=source_of(path, key),
        path=path,
        title=title or None,
        published=published,
        authors=fields["authors"],
        url=real_url(fields["link"]),
        tags=tags,
        ai_assisted=ai_from({}, tags, options),
        status=fields["status"],
        date_range=options.date_range,
    )
    return finish(draft, warnings, label.removeprefix("post "))


def read_wxr(path: Path, options: ImportOptions) -> FileOutcome:
    """Posts of a WordPress export read whole (pages, drafts and private posts only when asked)."""
    root = parse_xml(read_bytes(path, options.max_file_bytes))
    channel = root.find("channel")
    if channel is None:
        raise IngestError("not a WordPress export (no <channel>)")
    logins = _authors_by_login(channel)
    outcome = FileOutcome(path)
    seen: set[str] = set()
    for item in children(channel, "item"):
        if wanted(item, options):
            fields = item_fields(item, logins)
            key = item_key(item, seen)
            post = wxr_item_post(fields, item_label(item), key, path, options, outcome.warnings)
            if post is not None:
                outcome.posts.append(post)
    return outcome
