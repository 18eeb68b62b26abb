"""WordPress WXR export importer: published posts with categories, tags, author and date."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import html_to_prose, inline_text
from desktop_app.core.ingest.meta import parse_date
from desktop_app.core.ingest.textio import read_bytes
from desktop_app.core.ingest.xmlsafe import child_text, children, parse_xml

WP = "wordpress.org/export/"
_WP_CODE = re.compile(
    r"\[(code|sourcecode|source|php|html|js|css|bash|python)\b[^\]]*\].*?\[/\1\]", re.DOTALL
)
_WP_SHORTCODE = re.compile(
    r"\[/?(caption|gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|tweet|twitter"
    r"|soundcloud|googlemaps|polldaddy|contact-form|wp_caption)\b[^\]]*\]"
)
_EMBED = re.compile(r"\[embed\b[^\]]*\].*?\[/embed\]", re.DOTALL)


def is_wxr(head: bytes) -> bool:
    """True when the start of an XML file declares the WordPress export namespace."""
    return WP.encode() in head


def wp_content_to_prose(content: str) -> str:
    """WordPress post HTML (blocks, shortcodes, blank-line paragraphs) to prose."""
    content = _WP_CODE.sub(" ", _EMBED.sub(" ", content))
    content = _WP_SHORTCODE.sub(" ", content)
    content = re.sub(r"\n\s*\n", "\n<br><br>\n", content)
    return html_to_prose(content)


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
    terms = []
    for category in children(item, "category"):
        name = inline_text(category.text or "")
        if name and category.get("domain") in ("category", "post_tag", None) and name not in terms:
            terms.append(name)
    return terms


def _author(item: Element, logins: dict[str, str]) -> list[str]:
    login = child_text(item, "creator")
    key = re.sub(r"^\W+|\W+$", "", login).lower()
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
