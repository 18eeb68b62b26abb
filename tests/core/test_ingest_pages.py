"""Posts, not pages: listing pages and undated near-empty pages are skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import list_posts
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.ingest.frontmatter import split_front_matter
from tests.conftest import DEMO, HistoryAt

_POST = DEMO / "letsencrypt-blog" / "2025-01-09-acme-profiles.md"
_BODY = split_front_matter(_POST.read_text(encoding="utf-8"))[1]

PAGES = {
    "section/_index.md": ("---\ntitle: Blog\n---\n" + _BODY, "section listing page"),
    "blog/index.md": (
        "---\ntitle: Blog\n---\n# All posts\n\n- [Announcing profiles](/2025/acme-profiles/)\n"
        "- [Ending OCSP](/2024/ending-ocsp/)\n- [Scaling rate limits](/2025/rate-limits/)\n"
        "- [Introducing Sunlight, a new kind of CT log](/2024/sunlight/)\n"
        "- [Ten years of the community forum](/2025/forum/)\n",
        "listing page (only a title, links or a list)",
    ),
    "news/index.md": ("---\ntitle: News\n---\n", "no text found"),
    "archive.md": ("---\ntitle: Archive\nlayout: archive\n---\n" + _BODY, "layout: archive"),
    "tags.md": ("---\ntitle: Tags\ntype: taxonomy\n---\n" + _BODY, "type: taxonomy"),
    "home.md": (
        "---\ntitle: Home\npagination:\n  data: posts\n  size: 5\n---\n" + _BODY,
        "listing page (paginated)",
    ),
    "about.md": ("# About us\n\nWe write about certificates here.\n", "undated, too little prose"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_are_skipped_with_their_reason(tmp_path: Path, name: str) -> None:
    text, reason = PAGES[name]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    outcome = read_file(path, ImportOptions())
    assert not outcome.posts and reason in (outcome.error or "")
    if reason != "no text found":
        assert "--include-pages" in (outcome.error or "")
        assert len(read_file(path, ImportOptions(include_pages=True)).posts) == 1


def test_a_page_bundle_post_and_a_short_dated_post_stay_posts(tmp_path: Path) -> None:
    bundle = tmp_path / "acme-profiles"
    bundle.mkdir()
    (bundle / "index.md").write_text(_POST.read_text(encoding="utf-8"), encoding="utf-8")
    short = tmp_path / "2021-05-01-moved.md"
    short.write_text("---\ntitle: Moved\n---\nThis post now lives on Medium.\n", "utf-8")
    assert len(read_file(bundle / "index.md", ImportOptions()).posts) == 1
    assert len(read_file(short, ImportOptions()).posts) == 1


def test_include_pages_on_the_command_line(
    tmp_path: Path, db_file: Path, history_at: HistoryAt
) -> None:
    site = tmp_path / "site"
    (site / "blog").mkdir(parents=True)
    (site / "blog" / "_index.md").write_text("---\ntitle: Blog\n---\nAll our posts.\n", "utf-8")
    (site / "blog" / "post.md").write_text(_POST.read_text(encoding="utf-8"), "utf-8")
    report = import_paths(history_at(db_file), [site], ImportOptions())
    assert [(f.path.name, f.status) for f in report.files] == [
        ("_index.md", "skipped"),
        ("post.md", "imported"),
    ]
    assert run(["--db", str(db_file), "import", str(site), "--include-pages"]) == 0
    assert len(list_posts(history_at(db_file))) == 2


def test_wordpress_pages_follow_the_same_option() -> None:
    wxr = Path(__file__).parents[1] / "data" / "wordpress-wxr" / "themeunittestdata.wordpress.xml"
    posts = read_file(wxr, ImportOptions()).posts
    with_pages = read_file(wxr, ImportOptions(include_pages=True)).posts
    assert len(with_pages) > len(posts)
