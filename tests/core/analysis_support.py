"""Shared fixtures for the analysis tests: a small real history imported from the demo corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_app.cli import run
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE

#: Twelve Let's Encrypt posts from 2014-11 to 2015-12 (real text, distinct dates).
SUBSET = [
    "2014-11-18-announcing-lets-encrypt.markdown",
    "2015-2-19-draft-isrg-cp.markdown",
    "2015-4-9-isrg-lf-collaboration.markdown",
    "2015-4-14-ncc-group-audit.markdown",
    "2015-6-4-isrg-ca-certs.markdown",
    "2015-6-16-lets-encrypt-launch-schedule.markdown",
    "2015-8-7-updated-lets-encrypt-launch-schedule.markdown",
    "2015-9-14-our-first-cert.markdown",
    "2015-10-19-lets-encrypt-is-trusted.markdown",
    "2015-11-9-why-90-days.markdown",
    "2015-11-12-public-beta-timing.markdown",
    "2015-12-3-entering-public-beta.markdown",
]


#: The subset is ~10 posts, so history measures compare each post with its 3 predecessors.
SUBSET_REFERENCE_POSTS = 3


def make_settings(**overrides: object) -> Settings:
    """Settings with the test pipeline, a baseline window inside the subset and a reference of
    SUBSET_REFERENCE_POSTS earlier posts for the history measures."""
    values: dict[str, object] = {
        "spacy_pipeline": TEST_PIPELINE,
        "baseline_end": "2015-10-01",
        "reference_posts": SUBSET_REFERENCE_POSTS,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def import_subset(folder: Path, db: Path, names: list[str] = SUBSET) -> None:
    """Copy demo posts into `folder` and import them with the real CLI."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(DEMO / "letsencrypt-blog" / name, folder / name)
    assert run(["--db", str(db), "import", str(folder)]) == 0


def build_analyzed(tmp: Path) -> Path:
    """Import the subset and analyse it; returns the DB path."""
    db = tmp / "analysed.sqlite"
    import_subset(tmp / "posts", db)
    report = AnalysisEngine(db, make_settings()).analyze_posts(mode="missing")
    assert report.analyzed == len(SUBSET) and not report.failed
    return db


def analysed_by_cli(tmp: Path, posts: int = 6) -> Path:
    """The first `posts` of the subset imported and analysed by the CLI, with the test
    pipeline and the subset's reference size saved as the settings; returns the DB path."""
    from desktop_app.core.settings import save_settings

    save_settings(Settings(spacy_pipeline=TEST_PIPELINE, reference_posts=SUBSET_REFERENCE_POSTS))
    db = tmp / "h.sqlite"
    import_subset(tmp / "posts", db, SUBSET[:posts])
    assert run(["--db", str(db), "analyze"]) == 0
    return db
