"""Import the real demo corpora and the WordPress test export end to end through the CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import StoredPost, list_posts
from tests.conftest import DATA, DEMO, HistoryAt, history_file

LETSENCRYPT = DEMO / "letsencrypt-blog"
OTEL = DEMO / "otel-blog"
WXR = DATA / "wordpress-wxr" / "themeunittestdata.wordpress.xml"
#: Markup that must not survive into imported prose.
LEFTOVERS = re.compile(
    r"\{\{<|\{\{%|\{%|\]\(https?:|\]\[|```|\|\s*:?-{3,}|<!--|\[\^\d"
    r"|</?(?:div|span|p|a|img|br|table|tr|td|th|script|style|figure|iframe|ul|ol|li|h\d)\b"
)


def _import(db: Path, *paths: Path, extra: tuple[str, ...] = ()) -> int:
    return run(["--db", str(db), "import", *extra, *(str(p) for p in paths)])


def _by_source_name(posts: list[StoredPost]) -> dict[str, StoredPost]:
    return {
        Path(p.source.split("#")[0]).name if "#" not in p.source else p.source: p for p in posts
    }


@pytest.fixture(scope="module")
def otel_posts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[StoredPost]]:
    """The otel blog imported once for the module (user paths redirected to a temp dir)."""
    home = tmp_path_factory.mktemp("otel-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONTENT_DRIFT_HOME", str(home))
        mp.delenv("CONTENT_DRIFT_DB", raising=False)
        db = home / "history.sqlite"
        assert _import(db, OTEL) == 0
        with history_file(db) as history:
            posts = list_posts(history)
        yield posts


def test_letsencrypt_blog_imports_every_post(
    db_file: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    files = [p for p in LETSENCRYPT.iterdir() if p.is_file()]
    assert len(files) == 120  # 119 posts + LICENSE.txt
    assert _import(db_file, LETSENCRYPT) == 0
    assert "imported 119, updated 0, unchanged 0, skipped 0 file(s)" in capsys.readouterr().out
    posts = list_posts(history_at(db_file))
    assert len(posts) == 119
    assert all(p.published is not None and p.authors for p in posts)
    assert not any("LICENSE" in p.source for p in posts)


def test_letsencrypt_posts_field_by_field(db_file: Path, history_at: HistoryAt) -> None:
    _import(db_file, LETSENCRYPT)
    posts = {Path(p.source).name: p for p in list_posts(history_at(db_file))}
    isoc = posts["2015-10-8-isoc-sponsors-lets-encrypt.markdown"]
    assert isoc.title == "Internet Society Sponsors Let's Encrypt"
    assert isoc.published == date(2015, 10, 8)
    assert isoc.authors == ["Josh Aas"]  # 'Josh Aas, ISRG Executive Director': a role
    assert isoc.text.startswith(
        "We're pleased to announce that Internet Society (ISOC) has become a Gold sponsor"
    )
    assert "sponsor@letsencrypt.org" in isoc.text and "<a href" not in isoc.text
    princeton = posts["2024-05-28-Princeton-Partnership.md"]
    assert princeton.published == date(2024, 5, 30)  # front matter wins over the file name
    assert princeton.authors == ["Sarah McClure"]
    onboarding = posts["2019-10-09-onboarding-your-customers-with-lets-encrypt-and-acme.md"]
    assert onboarding.title == "Onboarding Your Customers with Let's Encrypt and ACME"
    assert onboarding.authors == ["Jacob Hoffman-Andrews"]
    ct_logs = posts["2019-11-20-how-le-runs-ct-logs.md"]
    assert ct_logs.authors == ["Phil Porada"]  # 'Phil Porada, Site Reliability Engineer'
    assert all(p.url is None for p in posts.values())  # slugs are not URLs


def test_reimport_gives_nothing_new(
    db_file: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    _import(db_file, LETSENCRYPT)
    capsys.readouterr()
    assert _import(db_file, LETSENCRYPT) == 0
    assert "imported 0, updated 0, unchanged 119" in capsys.readouterr().out
    assert len(list_posts(history_at(db_file))) == 119


def test_otel_blog_imports_every_post(otel_posts: list[StoredPost]) -> None:
    assert len(list(OTEL.rglob("*.md"))) == 256
    assert len(otel_posts) == 256
    assert all(p.published is not None for p in otel_posts)
    bundles = [p for p in otel_posts if Path(p.source).name == "index.md"]
    assert len(bundles) == len(list(OTEL.rglob("index.md")))
    assert len({p.source for p in otel_posts}) == 256


def _otel(posts: list[StoredPost], relative: str) -> StoredPost:
    wanted = str((OTEL / relative).resolve())
    return next(p for p in posts if p.source == wanted)


def test_otel_posts_field_by_field(otel_posts: list[StoredPost]) -> None:
    perf = _otel(otel_posts, "2023/perf-testing/index.md")  # a page bundle
    assert perf.title == "OTel component performance benchmarks"
    assert perf.published == date(2023, 11, 27)
    assert perf.authors == ["Martin Kuba"]
    assert perf.text.startswith("As more and more users are looking to use OpenTelemetry")
    assert "Measuring performance overhead." in perf.text  # heading kept as a sentence
    signoz = _otel(otel_posts, "2023/end-user-discussions-02.md")
    assert signoz.authors == ["Pranay Prateek"]
    assert signoz.published == date(2023, 3, 7)
    apisix = _otel(otel_posts, "2022/apisix/index.md")
    assert apisix.authors == ["Haochao Zhuang", "Fei Han"]
    debug = _otel(otel_posts, "2022/debug-otel-with-otel/index.md")
    assert debug.title == "How we used OpenTelemetry to fix a bug in OpenTelemetry"
    assert debug.authors == ["Kumar Pratyush", "Sanket Mehta", "Severin Neumann"]
    governance = _otel(otel_posts, "2019/opentelemetry-governance-committee-explained/index.md")
    assert governance.published == date(2019, 11, 6)
    assert governance.authors == ["Sergey Kanzhelev"]


def test_otel_import_is_clean_prose(otel_posts: list[StoredPost]) -> None:
    leftovers = [(p.source, m.group(0)) for p in otel_posts for m in LEFTOVERS.finditer(p.text)]
    assert leftovers == []
    assert not any("https://github.com" in p.text for p in otel_posts)


def _published_wxr_posts() -> list[tuple[str, str]]:
    """(title, post_date) of post_type=post, status=publish items, read straight from the XML."""
    ns = {"wp": "https://wordpress.org/export/1.2/"}
    items = SafeET.parse(WXR).getroot().iter("item")
    return [
        (item.findtext("title") or "", item.findtext("wp:post_date", namespaces=ns) or "")
        for item in items
        if item.findtext("wp:post_type", namespaces=ns) == "post"
        and item.findtext("wp:status", namespaces=ns) == "publish"
    ]


def test_wordpress_export_published_posts(
    db_file: Path, capsys: pytest.CaptureFixture[str], history_at: HistoryAt
) -> None:
    published = _published_wxr_posts()
    assert len(published) == 56  # plus 1 draft, 1 scheduled, 21 pages, 37 attachments, 70 menus
    assert _import(db_file, WXR) == 0
    out = capsys.readouterr().out
    # three published posts hold only an image (or nothing): no prose, reported as warnings
    assert out.count("has no text: skipped") == 3
    assert "'Edge Case: No Content' has no text" in out
    posts = {p.title: p for p in list_posts(history_at(db_file))}
    assert len(posts) == 53
    assert "Draft post" not in " ".join(posts) and "Scheduled" not in " ".join(posts)
    standard = posts["Post Format: Standard"]
    assert standard.published == date(2010, 10, 5)
    assert standard.authors == ["Theme Buster"]  # login themedemos -> display name
    assert standard.url == "https://wpthemetestdata.wordpress.com/2010/10/05/post-format-standard/"
    assert standard.text.startswith("All children, except one, grow up.")
    assert "Post Formats" in standard.tags and "readability" in standard.tags
    assert standard.status == "publish"
    spacing = posts["WP 6.1 spacing presets"]
    assert spacing.authors == ["Theme Reviewer"]
    assert spacing.published == date(2023, 1, 16)
    common = posts["Block category: Common"]  # dc:creator is '>themereviewteam' in the file
    assert common.authors == ["Theme Reviewer"]
    assert "Markup: Title With Markup" in posts  # HTML in the title reduced to text


def test_wordpress_pages_and_drafts_on_request(db_file: Path, history_at: HistoryAt) -> None:
    _import(db_file, WXR, extra=("--include-pages", "--include-drafts"))
    posts = list_posts(history_at(db_file))
    statuses = {p.status for p in posts}
    assert {"publish", "draft", "future"} <= statuses
    assert len(posts) > 53
