"""Word, RSS, Atom and CSV imports end to end through the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import StoredPost, list_posts
from tests.conftest import DEMO, history_file

LETSENCRYPT = DEMO / "letsencrypt-blog"


def _import(db: Path, *args: str) -> list[StoredPost]:
    assert run(["--db", str(db), "import", *args]) == 0
    with history_file(db) as history:
        return sorted(list_posts(history), key=lambda p: p.source)


def test_docx_built_with_python_docx(db_file: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Why ninety days"
    document.core_properties.author = "Josh Aas, ISRG Executive Director"
    document.core_properties.keywords = "certificates, ai-assisted"
    document.add_heading("Why ninety days", level=1)
    document.add_paragraph("We want to encourage automation, which is absolutely critical.")
    document.add_heading("Limiting damage", level=2)
    document.add_paragraph(
        "Shorter lifetimes limit damage from key compromise", style="List Bullet"
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "table cell text"
    path = tmp_path / "2015-11-9-why-90-days.docx"
    document.save(str(path))
    [post] = _import(db_file, str(path))
    assert post.title == "Why ninety days"
    assert post.published == date(2015, 11, 9)  # from the YYYY-M-D file-name prefix
    assert post.authors == ["Josh Aas"]
    assert post.ai_assisted is True  # keyword equals the default ai tag
    assert post.text == (
        "We want to encourage automation, which is absolutely critical.\n\n"
        "Limiting damage.\n\nShorter lifetimes limit damage from key compromise."
    )


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Let's Encrypt</title><link>https://letsencrypt.org/</link>
<item>
  <title>Let's Encrypt is Trusted</title>
  <link>https://letsencrypt.org/2015/10/19/lets-encrypt-is-trusted.html</link>
  <guid>https://letsencrypt.org/2015/10/19/lets-encrypt-is-trusted.html</guid>
  <pubDate>Mon, 19 Oct 2015 00:00:00 +0000</pubDate>
  <dc:creator>Josh Aas, ISRG Executive Director</dc:creator>
  <category>Announcements</category>
  <description>&lt;p&gt;We're pleased to announce that we've received
  &lt;a href="https://example.org/x"&gt;cross-signatures&lt;/a&gt; from IdenTrust.&lt;/p&gt;
  &lt;script&gt;alert(1)&lt;/script&gt;</description>
</item>
<item>
  <title>No date here</title>
  <guid isPermaLink="false">urn:post:2</guid>
  <description>An item without a publication date.</description>
</item>
</channel></rss>
"""


def test_rss_feed(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    trusted, undated = _import(db_file, str(path))
    assert "warning: no date found ('No date here'): imported as undated" in (
        capsys.readouterr().out
    )
    assert trusted.title == "Let's Encrypt is Trusted"
    assert trusted.published == date(2015, 10, 19)
    assert trusted.authors == ["Josh Aas"]
    assert trusted.tags == ["Announcements"]
    assert trusted.url == "https://letsencrypt.org/2015/10/19/lets-encrypt-is-trusted.html"
    assert trusted.source == f"{path.resolve()}#{trusted.url}"
    assert trusted.text == (
        "We're pleased to announce that we've received cross-signatures from IdenTrust."
    )
    assert undated.published is None and undated.source.endswith("#urn:post:2")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>OpenTelemetry blog</title>
  <id>urn:otel:blog</id>
  <updated>2023-11-27T00:00:00Z</updated>
  <entry>
    <title>OTel component performance benchmarks</title>
    <id>urn:otel:perf-testing</id>
    <link href="https://opentelemetry.io/blog/2023/perf-testing/"/>
    <published>2023-11-27T09:00:00Z</published>
    <updated>2024-01-02T00:00:00Z</updated>
    <author><name>Martin Kuba</name></author>
    <category term="performance"/>
    <content type="html">&lt;h2&gt;Measuring performance overhead&lt;/h2&gt;
      &lt;p&gt;Instrumentation is not free.&lt;/p&gt;
      &lt;pre&gt;&lt;code&gt;go test -bench .&lt;/code&gt;&lt;/pre&gt;</content>
  </entry>
</feed>
"""


def test_atom_feed(db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "atom.xml"
    path.write_text(ATOM, encoding="utf-8")
    [post] = _import(db_file, str(path))
    assert post.title == "OTel component performance benchmarks"
    assert post.published == date(2023, 11, 27)  # published, not updated
    assert post.authors == ["Martin Kuba"]
    assert post.tags == ["performance"]
    assert post.url == "https://opentelemetry.io/blog/2023/perf-testing/"
    assert post.text == "Measuring performance overhead.\n\nInstrumentation is not free."
    assert post.source.endswith("#urn:otel:perf-testing")


def _letsencrypt_body(name: str) -> str:
    return (LETSENCRYPT / name).read_text(encoding="utf-8").split("---", 2)[2].strip()


def test_csv_with_default_headers(db_file: Path, tmp_path: Path) -> None:
    import csv

    path = tmp_path / "posts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Published", "Author", "Body", "URL", "Tags", "AI_Assisted"])
        writer.writerow(
            [
                "Why ninety days",
                "2015-11-09",
                "Josh Aas, ISRG Executive Director",
                _letsencrypt_body("2015-11-9-why-90-days.markdown"),
                "https://letsencrypt.org/2015/11/09/why-90-days.html",
                "policy; lifetimes",
                "no",
            ]
        )
        writer.writerow(["Undated row", "", "Sarah Gran", "A row without a date.", "", "", "yes"])
    posts = {p.title: p for p in _import(db_file, str(path))}
    ninety = posts["Why ninety days"]
    assert ninety.published == date(2015, 11, 9)
    assert ninety.authors == ["Josh Aas"]
    assert ninety.tags == ["policy", "lifetimes"]
    assert ninety.ai_assisted is False
    assert ninety.source == "https://letsencrypt.org/2015/11/09/why-90-days.html".join(
        [f"{path.resolve()}#", ""]
    )
    assert "](" not in ninety.text and ninety.text.startswith(
        "This is a historic blog post at this point. Please see our certificate lifetime"
    )
    undated = posts["Undated row"]
    assert undated.published is None and undated.ai_assisted is True
    assert undated.source == f"{path.resolve()}#row-Undated row"


def test_csv_with_column_mapping(db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Headline;Day;Writer;Story\n"
        "Internet Society Sponsors Let's Encrypt;2015-10-08;Josh Aas;"
        '"We\'re pleased to announce a new Gold sponsor."\n',
        encoding="utf-8",
    )
    [post] = _import(
        db_file,
        "--csv-column",
        "title=Headline",
        "--csv-column",
        "date=Day",
        "--csv-column",
        "author=Writer",
        "--csv-column",
        "text=Story",
        str(path),
    )
    assert (post.title, post.published, post.authors) == (
        "Internet Society Sponsors Let's Encrypt",
        date(2015, 10, 8),
        ["Josh Aas"],
    )
    assert post.text == "We're pleased to announce a new Gold sponsor."
