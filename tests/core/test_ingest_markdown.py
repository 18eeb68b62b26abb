"""Markdown/text importer: markup to prose, front matter, dates, AI flag, discovery."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import list_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from tests.conftest import DEMO, HistoryAt

MARKUP = """---
title: Markup test
date: 2024-02-03
url: https://example.org/blog/markup-test/
---

{{< blog/integration-badge >}}

## What changed

Read the [release notes](https://example.org/notes) and ![a chart](chart.png) our
<a href="https://example.org/x">inline link</a> plus `otelcol` usage.

{{% alert title="Note" %}}Alerts keep their prose.{{% /alert %}}

{{< comment >}}An editor's hidden comment.{{< /comment >}}

{% highlight go %}
func main() {}
{% endhighlight %}

- first item
- second item!

```yaml
receivers: [otlp]
```

    indented code line

| column | other |
|--------|-------|
| cell   | cell  |

<div class="note"><p>HTML block prose.</p><script>var x = 1;</script></div>

Footnoted claim[^1].

[^1]: The footnote text.
"""


def _read(path: Path, **options: object) -> tuple[list, list[str], str | None]:
    outcome = read_file(path, ImportOptions(**options))  # type: ignore[arg-type]
    return outcome.posts, outcome.warnings, outcome.error


def test_markup_is_stripped_to_prose(tmp_path: Path) -> None:
    path = tmp_path / "markup.md"
    path.write_text(MARKUP, encoding="utf-8")
    [post], warnings, _ = _read(path)
    assert post.text.split("\n\n") == [
        "What changed.",
        "Read the release notes and our inline link plus otelcol usage.",
        "Alerts keep their prose.",
        "first item.",
        "second item!",
        "HTML block prose.",
        "Footnoted claim.",
        "The footnote text.",
    ]
    assert (post.title, post.published, warnings) == ("Markup test", date(2024, 2, 3), [])
    assert post.url == "https://example.org/blog/markup-test/"


def test_toml_front_matter_and_ai_flag(tmp_path: Path) -> None:
    path = tmp_path / "hugo.md"
    path.write_text(
        '+++\ntitle = "TOML post"\ndate = 2021-05-06T10:00:00Z\nai_assisted = true\n'
        'tags = ["news"]\nslug = "toml-post"\n+++\nBody words here.\n',
        encoding="utf-8",
    )
    [post], _, _ = _read(path)
    assert (post.title, post.published, post.ai_assisted) == ("TOML post", date(2021, 5, 6), True)
    assert post.tags == ["news"] and post.url is None  # a bare slug is not a URL


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("ai: false", False),
        ("generated_by: ChatGPT", True),
        ("ai_generated: yes", True),
        ("tags: [News, AI-Assisted]", True),  # tag equal to the ai tag, any case
        ("tags: [news]", None),
    ],
)
def test_ai_flag_sources(tmp_path: Path, front: str, expected: bool | None) -> None:
    path = tmp_path / "post.md"
    path.write_text(f"---\ntitle: T\ndate: 2020-01-01\n{front}\n---\nText.\n", encoding="utf-8")
    [post], _, _ = _read(path)
    assert post.ai_assisted is expected


def test_date_from_short_file_name_prefix(tmp_path: Path) -> None:
    path = tmp_path / "2015-10-8-isoc.md"
    path.write_text("---\ntitle: No date in front matter\n---\nText.\n", encoding="utf-8")
    [post], warnings, _ = _read(path)
    assert post.published == date(2015, 10, 8) and warnings == []


def test_undated_post_gets_a_warning_not_today(tmp_path: Path) -> None:
    path = tmp_path / "about-us.md"
    prose = " ".join(["We write things."] * 10)
    path.write_text(f"# About us\n\n{prose}\n", encoding="utf-8")
    [post], warnings, _ = _read(path)
    assert post.published is None
    assert post.title == "About us" and post.text == prose
    assert warnings == ["no date found: imported as undated"]


def test_draft_skipped_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text("---\ntitle: WIP\ndate: 2020-01-01\ndraft: true\n---\nNot yet.\n")
    assert "draft post skipped" in (_read(path)[2] or "")
    [post], _, error = _read(path, include_drafts=True)
    assert error is None and post.status == "draft"


def test_hugo_page_bundle(db_file: Path, tmp_path: Path, history_at: HistoryAt) -> None:
    bundle = tmp_path / "blog" / "2023" / "perf-testing"
    bundle.mkdir(parents=True)
    shutil.copy(DEMO / "otel-blog" / "2023" / "perf-testing" / "index.md", bundle / "index.md")
    (bundle / "java-benchmark-results.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert run(["--db", str(db_file), "import", str(tmp_path / "blog")]) == 0
    [post] = list_posts(history_at(db_file))
    assert post.title == "OTel component performance benchmarks"
    assert post.published == date(2023, 11, 27) and post.authors == ["Martin Kuba"]
    assert post.source == str((bundle / "index.md").resolve())


def test_undated_bundle_takes_folder_date_prefix(tmp_path: Path) -> None:
    bundle = tmp_path / "2022-3-26-apisix"
    bundle.mkdir()
    (bundle / "index.md").write_text("---\ntitle: Bundle\n---\nText.\n", encoding="utf-8")
    [post], _, _ = _read(bundle / "index.md")
    assert post.published == date(2022, 3, 26)


def test_discover_skips_furniture_hidden_and_loops(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "posts" / ".git").mkdir(parents=True)
    for name in ("a.md", "b.html", "LICENSE.txt", "README.md", "logo.png", "_index.md"):
        (root / "posts" / name).write_text("x")
    (root / "posts" / ".git" / "c.md").write_text("x")
    os.symlink(root, root / "posts" / "loop")  # a symlink loop must not hang
    files, problems = discover_files([root, tmp_path / "missing"])
    # a Hugo section page is found, then refused by the reader with its reason
    assert [f.name for f in files] == ["_index.md", "a.md", "b.html"]
    assert "section listing page (Hugo _index.md)" in (_read(files[0])[2] or "")
    assert [(p.path.name, p.error) for p in problems] == [("missing", "no such file or folder")]


def test_explicit_unsupported_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    assert _read(path)[2] == "unsupported file type '.pdf'"


def test_footnote_text_is_prose_not_code() -> None:
    """Hugo footnotes indent their continuation lines; they once read as an indented code
    block and the footnote's text was dropped."""
    post = DEMO / "otel-blog" / "2023" / "spring-native" / "index.md"
    text = read_file(post, ImportOptions()).posts[0].text
    assert "Spring Boot Native Image applications do not support Log4j2 logging library." in text
    assert "[^1]" not in text


def test_footnote_definitions_and_markers(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-02-notes.md"
    path.write_text(
        "---\ntitle: Notes\n---\nNative images start fast.[^a] Really.\n\n"
        "[^a]: A one-line footnote\n    that goes on here.\n\n"
        "    indented code after a blank line stays code\n",
        encoding="utf-8",
    )
    text = read_file(path, ImportOptions()).posts[0].text
    assert text == "Native images start fast. Really.\n\nA one-line footnote that goes on here."
