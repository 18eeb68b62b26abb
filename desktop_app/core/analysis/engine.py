"""The analysis facade for the GUI and the CLI: pipeline, batch analysis, check, stored results.

Thread safety: the engine keeps a database *path* and opens a connection per call (SQLite
connections never cross threads); the spaCy pipeline is shared and advanced under one lock;
the corpus index and baseline are cached under a lock and rebuilt when the history changes.
An in-memory ``Database`` object may be passed instead of a path for single-threaded use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core import paths
from desktop_app.core.aistyle import AIStyleModelError, TeamThreshold, team_threshold
from desktop_app.core.aistyle import evidence as style_evidence
from desktop_app.core.aistyle.model import load_model
from desktop_app.core.aistyle.team import METRIC as AI_STYLE_METRIC
from desktop_app.core.analysis import start_cache
from desktop_app.core.analysis.index_source import persisted_index, rows_digest
from desktop_app.core.analysis.job import (
    BatchJob,
    DaskTarget,
    PostInput,
    analyze_doc,
    capped_results,
    stamp_for,
)
from desktop_app.core.analysis.pipeline import AnalyzeReport, CancelFn, ProgressFn, analyze_posts
from desktop_app.core.analysis.results import (
    CheckResult,
    PostAnalysis,
    build_check,
    build_post_analysis,
)
from desktop_app.core.baseline.scoring import Baseline, load_baseline
from desktop_app.core.history import open_history
from desktop_app.core.history.counters import change_counter
from desktop_app.core.history.metric_columns import metric_runs
from desktop_app.core.history.metrics_repo import post_ids_to_analyze, stored_spans, stored_values
from desktop_app.core.history.repository import PostFilter, get_post, iter_posts
from desktop_app.core.metrics.corpus_index import CorpusIndex, HistoryView, IndexedPost, build_index
from desktop_app.core.metrics.registry import Lexicons
from desktop_app.core.nlp.pipeline import (
    PipelineInfo,
    analyzed_part,
    load_pipeline,
    parse,
    prepare_text,
)
from desktop_app.core.records import MetricResult, post_id_for
from desktop_app.core.settings import Settings, load_settings

__all__ = ["AnalysisEngine", "AnalyzeReport", "CheckResult", "PostAnalysis"]

#: A short neutral text for `warm_up` (enough words for every metric to run once).
WARM_UP_TEXT = (
    "Our team shipped a new release of the scheduler last week. It adds retries for failed "
    "jobs, a clearer log format and a faster start on large clusters. We tested it on three "
    "production systems for a month before the release, and two customers helped us find "
    "a bug in the timeout handling. The notes below explain what changed, why we changed "
    "it and how to upgrade without downtime. If you run an older version, read the section "
    "on configuration first: two settings were renamed, and the old names stop working in "
    "the next major version. Thanks to everyone who reported problems and sent patches."
)


def _db_file(db: Database) -> str | None:
    row = db.execute("pragma database_list").fetchone()
    return row[2] or None if row else None


class AnalysisEngine:
    """Analyse the history and check drafts against it (safe to call from a worker thread)."""

    def __init__(self, db: Database | str | Path, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._shared_db: Database | None = None
        if isinstance(db, Database):
            path = _db_file(db)
            self._shared_db = None if path else db
            self.db_path: str | None = path
        else:
            self.db_path = str(db)
        self._lock = threading.Lock()
        self._nlp_lock = threading.Lock()
        self._index: tuple[Any, CorpusIndex] | None = None
        self._baseline: tuple[Any, Baseline] | None = None
        self._lexicons: Lexicons | None = None
        self._team: tuple[Any, TeamThreshold | None] | None = None
        self._style_ref: tuple[Any, style_evidence.TeamReference] | None = None
        self._digest: tuple[int, str] | None = None

    @contextmanager
    def _connect(self) -> Iterator[Database]:
        if self._shared_db is not None:
            yield self._shared_db
            return
        db = open_history(str(self.db_path))
        try:
            yield db
        finally:
            db.conn.close()

    @property
    def pipeline_info(self) -> PipelineInfo:
        """The pipeline in use (loads it on first use; may be the blank fallback)."""
        return load_pipeline(self.settings.spacy_pipeline)[1]

    @property
    def lexicons(self) -> Lexicons:
        """AI-marker and stock-phrase lexicons with the user's additions.

        The phrases are split by the pipeline's own tokenizer: a blank English one would cost
        the first check a second spaCy language (same tokens, see lexicons.phrase_tokens).
        """
        with self._lock:
            if self._lexicons is None:
                nlp = load_pipeline(self.settings.spacy_pipeline)[0]
                with self._nlp_lock:
                    self._lexicons = Lexicons.load(self.settings, tokenizer=nlp.tokenizer)
            return self._lexicons

    def corpus_index(self, db: Database | None = None) -> CorpusIndex:
        """The history's corpus index, built once and rebuilt when the posts change."""
        if db is None:
            with self._connect() as conn:
                return self.corpus_index(conn)
        key = _posts_fingerprint(db)
        with self._lock:
            if self._index is None or self._index[0] != key:
                self._index = (key, self._load_index(db, key))
            return self._index[1]

    def _load_index(self, db: Database, key: tuple[Any, ...]) -> CorpusIndex:
        """A file history uses the on-disk cache; an in-memory one is built each time."""
        if self.db_path is None or not self._persisted():
            return _build_index(db, self.settings.reference_posts)
        counter, size = int(key[0]), self.settings.reference_posts
        return persisted_index(db, self.db_path, counter, size, None, self._rows(db, counter))

    def _persisted(self) -> bool:
        return self.db_path is not None and Path(self.db_path).is_file()

    def _rows(self, db: Database, counter: int) -> str:
        """The posts' rows digest (index_source.rows_digest), once per posts counter."""
        if self._digest is None or self._digest[0] != counter:
            self._digest = (counter, rows_digest(db))
        return self._digest[1]

    def _state(self, db: Database, values: bool = True) -> dict[str, Any]:
        """The history part of a start-cache key (start_cache.history_state)."""
        assert self.db_path is not None
        digest = self._rows(db, _posts_fingerprint(db)[0])
        state = start_cache.history_state(db, self.db_path, digest)
        return {**state, **start_cache.values_state(db)} if values else state

    def baseline(self, db: Database | None = None) -> Baseline:
        """The team baseline for the current pipeline (cached until values change)."""
        if db is None:
            with self._connect() as conn:
                return self.baseline(conn)
        key = (_posts_fingerprint(db), _values_fingerprint(db), self.pipeline_info.name)
        with self._lock:
            if self._baseline is None or self._baseline[0] != key:
                self._baseline = (key, self._load_baseline(db))
            return self._baseline[1]

    def _load_baseline(self, db: Database) -> Baseline:
        name = self.pipeline_info.name
        if not self._persisted():
            return load_baseline(db, self.settings, name)
        key = start_cache.baseline_key(self._state(db), self.settings, name)
        compute = partial(load_baseline, db, self.settings, name)
        return start_cache.cached("baseline", key, compute, start_cache.BASELINE)

    def ai_style_team(self, db: Database | None = None) -> TeamThreshold | None:
        """The team's AI-style threshold and false-alarm rate (cached until the history changes).

        None when the AI-style model cannot be loaded.
        """
        if db is None:
            with self._connect() as conn:
                return self.ai_style_team(conn)
        s = self.settings
        key = (_posts_fingerprint(db), _values_fingerprint(db), s.ai_adoption_date,
               s.ai_style_threshold)  # fmt: skip
        with self._lock:
            if self._team is None or self._team[0] != key:
                self._team = (key, self._load_team(db))
            return self._team[1]

    def _load_team(self, db: Database) -> TeamThreshold | None:
        if not self._persisted():
            return _team_or_none(db, self.settings)
        try:
            model = load_model()
        except AIStyleModelError:
            return None
        version = f"{model.version}:{paths.ai_style_model_dir()}"
        key = start_cache.team_key(self._state(db), self.settings, version)
        compute = partial(team_threshold, db, self.settings, model)
        return start_cache.cached("team", key, compute, start_cache.TEAM)

    def ai_style_reference(self, db: Database) -> style_evidence.TeamReference:
        """The team's pre-AI passages for AI-style evidence (cached until the posts change)."""
        key = (_posts_fingerprint(db), self.settings.ai_adoption_date)
        with self._lock:
            if self._style_ref is None or self._style_ref[0] != key:
                self._style_ref = (key, self._load_reference(db))
            return self._style_ref[1]

    def _load_reference(self, db: Database) -> style_evidence.TeamReference:
        compute = partial(style_evidence.pre_ai_reference, db, self.settings)
        if not self._persisted():
            return compute()
        key = start_cache.reference_key(self._state(db, values=False), self.settings)
        return start_cache.cached("reference", key, compute, start_cache.REFERENCE)

    def _team_dropped(self, db: Database, spans: Sequence[Any], detail: dict[str, Any]) -> set[str]:
        """AI-style terms as common in the team's pre-AI posts as in AI text: not evidence."""
        terms = style_evidence.shown_terms(spans, detail)
        if not terms:
            return set()
        return style_evidence.dropped_terms(terms, self.ai_style_reference(db))

    def _team_evidence(
        self, db: Database, results: dict[str, MetricResult]
    ) -> dict[str, MetricResult]:
        """The results with the team's own habitual terms out of the AI-style evidence."""
        style = results.get(AI_STYLE_METRIC)
        dropped = self._team_dropped(db, style.spans, style.detail) if style else set()
        if style is None or not dropped:
            return results
        spans = style_evidence.without_terms(style.spans, dropped)
        detail = style_evidence.detail_without(style.detail, dropped)
        return {**results, AI_STYLE_METRIC: replace(style, spans=spans, detail=detail)}

    def analyze_posts(
        self,
        post_ids: Sequence[str] | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        mode: str = "stale",
        n_process: int = 1,
        spawn: bool = False,
        dask: DaskTarget | None = None,
    ) -> AnalyzeReport:
        """Analyse the given posts (or, with None, those `mode` selects: missing/stale/all).

        `n_process` > 1 parses and scores 100+ posts in worker processes: forked (CLI on
        Linux), or with `spawn` fresh interpreters that load the pipeline themselves (the GUI:
        never fork a running Qt application). With `dask`, Dask workers analyse and this
        process writes (they load the pipeline named in the settings).
        """
        nlp, info = load_pipeline(self.settings.spacy_pipeline)
        with self._connect() as db:
            ids = (
                list(post_ids)
                if post_ids is not None
                else post_ids_to_analyze(db, stamp_for(info), mode)
            )
            posts = (
                [_input(p) for p in iter_posts(db, PostFilter(ids=ids, include_superseded=True))]
                if ids
                else []
            )
            forking = n_process > 1 and not spawn
            job = BatchJob(
                nlp, info, self.lexicons, self.corpus_index(db),
                nlp_lock=None if forking else self._nlp_lock, n_process=n_process,
                spawn_pipeline=self.settings.spacy_pipeline if spawn else None,
                dask=replace(dask, pipeline=self.settings.spacy_pipeline) if dask else None,
            )  # fmt: skip
            report = analyze_posts(db, job, posts, progress, cancelled)
            if report.analyzed:
                metric_runs(db)  # packs the new values now, so trends open fast afterwards
            return report

    def warm_up(self) -> None:
        """Get everything the first check of a draft needs ready: the corpus index, baseline,
        AI-style threshold and pre-AI reference (from the disk caches when they hold the
        history's current state), the lexicons, then one short check so that spaCy, the
        syllable dictionary and the AI-style model have run once. For a background task
        right after launch; a check that arrives meanwhile waits for what it needs."""
        with self._connect() as db:
            self.corpus_index(db)
            self.baseline(db)
            self.ai_style_team(db)
            self.ai_style_reference(db)
        self.check_text(WARM_UP_TEXT)

    def check_text(
        self, text: str, title: str | None = None, published: date | None = None
    ) -> CheckResult:
        """Analyse a draft against the history without storing it."""
        text = prepare_text(text)
        nlp, info = load_pipeline(self.settings.spacy_pipeline)
        with self._connect() as db:
            index = self.corpus_index(db)
            baseline = self.baseline(db)
            view = HistoryView(index, index.cutoff(published, post_id_for(text)))
            part = analyzed_part(text)
            with self._nlp_lock:
                doc = parse(nlp, part)
            results = analyze_doc(doc, info, self.lexicons, view, text=part)
            results = capped_results(results, len(part), len(text))
            results = self._team_evidence(db, results)
            team = self.ai_style_team(db)
            return build_check(db, text, title, info, results, baseline, len(index), team)

    def post_analysis(self, post_id: str) -> PostAnalysis | None:
        """Stored values, percentiles and evidence of one post (None if it is not stored)."""
        with self._connect() as db:
            post = get_post(db, post_id)
            if post is None:
                return None
            values = stored_values(db, post_id)
            spans = stored_spans(db, post_id)
            style = values.get(AI_STYLE_METRIC)
            dropped = self._team_dropped(db, spans, style.detail if style else {})
            if dropped and style is not None:
                spans = style_evidence.without_terms(spans, dropped)
                values[AI_STYLE_METRIC] = replace(
                    style, detail=style_evidence.detail_without(style.detail, dropped)
                )
            team = self.ai_style_team(db)
            return build_post_analysis(db, post, values, spans, self.baseline(db), team)


def _team_or_none(db: Database, settings: Settings) -> TeamThreshold | None:
    try:
        return team_threshold(db, settings)
    except AIStyleModelError:
        return None


def _input(post: Any) -> PostInput:
    return PostInput(post.id, post.text, post.published)


def _posts_fingerprint(db: Database) -> tuple[Any, ...]:
    return (change_counter(db, "posts"),)


def _values_fingerprint(db: Database) -> tuple[Any, ...]:
    return (change_counter(db, "metric_values"),)


def _build_index(db: Database, reference_posts: int) -> CorpusIndex:
    pairs = [
        (IndexedPost(p.id, p.title, p.published), p.text) for p in iter_posts(db, PostFilter())
    ]
    return build_index(pairs, reference_posts)
