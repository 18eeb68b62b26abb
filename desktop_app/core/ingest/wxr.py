"""WordPress WXR export importer: published posts with categories, tags, author and date."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import html_to_prose, inline_text
from desktop_app.core.ingest.meta import parse_date
from desktop_app.core.ingest.shortcodes import Ahead, replace_spans
from desktop_app.core.ingest.textio import read_bytes
from desktop_app.core.ingest.xmlsafe import child_text, children, parse_xml

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


def _authors_by_login(channel: Element) -> dict[str, str]:
    names = {}
    for author in children(channel, "author", WP):
        login = child_text(author, "author_login", WP)
        display = child_text(author, "author_display_name", WP)
        if login and display:
            names[login.strip().lower()] = display
    return names


def _wanted(item: Element, options: ImportOptions) -> bool:
    kind = child_text(item, "post_type", WP) or "post"
    status = child_text(item, "status", WP) or "publish"
    if kind not in ("post", "page") or (kind == "page" and not options.include_pages):
        return False
    if status == "publish":
        return True
    if status == "private":
        return options.include_private
    return options.include_drafts and status in ("draft", "pending", "future")


def _terms(item: Element) -> list[str]:
    terms: dict[str, None] = {}  # ordered and linear with 100,000s of categories
    for category in children(item, "category"):
        name = inline_text(category.text or "")
        if name and category.get("domain") in ("category", "post_tag", None):
            terms.setdefault(name)
    return list(terms)


def _author(item: Element, logins: dict[str, str]) -> list[str]:
    login = child_text(item, "creator")
    key = _LOGIN_EDGES.sub("", login).lower()
    name = logins.get(login.lower()) or logins.get(key) or login.strip(" <>")
    return [name] if name else []


def _item_post(
    item: Element,
    path: Path,
    logins: dict[str, str],
    options: ImportOptions,
    outcome: FileOutcome,
    seen: set[str],
) -> None:
    title = inline_text(child_text(item, "title"))
    text = wp_content_to_prose(child_text(item, "encoded", "/content/"))
    label = f"'{title or child_text(item, 'post_id', WP)}'"
    if not text:
        outcome.warnings.append(f"post {label} has no text: skipped")
        return
    key = child_text(item, "guid") or child_text(item, "link")
    if not key or key in seen:
        key = f"post-{child_text(item, 'post_id', WP)}"
    seen.add(key)
    tags = _terms(item)
    published = parse_date(child_text(item, "post_date", WP)) or parse_date(
        child_text(item, "pubDate")
    )
    draft = Draft(
        text=text,
        source=source_of(path, key),
        path=path,
        title=title or None,
        published=published,
        authors=_author(item, logins),
        url=real_url(child_text(item, "link")),
        tags=tags,
        ai_assisted=ai_from({}, tags, options),
        status=child_text(item, "status", WP) or "publish",
        date_range=options.date_range,
    )
    outcome.posts.append(finish(draft, outcome.warnings, label))


def read_wxr(path: Path, options: ImportOptions) -> FileOutcome:
    """Posts of a WordPress export (pages, drafts and private posts only when asked)."""
    root = parse_xml(read_bytes(path, options.max_file_bytes))
    channel = root.find("channel")
    if channel is None:
        raise IngestError("not a WordPress export (no <channel>)")
    logins = _authors_by_login(channel)
    outcome = FileOutcome(path)
    seen: set[str] = set()
    for item in children(channel, "item"):
        if _wanted(item, options):
            _item_post(item, path, logins, options, outcome, seen)
    return outcome
