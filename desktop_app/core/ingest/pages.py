"""Tell posts from pages: section and listing pages and near-empty pages are not posts.

One meaning of "page" for every importer: anything that is not an article people wrote as a
post (a WordPress page, a Hugo `_index.md` section page, an `index.md` holding only a title,
links or a list of posts, a list/archive layout, a page with too little prose).
`ImportOptions.include_pages` (`--include-pages`) imports them all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop_app.core.ingest.base import ImportOptions, NotAPost
from desktop_app.core.ingest.fields import flatten, norm_key
from desktop_app.core.records import count_words

#: An undated file with fewer words than this is a page, not a post (a dated one is a short
#: post: real blogs have dated 20-word stubs that point to the full article elsewhere).
MIN_POST_WORDS = 30
#: Layouts and types that Hugo, Jekyll and Eleventy themes use for listing pages.
LISTING_LAYOUTS = frozenset(
    {
        "list", "home", "archive", "archives", "category", "categories", "tag", "tags",
        "taxonomy", "term", "terms", "section", "paginated", "index",
    }
)  # fmt: skip
_PAGINATION_KEYS = ("pagination", "paginate", "pager")
_NOT_PROSE_LINE = re.compile(
    r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||<|\{\{|\{%|!?\[[^\]]*\]\([^)]*\)\s*$|"
    r"\[[^\]]*\]:\s)"
)
HINT = "use --include-pages to import pages"


def _layout_reason(meta: dict[str, Any]) -> str | None:
    flat = flatten(meta)
    for key in ("layout", "type", "kind"):
        value = flat.get(key)
        if isinstance(value, str) and norm_key(value.rsplit("/", 1)[-1]) in LISTING_LAYOUTS:
            return f"listing page ({key}: {value})"
    if any(k in flat for k in _PAGINATION_KEYS):
        return "listing page (paginated)"
    return None


def running_prose_words(body: str) -> int:
    """Words in the body's paragraphs, leaving out headings, list items, links-only lines."""
    kept = [line for line in body.splitlines() if line.strip() and not _NOT_PROSE_LINE.match(line)]
    return count_words("\n".join(kept))


def page_reason(path: Path, meta: dict[str, Any], body: str, prose: str, dated: bool) -> str | None:
    """Why this Markdown/text file is a page rather than a post, or None for a post."""
    if path.stem.lower() == "_index":
        return "section listing page (Hugo _index.md)"
    reason = _layout_reason(meta)
    if reason:
        return reason
    if path.stem.lower() == "index" and not dated and running_prose_words(body) < MIN_POST_WORDS:
        return "listing page (only a title, links or a list)"
    return too_little_prose(prose, dated)


def too_little_prose(prose: str, dated: bool) -> str | None:
    """A reason when an undated text is too short to be a post."""
    words = count_words(prose)
    if not dated and words < MIN_POST_WORDS:
        return f"undated, too little prose ({words} words; a post has {MIN_POST_WORDS} or a date)"
    return None


def refuse_page(reason: str | None, options: ImportOptions) -> None:
    """IngestError naming the reason, unless pages were asked for."""
    if reason and not options.include_pages:
        raise NotAPost(f"{reason}: skipped as a page, not a post ({HINT})")
