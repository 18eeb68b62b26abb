"""Extreme and impossible publication dates: reported as "implausible date", post kept undated.

Dates are kept from the `earliest_date` setting (default 1990-01-01) to the `latest_date`
setting (default December 31 of next year). A date no calendar has (2025-02-30), written
unquoted in YAML, used to end the file as "unexpected error"; quarters outside the years a
report can compute gave a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.history.repository import PostFilter, list_posts
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.ingest.meta import NoSuchDay, parse_date
from desktop_app.core.settings import Settings, plausible_range, read_settings, save_settings
from desktop_app.core.trends.periods import PeriodError, normalise_quarter
from tests.conftest import TEST_PIPELINE, HistoryAt

PROSE = "A post about certificates, their renewal and what changed for the people who run them."
NEXT_YEAR = date.today().year + 1


def _markdown(folder: Path, name: str, day: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {name}\ndate: {day}\n---\n{PROSE} {name}\n", encoding="utf-8")
    return path


def test_parse_date_keeps_impossible_dates_apart() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    impossible = parse_date("2025-02-30")
    assert isinstance(impossible, NoSuchDay) and impossible.text == "2025-02-30"
    rfc = parse_date("Sun, 30 Feb 2025 10:00:00 +0000")
    assert isinstance(rfc, NoSuchDay) and rfc.text.startswith("Sun, 30 Feb 2025")
    assert parse_date("0000-01-01") == NoSuchDay("0000-01-01")
    assert parse_date("not a date") is None
    assert parse_date("Tue, 01 Dec 2026 10:00:00 +0000") == date(2026, 12, 1)


def test_default_range_is_1990_to_the_end_of_next_year() -> None:
    assert plausible_range("1990-01-01", None, today=date(2026, 5, 1)) == (
        date(1990, 1, 1),
        date(2027, 12, 31),
    )
    assert Settings().date_range == (date(1990, 1, 1), date(NEXT_YEAR, 12, 31))
    assert ImportOptions().date_range == Settings().date_range


@pytest.mark.parametrize(
    ("day", "kept", "reason"),
    [
        ("0001-01-01", None, "0001-01-01 is outside 1990-01-01"),
        ("9999-12-31", None, "9999-12-31 is outside"),
        ("9999-12-31T23:59:59+01:00", None, "9999-12-31 is outside"),
        ("1989-12-31", None, "1989-12-31 is outside"),
        (f"{NEXT_YEAR + 1}-01-01", None, f"{NEXT_YEAR + 1}-01-01 is outside"),
        ("2025-02-30", None, "2025-02-30 is no such day"),
        ('"2025-02-30"', None, "2025-02-30 is no such day"),
        ("1990-01-01", date(1990, 1, 1), None),
        (f"{NEXT_YEAR}-12-31", date(NEXT_YEAR, 12, 31), None),
    ],
)
def test_markdown_dates(tmp_path: Path, day: str, kept: date | None, reason: str | None) -> None:
    outcome = read_file(_markdown(tmp_path, "post.md", day), ImportOptions())
    assert outcome.error is None
    assert [p.published for p in outcome.posts] == [kept]
    implausible = [w for w in outcome.warnings if w.startswith("implausible date: ")]
    if reason:
        assert len(implausible) == 1 and reason in implausible[0]
        assert implausible[0].endswith("; imported as undated")
    else:
        assert outcome.warnings == []


def test_csv_and_html_dates(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        f'title,text,date\nA,"{PROSE}",2025-02-30\nB,"{PROSE}",1850-06-01\nC,"{PROSE}",2024-03-01\n',
        encoding="utf-8",
    )
    outcome = read_file(rows, ImportOptions())
    assert [p.published for p in outcome.posts] == [None, None, date(2024, 3, 1)]
    assert outcome.warnings == [
        "implausible date (row 1): 2025-02-30 is no such day; imported as undated",
        f"implausible date (row 2): 1850-06-01 is outside 1990-01-01 to {NEXT_YEAR}-12-31; "
        "imported as undated",
    ]
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="0001-01-01T00:00:00Z">'
        f"</head><body><article><p>{PROSE}</p></article></body></html>",
        encoding="utf-8",
    )
    outcome = read_file(page, ImportOptions(include_pages=True))
    assert [p.published for p in outcome.posts] == [None]
    assert "0001-01-01 is outside" in outcome.warnings[0]


def test_the_setting_sets_the_range_of_an_import(tmp_path: Path, history_at: HistoryAt) -> None:
    save_settings(Settings(spacy_pipeline=TEST_PIPELINE, earliest_date="2010-01-01"))
    folder = tmp_path / "posts"
    folder.mkdir()
    _markdown(folder, "early.md", "2005-05-05")
    _markdown(folder, "late.md", "2015-05-05")
    db = tmp_path / "h.db"
    assert run(["--db", str(db), "import", str(folder)]) == 0
    dates = {p.title: p.published for p in list_posts(history_at(db), PostFilter())}
    assert dates == {"early.md": None, "late.md": date(2015, 5, 5)}


def test_the_setting_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"earliest_date": "soon", "latest_date": "2030-06-30"}', encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings.date_range == (date(1990, 1, 1), date(2030, 6, 30))
    assert len(problems) == 1 and "'earliest_date' should be a date YYYY-MM-DD" in problems[0]
    path.write_text('{"latest_date": 2030}', encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings.latest_date is None and "'latest_date'" in problems[0]


def test_quarters_outside_the_years_a_report_can_compute() -> None:
    assert normalise_quarter("1900q1") == "1900Q1"
    assert normalise_quarter("2999-Q4") == "2999Q4"
    for text in ("9999Q4", "0001Q1", "1899Q4", "3000Q1"):
        with pytest.raises(PeriodError, match="out of range"):
            normalise_quarter(text)


@pytest.mark.parametrize("quarter", ["9999Q4", "0001Q1"])
def test_report_and_summary_give_a_usage_error(
    tmp_path: Path, quarter: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "h.db")
    assert run(["--db", db, "report", "--quarter", quarter, "--out", str(tmp_path / "r")]) == 1
    assert run(["--db", db, "summary", "--quarter", quarter]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert lines == [f"error: quarter '{quarter}' is out of range (years 1900 to 2999)"] * 2
