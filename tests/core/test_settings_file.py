"""A corrupted or mistyped settings.json: a warning naming the file and the key, defaults for
what is bad, everything else kept; the CLI says so on stderr and still runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core import paths
from desktop_app.core.settings import Settings, read_settings, save_settings
from tests.conftest import TEST_PIPELINE

#: Wrong values for every key, each with the reason it is wrong.
WRONG = {
    "spacy_pipeline": 42,
    "baseline_start": "2024-13-01",
    "baseline_end": ["2023-01-01"],
    "ai_adoption_date": 20240101,
    "ai_tag": "",
    "custom_marker_words": "delve",
    "custom_stock_phrases": [1, 2],
    "allow_list": {"a": 1},
    "max_file_mb": "20",
    "ai_style_threshold": 1.5,
}


def _write(text: str) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_each_wrong_key_falls_back_alone_with_a_warning_naming_file_and_key() -> None:
    for key, bad in WRONG.items():
        good = {"spacy_pipeline": TEST_PIPELINE, "ai_tag": "made-by-ai", "max_file_mb": 5}
        path = _write(json.dumps({**good, key: bad}))
        settings, problems = read_settings()
        assert len(problems) == 1, (key, problems)
        assert str(path) in problems[0] and f"'{key}'" in problems[0]
        assert getattr(settings, key) == getattr(Settings(), key)  # this key: its default
        for other, value in good.items():  # the others: as written
            if other != key:
                assert getattr(settings, other) == value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0, -1, 1e9, True])
def test_max_file_mb_must_be_a_plausible_size(value: float) -> None:
    _write(json.dumps({"max_file_mb": value}))
    settings, problems = read_settings()
    assert settings.max_file_mb == Settings().max_file_mb
    assert "'max_file_mb'" in problems[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"spacy_pipeline": "x",', "not valid JSON (Expecting property name"),
        ("[1, 2]", "not a JSON object"),
        ("", "not valid JSON"),
    ],
)
def test_unusable_file_gives_defaults_and_says_why(text: str, reason: str) -> None:
    path = _write(text)
    settings, problems = read_settings()
    assert settings == Settings()
    assert problems == [problems[0]] and problems[0].startswith(f"{path}: {reason}")
    assert path.read_text(encoding="utf-8") == text  # not reset behind the user's back


def test_unreadable_file_and_missing_file() -> None:
    path = paths.settings_file()
    path.unlink()
    assert read_settings() == (Settings(), [])  # first launch: quiet
    path.mkdir()
    settings, problems = read_settings()
    assert settings == Settings() and problems[0].startswith(f"{path}: cannot be read")


def test_valid_settings_round_trip_without_warnings() -> None:
    chosen = Settings(spacy_pipeline="blank", baseline_start="2019-01-01", baseline_end=None,
                      ai_adoption_date="2023-03-01", custom_marker_words=["delve"],
                      max_file_mb=7, ai_style_threshold=0.0)  # fmt: skip
    save_settings(chosen)
    assert read_settings() == (chosen, [])


def test_cli_warns_on_stderr_and_runs(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(json.dumps({"spacy_pipeline": TEST_PIPELINE, "max_file_mb": "lots"}))
    post = tmp_path / "post.md"
    post.write_text("# A post\n\nA few words of real prose for the history.\n", encoding="utf-8")
    assert run(["--db", str(db_file), "import", str(post)]) == 0
    err = capsys.readouterr().err
    assert err.count(f"warning: {path}: setting 'max_file_mb' should be a number") == 1
    assert "Traceback" not in err


def test_every_setting_survives_a_save_and_read(tmp_path: Path) -> None:
    """A setting without a check would be dropped silently on reading: none is."""
    import dataclasses

    from desktop_app.core.settings import Settings, read_settings, save_settings

    changed = Settings(
        spacy_pipeline="blank", baseline_start="2019-01-01", baseline_end="2022-01-01",
        ai_adoption_date="2023-03-01", ai_tag="genai", custom_marker_words=["synergy"],
        custom_stock_phrases=["at the end of the day"], allow_list=["robust"], max_file_mb=5.0,
        max_row_mb=3.0, ai_style_threshold=0.7, reference_posts=7, headline_min_posts=3,
        front_matter_fields={"author": "writer"}, search_stemming=True,
        earliest_date="2001-02-03", latest_date="2030-04-05",
    )  # fmt: skip
    defaults = Settings()
    assert all(
        getattr(changed, f.name) != getattr(defaults, f.name) for f in dataclasses.fields(Settings)
    ), "give every setting a non-default value here"
    path = tmp_path / "settings.json"
    save_settings(changed, path)
    assert read_settings(path) == (changed, [])
