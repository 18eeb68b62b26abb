"""HTML importer: the article body of a saved page or fragment, without navigation or scripts."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, real_url, source_of
from desktop_app.core.ingest.markup import html_title, html_to_prose
from desktop_app.core.ingest.meta import as_list, date_from_filename, parse_date
from desktop_app.core.ingest.pages import refuse_page, too_little_prose
from desktop_app.core.ingest.textio import read_text

_DATE_META = ("article:published_time", "datePublished", "date", "dc.date", "pubdate")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: name})
            if isinstance(tag, Tag) and tag.get("content"):
                return str(tag["content"])
    return None


def _time_element(soup: BeautifulSoup) -> str | None:
    tag = soup.find("time", attrs={"datetime": True})
    return str(tag["datetime"]) if isinstance(tag, Tag) else None


def read_html(path: Path, options: ImportOptions) -> FileOutcome:
    """One post from an HTML file."""
    html = read_text(path, options.max_file_bytes)
    if not html.strip():
        raise IngestError("empty file")
    prose = html_to_prose(html, full_page=True)
    if not prose.strip():
        raise IngestError("no text found in the HTML")
    soup = BeautifulSoup(html, "lxml")
    tags = as_list(_meta(soup, "keywords", "article:tag"))
    meta = {"ai_generated": _meta(soup, "ai-generated", "ai_assisted")}
    draft = Draft(
        text=prose,
        source=source_of(path),
        path=path,
        title=_meta(soup, "og:title") or html_title(html),
        published=parse_date(_meta(soup, *_DATE_META) or _time_element(soup)),
        authors=parse_authors(_meta(soup, "author", "article:author")),
        url=real_url(_meta(soup, "og:url")) or _canonical(soup),
        tags=tags,
        ai_assisted=ai_from({k: v for k, v in meta.items() if v}, tags, options),
        date_range=options.date_range,
    )
    refuse_page(too_little_prose(prose, bool(draft.published or date_from_filename(path))), options)
    outcome = FileOutcome(path)
    outcome.posts.append(finish(draft, outcome.warnings))
    return outcome


def _canonical(soup: BeautifulSoup) -> str | None:
    tag = soup.find("link", attrs={"rel": "canonical"})
    return real_url(tag.get("href")) if isinstance(tag, Tag) else None
