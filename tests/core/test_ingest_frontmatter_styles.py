"""Front matter as site generators document it: authors, dates, tags and AI flags come through.

Each fixture follows the front-matter conventions its generator documents (Hugo, Jekyll,
Eleventy, Astro, Docusaurus, Ghost exports, Zola, the Go blog's `by:` list) around the body of a
real Let's Encrypt post from the demo history.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import PostFilter, list_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.ingest.fields import parse_field_map
from desktop_app.core.ingest.frontmatter import split_front_matter
from tests.conftest import DEMO, HistoryAt

_SOURCE = DEMO / "letsencrypt-blog" / "2025-01-09-acme-profiles.md"


def _body() -> str:
    return split_front_matter(_SOURCE.read_text(encoding="utf-8"))[1]


STYLES = {
    "hugo-toml": (
        "post.md",
        '+++\ntitle = "Announcing Certificate Profile Selection"\ndate = 2025-01-09T00:00:00Z\n'
        'draft = false\nauthors = ["Aaron Gable", "Josh Aas"]\ntags = ["acme", "profiles"]\n'
        'categories = ["announcements"]\n[params]\nai_assisted = false\n+++\n',
        (
            ["Aaron Gable", "Josh Aas"],
            date(2025, 1, 9),
            ["acme", "profiles", "announcements"],
            False,
        ),
    ),
    "jekyll": (
        "2025-01-09-acme-profiles.markdown",
        '---\nlayout: post\ntitle:  "Announcing Certificate Profile Selection"\n'
        "date:   2025-01-09 21:09:00 -0700\ncategories: acme update\ntags: [profiles]\n"
        "author: Aaron Gable\n---\n",
        (["Aaron Gable"], date(2025, 1, 9), ["profiles", "acme", "update"], None),
    ),
    "eleventy": (
        "acme-profiles.md",
        "---\ntitle: Announcing Certificate Profile Selection\ndate: 2025-01-09\n"
        'tags: ["posts", "acme"]\nlayout: layouts/post.njk\nauthor:\n  name: Aaron Gable\n'
        "  email: aaron@example.org\n---\n",
        (["Aaron Gable"], date(2025, 1, 9), ["posts", "acme"], None),
    ),
    "astro": (
        "acme-profiles.md",
        "---\ntitle: 'Announcing Certificate Profile Selection'\npubDate: 2025-01-09\n"
        "description: 'New extension'\nauthor: 'Aaron Gable'\nimage:\n  url: 'x.png'\n"
        '  alt: \'logo\'\ntags: ["acme", "learning in public"]\naiAssisted: true\n---\n',
        (["Aaron Gable"], date(2025, 1, 9), ["acme", "learning in public"], True),
    ),
    "docusaurus-inline": (
        "2025-01-09-acme-profiles.md",
        "---\nslug: acme-profiles\ntitle: Announcing Certificate Profile Selection\n"
        "authors:\n  - name: Aaron Gable\n    title: Software Engineer\n"
        "    url: https://github.com/aarongable\n    image_url: https://github.com/x.png\n"
        "  - name: Sébastien Lorber\n    title: Docusaurus maintainer\n"
        "tags: [acme, docusaurus]\n---\n",
        (["Aaron Gable", "Sébastien Lorber"], date(2025, 1, 9), ["acme", "docusaurus"], None),
    ),
    "ghost-export": (
        "acme-profiles.md",
        "---\ntitle: Announcing Certificate Profile Selection\nslug: acme-profiles\n"
        "published_at: 2025-01-09T09:00:00.000Z\nprimary_author:\n  name: Aaron Gable\n"
        "  slug: aaron\nauthors:\n  - name: Aaron Gable\n    slug: aaron\n"
        "tags:\n  - name: Getting Started\n    slug: getting-started\n  - name: ACME\n"
        "    slug: acme\n---\n",
        (["Aaron Gable"], date(2025, 1, 9), ["Getting Started", "ACME"], None),
    ),
    "zola": (
        "acme-profiles.md",
        '+++\ntitle = "Announcing Certificate Profile Selection"\ndate = 2025-01-09\n'
        'authors = ["Aaron Gable"]\n[taxonomies]\ntags = ["acme", "certificates"]\n'
        'categories = ["announcements"]\n[extra]\nai_assisted = true\n+++\n',
        (["Aaron Gable"], date(2025, 1, 9), ["acme", "certificates", "announcements"], True),
    ),
    "go-blog-by": (
        "acme-profiles.md",
        "---\ntitle: Announcing Certificate Profile Selection\ndate: 2025-01-09\nby:\n"
        "- Aaron Gable, on behalf of the Let's Encrypt team\n- Josh Aas\ntags:\n- acme\n"
        "summary: New extension.\n---\n",
        (["Aaron Gable", "Josh Aas"], date(2025, 1, 9), ["acme"], None),
    ),
    "rss-style-keys": (
        "acme-profiles.md",
        "---\ntitle: Announcing Certificate Profile Selection\ndc:date: 2025-01-09\n"
        "dc:creator: Aaron Gable\ncategory: acme\nai_generated: no\n---\n",
        (["Aaron Gable"], date(2025, 1, 9), ["acme"], False),
    ),
    "contributors": (
        "acme-profiles.md",
        "---\ntitle: Announcing Certificate Profile Selection\npublishDate: 2025-01-09\n"
        "contributors: [Aaron Gable, Jacob Hoffman-Andrews]\n---\n",
        (["Aaron Gable", "Jacob Hoffman-Andrews"], date(2025, 1, 9), [], None),
    ),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_generator_front_matter_styles(tmp_path: Path, style: str) -> None:
    name, front, (authors, published, tags, ai) = STYLES[style]
    path = tmp_path / name
    path.write_text(front + _body(), encoding="utf-8")
    outcome = read_file(path, ImportOptions())
    assert outcome.error is None, outcome.error
    [post] = outcome.posts
    assert post.title == "Announcing Certificate Profile Selection"
    assert (post.authors, post.published, post.tags, post.ai_assisted) == (
        authors,
        published,
        tags,
        ai,
    )
    assert "profile selection" in post.text


def test_docusaurus_author_keys_resolve_through_authors_yml(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / "authors.yml").write_text(
        "aaron:\n  name: Aaron Gable\n  title: Engineer\n  url: https://github.com/aarongable\n"
        "josh:\n  name: Josh Aas\n",
        encoding="utf-8",
    )
    path = blog / "2025-01-09-acme-profiles.md"
    path.write_text("---\ntitle: Profiles\nauthors: [aaron, josh]\n---\n" + _body(), "utf-8")
    [post] = read_file(path, ImportOptions()).posts
    assert post.authors == ["Aaron Gable", "Josh Aas"]
    assert post.published == date(2025, 1, 9)  # Docusaurus: the date comes from the file name


def test_eleventy_last_modified_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2025-01-09-acme-profiles.md"
    path.write_text("---\ntitle: Profiles\ndate: Last Modified\n---\n" + _body(), "utf-8")
    [post] = read_file(path, ImportOptions()).posts
    assert post.published == date(2025, 1, 9)


def test_field_mapping_reads_a_custom_key(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    front = "---\ntitle: Profiles\nwriter: Aaron Gable\nauthor: Site Owner\nwhen: 2025-01-09\n"
    path.write_text(front + "topics_list: [x]\nmachine: yes\n---\n" + _body(), "utf-8")
    mapping = parse_field_map(["author=writer", "date=when", "tags=topics_list", "ai=machine"])
    [post] = read_file(path, ImportOptions(field_map=mapping)).posts
    assert (post.authors, post.published, post.tags, post.ai_assisted) == (
        ["Aaron Gable"],
        date(2025, 1, 9),
        ["x"],
        True,
    )
    [plain] = read_file(path, ImportOptions()).posts
    assert plain.authors == ["Site Owner"] and plain.published is None


def test_bad_field_mapping_is_refused() -> None:
    with pytest.raises(ValueError, match="FIELD=KEY"):
        parse_field_map(["colour=hue"])


def test_import_field_option_reaches_the_history(
    tmp_path: Path, db_file: Path, history_at: HistoryAt
) -> None:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: Profiles\nwriter: Aaron Gable\n---\n" + _body(), "utf-8")
    assert run(["--db", str(db_file), "import", str(path), "--field", "author=writer"]) == 0
    [post] = list_posts(history_at(db_file), PostFilter(author="Aaron Gable"))
    assert post.authors == ["Aaron Gable"]


def test_every_demo_post_that_names_an_author_keeps_it() -> None:
    """The demo blogs (Hugo/Jekyll): every file with an author key gives at least one name."""
    missing = []
    for path in sorted(DEMO.rglob("*.md*")):
        text = path.read_text(encoding="utf-8")
        meta, _ = split_front_matter(text)
        keys = {str(k).lower() for k in meta}
        if not keys & {"author", "authors", "by"} or path.stem.upper() in ("README", "_INDEX"):
            continue
        outcome = read_file(path, ImportOptions(include_pages=True))
        if outcome.posts and not outcome.posts[0].authors:
            missing.append(path.name)
    assert missing == []
