"""Batch analysis end to end on real demo posts: provenance, staleness, cancellation, recycling."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.analysis.job import BatchJob, PostInput, stamp_for
from desktop_app.core.analysis.pipeline import analyze_posts
from desktop_app.core.history.metrics_repo import post_ids_to_analyze, stored_values
from desktop_app.core.history.repository import list_posts
from desktop_app.core.metrics.registry import ANALYZER_VERSION, REGISTRY, Lexicons
from desktop_app.core.nlp.pipeline import load_pipeline
from tests.conftest import TEST_PIPELINE, HistoryAt, copy_history
from tests.core.analysis_support import (
    SUBSET,
    SUBSET_REFERENCE_POSTS,
    build_analyzed,
    import_subset,
    make_settings,
)


@pytest.fixture(scope="module")
def analyzed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The subset imported and analysed once for the module."""
    return build_analyzed(tmp_path_factory.mktemp("analysed"))


def test_every_post_has_every_metric_with_provenance(
    analyzed_db: Path, history_at: HistoryAt
) -> None:
    db = history_at(analyzed_db)
    rows = db.execute(
        "select post_id, metric, pipeline, pipeline_version, analyzer_version from metric_values"
    ).fetchall()
    assert {r[0] for r in rows} == {p.id for p in list_posts(db)}
    assert len(rows) == len(SUBSET) * len(REGISTRY)
    info = load_pipeline(TEST_PIPELINE)[1]
    assert {(r[2], r[3], r[4]) for r in rows} == {(info.name, info.version, ANALYZER_VERSION)}


def test_posts_with_fewer_earlier_posts_than_the_reference_get_no_history_values(
    analyzed_db: Path,
    history_at: HistoryAt,
) -> None:
    db = history_at(analyzed_db)
    posts = list_posts(db)
    r = SUBSET_REFERENCE_POSTS
    for name in ("recycled_phrasing", "sameness_knn", "sameness_centroid"):
        for post in posts[:r]:
            assert stored_values(db, post.id)[name].value is None
            assert stored_values(db, post.id)[name].confidence == "insufficient"
        assert stored_values(db, posts[r].id)[name].value is not None


def test_stale_reanalyses_only_changed_posts(
    analyzed_db: Path, tmp_path: Path, history_at: HistoryAt
) -> None:
    path = copy_history(analyzed_db, tmp_path / "copy.sqlite")
    db = history_at(path)
    target = list_posts(db)[3].id
    with db.conn:
        db.execute(
            "update metric_values set analyzer_version = '0.0.1' where post_id = ?", [target]
        )
    info = load_pipeline(TEST_PIPELINE)[1]
    assert post_ids_to_analyze(db, stamp_for(info), "missing") == []
    assert post_ids_to_analyze(db, stamp_for(info), "stale") == [target]
    engine = AnalysisEngine(path, make_settings())
    assert engine.analyze_posts(mode="stale").analyzed == 1
    assert stored_values(db, target)["mtld"].analyzer_version == ANALYZER_VERSION
    assert engine.analyze_posts(mode="stale").analyzed == 0
    assert engine.analyze_posts(mode="all").analyzed == len(SUBSET)


def test_cancellation_keeps_finished_chunks(tmp_path: Path, history_at: HistoryAt) -> None:
    path = tmp_path / "h.sqlite"
    import_subset(tmp_path / "posts", path)
    db = history_at(path)
    nlp, info = load_pipeline(TEST_PIPELINE)
    posts = [PostInput(p.id, p.text, p.published) for p in list_posts(db)]
    job = BatchJob(nlp, info, Lexicons.load(make_settings()), None, chunk_size=2)
    seen: list[int] = []
    report = analyze_posts(db, job, posts, lambda d, t: seen.append(d), lambda: len(seen) >= 5)
    assert report.cancelled and report.analyzed == 5 and report.chunks_written == 3
    stored = {r[0] for r in db.execute("select distinct post_id from metric_values")}
    assert stored == {p.id for p in posts[:5]}
    history_free = stored_values(db, posts[0].id)["recycled_phrasing"]
    assert history_free.confidence == "unavailable"  # no corpus index given


def test_recycled_phrase_links_the_post_it_came_from(
    analyzed_db: Path, history_at: HistoryAt
) -> None:
    db = history_at(analyzed_db)
    source = next(p for p in list_posts(db) if p.title.startswith("Our First Certificate"))
    sentence = next(s for s in source.text.split(". ") if "root programs" in s)
    draft = (
        "This quarter we rebuilt the billing pipeline around nightly reconciliation jobs. "
        f"{sentence}. The accounting team now closes the books two days earlier than before."
    )
    settings = make_settings(reference_posts=len(SUBSET))  # the source is in the reference
    result = AnalysisEngine(analyzed_db, settings).check_text(draft, "draft")
    recycled = [s for s in result.spans if s.kind == "recycled"]
    assert recycled, "the copied sentence must be found"
    main = max(recycled, key=lambda s: s.end - s.start)
    assert main.ref_post_id == source.id and main.ref_title == source.title
    assert main.text in sentence and len(main.text) > len(sentence) / 2
    value = next(m for m in result.metrics if m.name == "recycled_phrasing").value
    assert value is not None and 0.2 < value < 0.9


def test_post_analysis_reads_back_values_and_evidence(
    analyzed_db: Path, history_at: HistoryAt
) -> None:
    db = history_at(analyzed_db)
    post = list_posts(db)[-1]
    analysis = AnalysisEngine(analyzed_db, make_settings()).post_analysis(post.id)
    assert analysis is not None and analysis.post.id == post.id
    assert set(analysis.values) == set(REGISTRY)
    assert analysis.freshness is not None and 0 <= analysis.freshness <= 100
    recycled = [s for s in analysis.spans if s.kind == "recycled"]
    assert all(s.ref_title for s in recycled)
    assert all(post.text[s.start : s.end] == s.text for s in analysis.spans)
