"""The persisted start-up state: served again after a restart, recomputed after any change.

Each test starts a first engine on a real analysed history (it computes and stores the
baseline, the AI-style team threshold and the pre-AI reference), then overwrites every stored
entry, under its own key, with a recognisable wrong value. A new engine on an unchanged
history must return those planted values (the entries are found and read); after a change
of any part of the key it must return values equal to a fresh computation instead.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop_app.core import paths
from desktop_app.core.aistyle.evidence import TeamReference, pre_ai_reference
from desktop_app.core.aistyle.team import TeamThreshold, team_threshold
from desktop_app.core.analysis import start_cache
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.baseline.scoring import Baseline, load_baseline
from desktop_app.core.history import open_history
from desktop_app.core.history.repository import set_ai_assisted, store_posts
from desktop_app.core.records import Post
from desktop_app.core.settings import Settings
from tests.conftest import copy_history
from tests.core.analysis_support import build_analyzed, make_settings

ADOPTION = "2015-08-01"  # six of the twelve posts are pre-AI
PLANTED_THRESHOLD = 0.987654
PLANTED_PASSAGE = " planted passage "
PLANTED_NOTE = "planted baseline"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_analyzed(tmp_path_factory.mktemp("start-cache"))


@pytest.fixture
def history(analysed: Path, tmp_path: Path) -> Path:
    # through SQLite's backup: a file copy misses what a still-open connection left in the WAL
    return copy_history(analysed, tmp_path / "history.sqlite")


def _settings(**overrides: Any) -> Settings:
    return make_settings(**{"ai_adoption_date": ADOPTION, **overrides})


def _parts(path: Path, settings: Settings) -> tuple[Baseline, TeamThreshold | None, TeamReference]:
    """What a new engine (a new start) returns for the three persisted parts."""
    engine = AnalysisEngine(path, settings)
    with engine._connect() as db:
        return engine.baseline(db), engine.ai_style_team(db), engine.ai_style_reference(db)


def _fresh(path: Path, settings: Settings) -> tuple[Baseline, TeamThreshold, TeamReference]:
    """The same three parts computed directly from the history, no cache involved."""
    db = open_history(str(path))
    try:
        pipeline = AnalysisEngine(path, settings).pipeline_info.name
        return (load_baseline(db, settings, pipeline), team_threshold(db, settings),
                pre_ai_reference(db, settings))  # fmt: skip
    finally:
        db.conn.close()


def _same_baseline(a: Baseline, b: Baseline) -> bool:
    same_values = a.values.keys() == b.values.keys() and all(
        np.array_equal(a.values[k], b.values[k]) for k in a.values
    )
    fields = ("start", "end", "fallback", "note", "post_count")
    return same_values and all(getattr(a, f) == getattr(b, f) for f in fields)


def _plant() -> None:
    """Overwrite every stored entry, under its own key, with recognisable wrong values."""
    folder = paths.start_cache_dir()
    for entry in folder.glob("*.json"):
        meta = json.loads(entry.read_text(encoding="utf-8"))
        data, array = meta["data"], None
        if meta["kind"] == "baseline":
            array = np.load(entry.with_suffix(".npy"), allow_pickle=False)
            data["note"] = PLANTED_NOTE
        elif meta["kind"] == "team":
            data["threshold"] = PLANTED_THRESHOLD
        else:
            data["passages"] = [PLANTED_PASSAGE]
        start_cache.save(folder, meta["kind"], meta["key"], data, array)


def _planted(parts: tuple[Baseline, TeamThreshold | None, TeamReference]) -> list[bool]:
    """Which of the three parts came from the planted entries."""
    baseline, team, reference = parts
    return [baseline.note == PLANTED_NOTE,
            team is not None and team.threshold == PLANTED_THRESHOLD,
            reference.passages == (PLANTED_PASSAGE,)]  # fmt: skip


def _assert_fresh(path: Path, settings: Settings, which: list[bool]) -> None:
    """A new start returns the planted value for the parts marked False in `which` and a
    freshly computed one for those marked True."""
    got, fresh = _parts(path, settings), _fresh(path, settings)
    assert _planted(got) == [not w for w in which]
    if which[0]:
        assert _same_baseline(got[0], fresh[0])
    if which[1]:
        assert got[1] == fresh[1]
    if which[2]:
        assert got[2] == fresh[2]


def _started(path: Path, settings: Settings) -> None:
    """A first start (computes and stores every part), then the planted entries."""
    first, fresh = _parts(path, settings), _fresh(path, settings)
    assert _same_baseline(first[0], fresh[0]) and first[1] == fresh[1] and first[2] == fresh[2]
    assert fresh[1].n_pre_ai_posts == 6 and len(fresh[2].passages) >= 6  # a real reference
    kinds = sorted(
        json.loads(p.read_text())["kind"] for p in paths.start_cache_dir().glob("*.json")
    )
    assert kinds == ["baseline", "reference", "team"]
    _plant()


def test_a_restart_reads_every_part_from_disk_and_keeps_it_exact(history: Path) -> None:
    settings = _settings()
    first = _parts(history, settings)  # computed and stored
    again = _parts(history, settings)  # a new engine: read back
    assert _same_baseline(again[0], first[0])
    assert again[1] == first[1] and again[2] == first[2]
    _plant()
    assert _planted(_parts(history, settings)) == [True, True, True]


def test_a_new_post_recomputes_every_part(history: Path) -> None:
    settings = _settings()
    _started(history, settings)
    db = open_history(str(history))
    post = Post(title="A new pre-AI post", text="Certificates renew every ninety days. " * 30,
                source="test://new", published=date(2015, 1, 5))  # fmt: skip
    store_posts(db, [post])
    db.conn.close()
    _assert_fresh(history, settings, [True, True, True])
    assert _parts(history, settings)[1].n_pre_ai_posts == 7  # type: ignore[union-attr]  # 6 + it


def test_a_changed_label_recomputes_the_threshold_and_the_reference(history: Path) -> None:
    settings = _settings()
    _started(history, settings)
    db = open_history(str(history))
    first = db.execute("select id from posts order by published limit 1").fetchone()[0]
    set_ai_assisted(db, first, True)  # a pre-AI post marked AI-assisted leaves the reference
    db.conn.close()
    _assert_fresh(history, settings, [True, True, True])  # the posts counter moved
    assert _parts(history, settings)[1].n_pre_ai_posts == 5  # type: ignore[union-attr]


def test_a_changed_value_recomputes_the_baseline_and_the_threshold(history: Path) -> None:
    settings = _settings()
    _started(history, settings)
    db = open_history(str(history))
    db.execute("update metric_values set value = value + 1 where metric = 'mtld'")
    db.conn.commit()
    db.conn.close()
    _assert_fresh(history, settings, [True, True, False])  # texts unchanged: same reference


@pytest.mark.parametrize(
    ("change", "which"),
    [
        ({"ai_adoption_date": "2015-10-01"}, [False, True, True]),
        ({"ai_style_threshold": 0.7}, [False, True, False]),
        ({"baseline_end": "2015-07-01"}, [True, False, False]),
        ({"baseline_start": "2015-01-01"}, [True, False, False]),
    ],
)
def test_a_changed_setting_recomputes_what_depends_on_it(
    history: Path, change: dict[str, Any], which: list[bool]
) -> None:
    _started(history, _settings())
    _assert_fresh(history, _settings(**change), which)


def test_another_pipeline_has_its_own_baseline(history: Path) -> None:
    _started(history, _settings())
    engine = AnalysisEngine(history, _settings(spacy_pipeline="blank"))
    with engine._connect() as db:
        baseline = engine.baseline(db)
        assert _same_baseline(baseline, load_baseline(db, engine.settings, "blank"))
    assert not baseline.values  # nothing was analysed with the blank pipeline


@pytest.mark.parametrize("damage", ["truncate-npy", "flip-npy", "bad-json", "delete-npy"])
def test_a_damaged_entry_is_recomputed(history: Path, damage: str) -> None:
    settings = _settings()
    _started(history, settings)
    folder = paths.start_cache_dir()
    (baseline_json,) = folder.glob("baseline-*.json")
    npy = baseline_json.with_suffix(".npy")
    if damage == "truncate-npy":
        npy.write_bytes(npy.read_bytes()[:-8])
    elif damage == "flip-npy":
        blob = bytearray(npy.read_bytes())
        blob[-3] ^= 0xFF
        npy.write_bytes(bytes(blob))
    elif damage == "delete-npy":
        npy.unlink()
    else:
        baseline_json.write_text("{not json", encoding="utf-8")
    for team_json in folder.glob("team-*.json"):
        team_json.write_bytes(team_json.read_bytes()[:-10])  # cut short: invalid JSON
    _assert_fresh(history, settings, [True, True, False])


def test_only_the_latest_entries_of_each_kind_are_kept(tmp_path: Path) -> None:
    for n in range(start_cache.KEEP + 2):
        start_cache.save(tmp_path, "team", {"n": n}, {"x": n})
        start_cache.save(tmp_path, "baseline", {"n": n}, {"x": n}, np.arange(3.0))
    for kind in ("team", "baseline"):
        kept = [json.loads(p.read_text())["key"]["n"] for p in tmp_path.glob(f"{kind}-*.json")]
        assert sorted(kept) == [2, 3, 4]
    assert len(list(tmp_path.glob("baseline-*.npy"))) == start_cache.KEEP
    assert not list(tmp_path.glob(".tmp-*"))


def test_warm_up_loads_every_part_and_leaves_the_check_unchanged(history: Path) -> None:
    draft = "Certificates now renew automatically every sixty days on every server. " * 12
    cold = AnalysisEngine(history, _settings()).check_text(draft)
    engine = AnalysisEngine(history, _settings())
    engine.warm_up()
    loaded = (engine._index, engine._baseline, engine._team, engine._style_ref, engine._lexicons)
    assert all(part is not None for part in loaded)  # the first check has nothing left to load
    assert engine.check_text(draft).to_json() == cold.to_json()
