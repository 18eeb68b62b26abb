"""Merge files: two laptops exchange team data without a server (docs/team.md rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.team.support import Laptop, demo_files


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Laptop, Laptop]:
    """Laptop A with demo posts 0-9, laptop B with 5-14 (five in common)."""
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    a.import_files(demo_files(0, 10))
    b.import_files(demo_files(5, 15))
    return a, b


def _exchange(a: Laptop, b: Laptop, tmp_path: Path) -> None:
    assert a.run("export-team", str(tmp_path / "a.jsonl")) == 0
    assert b.run("merge", str(tmp_path / "a.jsonl")) == 0
    assert b.run("export-team", str(tmp_path / "b.jsonl")) == 0
    assert a.run("merge", str(tmp_path / "b.jsonl")) == 0


def test_exchange_gives_both_the_union_of_posts(pair: tuple[Laptop, Laptop], tmp_path: Path):
    a, b = pair
    before_a, before_b = a.post_ids(), b.post_ids()
    assert len(before_a & before_b) == 5  # the five shared files are one post each
    _exchange(a, b, tmp_path)
    assert a.post_ids() == b.post_ids() == before_a | before_b
    assert len(a.post_ids()) == 15
    assert a.state() == b.state()


def test_merge_is_idempotent(pair: tuple[Laptop, Laptop], tmp_path: Path):
    a, b = pair
    _exchange(a, b, tmp_path)
    state = b.state()
    assert b.run("merge", str(tmp_path / "a.jsonl")) == 0
    assert b.run("merge", str(tmp_path / "a.jsonl")) == 0
    assert b.state() == state


def _first_shared(a: Laptop, b: Laptop) -> str:
    return sorted(a.post_ids() & b.post_ids())[0]


def test_later_label_wins_and_the_loser_is_recorded(
    pair: tuple[Laptop, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    a, b = pair
    post = _first_shared(a, b)
    assert a.run("label", post, "yes") == 0
    assert a.run("export-team", str(tmp_path / "a1.jsonl")) == 0  # A's change stamped first
    assert b.run("label", post, "no") == 0
    _exchange(b, a, tmp_path)  # B exports (its change stamped later), A merges, and back
    assert b.run("merge", str(tmp_path / "a1.jsonl")) == 0
    assert a.state()["posts"][post][1] == 0 == b.state()["posts"][post][1]
    capsys.readouterr()
    assert a.run("team", "conflicts", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["loser_value"], r["winner_value"]) for r in rows] == [("true", "false")]
    assert b.run("team", "conflicts") == 0
    line = capsys.readouterr().out
    assert "AI-assisted" in line and "= yes, set on" in line and "overruled by no" in line


def test_removal_travels_as_a_tombstone(tmp_path: Path):
    a, b, c = (Laptop(tmp_path, n) for n in "abc")
    for laptop in (a, b, c):
        laptop.import_files(demo_files(0, 4))
    gone = sorted(a.post_ids())[0]
    assert a.run("remove", gone) == 0
    assert a.run("export-team", str(tmp_path / "a.jsonl")) == 0
    assert b.run("merge", str(tmp_path / "a.jsonl")) == 0
    assert gone not in b.post_ids() and gone in b.state()["tombstones"]
    assert c.run("export-team", str(tmp_path / "c.jsonl")) == 0  # C still has the post
    assert a.run("merge", str(tmp_path / "c.jsonl")) == 0
    assert b.run("merge", str(tmp_path / "c.jsonl")) == 0
    assert gone not in a.post_ids() and gone not in b.post_ids()
    assert len(a.post_ids()) == 3


def test_team_settings_travel_and_personal_ones_do_not(pair: tuple[Laptop, Laptop], tmp_path):
    a, b = pair
    a.set_setting("ai_adoption_date", "2023-03-01")
    a.set_setting("custom_marker_words", ["synergy", "leverage"])
    a.set_setting("reference_posts", 7)  # personal: stays on A
    _exchange(a, b, tmp_path)
    assert b.settings()["ai_adoption_date"] == "2023-03-01"
    assert b.settings()["custom_marker_words"] == ["synergy", "leverage"]
    import os

    from desktop_app.core import paths
    from desktop_app.core.settings import load_settings

    os.environ[paths.ENV_HOME] = str(b.home)
    assert load_settings().reference_posts == 50


def test_an_edit_is_a_new_version_linked_to_the_old(tmp_path: Path):
    a, b = Laptop(tmp_path, "a"), Laptop(tmp_path, "b")
    source = demo_files(0, 1)[0]
    a.import_files([source])
    (old_id,) = a.post_ids()
    edited = a.inbox / source.name
    edited.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph.\n")
    a.import_files([])  # re-import the inbox: the edited file
    assert a.run("export-team", str(tmp_path / "a.jsonl")) == 0
    assert b.run("merge", str(tmp_path / "a.jsonl")) == 0
    posts = b.state()["posts"]
    assert len(posts) == 2
    (new_id,) = set(posts) - {old_id}
    assert posts[new_id][2] == old_id and posts[old_id][3] == new_id
    assert posts == a.state()["posts"]


def _rewrite(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(edit(lines)), encoding="utf-8")


def test_truncated_file_is_refused_and_nothing_changes(pair, tmp_path, capsys):
    a, b = pair
    file = tmp_path / "a.jsonl"
    assert a.run("export-team", str(file)) == 0
    before = b.state()
    _rewrite(file, lambda lines: lines[: len(lines) // 2])
    assert b.run("merge", str(file)) == 1
    assert "incomplete (truncated?); nothing was merged" in capsys.readouterr().err
    assert b.state() == before


def test_newer_version_file_is_refused(pair, tmp_path, capsys):
    a, b = pair
    file = tmp_path / "a.jsonl"
    assert a.run("export-team", str(file)) == 0
    before = b.state()

    def newer(lines: list[str]) -> list[str]:
        header = json.loads(lines[0])
        return [json.dumps({**header, "version": 2}) + "\n", *lines[1:]]

    _rewrite(file, newer)
    assert b.run("merge", str(file)) == 1
    assert "newer version of Content Drift" in capsys.readouterr().err
    assert b.state() == before


def test_altered_file_is_refused(pair, tmp_path, capsys):
    a, b = pair
    file = tmp_path / "a.jsonl.gz"
    assert a.run("export-team", str(file)) == 0
    import gzip

    text = gzip.decompress(file.read_bytes()).decode().replace("Encrypt", "Encrypf", 1)
    file.write_bytes(gzip.compress(text.encode()))
    before = b.state()
    assert b.run("merge", str(file)) == 1
    assert "checksum differs" in capsys.readouterr().err
    assert b.state() == before
