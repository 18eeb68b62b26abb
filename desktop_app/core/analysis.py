"""Analyse posts in batches with nlp.pipe: progress, cancellation, chunked writes to the history.

The corpus-relative metrics (recycled phrasing, sameness) get a ``HistoryView`` of the corpus
index cut at the post's date, so the order in which posts are analysed does not matter: a
post only ever sees posts published strictly before it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc
from sqlite_utils import Database

from desktop_app.core.analysis_pool import Outcome, can_fork, parallel_outcomes, spawn_spec
from desktop_app.core.corpus_index import CorpusIndex, HistoryView
from desktop_app.core.history.metrics_repo import (
    AnalyzerStamp,
    ResultRows,
    result_rows,
    write_rows,
)
from desktop_app.core.metrics.base import Confidence, MetricResult, MetricSpec
from desktop_app.core.metrics.registry import (
    ANALYZER_VERSION,
    REGISTRY,
    DocContext,
    Lexicons,
    compute_all,
)
from desktop_app.core.nlp import PipelineInfo, analysed_part, parse, parse_all, prepare_text

log = logging.getLogger(__name__)

CHUNK_POSTS = 50  # posts per write transaction
BATCH_SIZE = 16  # docs per nlp.pipe batch

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class PostInput:
    """What the analysis needs of a post."""

    id: str
    text: str
    published: date | None = None


@dataclass
class AnalyzeReport:
    """Outcome of a batch analysis."""

    pipeline: PipelineInfo
    total: int = 0
    analysed: int = 0
    chunks_written: int = 0
    cancelled: bool = False
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary_line(self) -> str:
        """Counts in one line."""
        text = f"analysed {self.analysed} of {self.total} post(s)"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text + (" (cancelled)" if self.cancelled else "")


def stamp_for(info: PipelineInfo) -> AnalyzerStamp:
    """The provenance stored with every value made by this pipeline and analyzer."""
    return AnalyzerStamp(info.name, info.version, ANALYZER_VERSION)


def selected_specs(names: Iterable[str] | None = None) -> list[MetricSpec]:
    """Registry entries of `names` (all registered metrics when None)."""
    return list(REGISTRY.values()) if names is None else [REGISTRY[n] for n in names]


def components_to_disable(nlp: Language, specs: Sequence[MetricSpec]) -> list[str]:
    """Pipeline components no selected metric uses (lemmas never; NER/tags when unneeded)."""
    needs = set().union(*(s.needs for s in specs)) if specs else set()
    names = {s.name for s in specs}
    unused = {"lemmatizer"}
    if "ner" not in needs and "specificity" not in names:
        unused.add("ner")
    if "tagger" not in needs:
        unused |= {"tagger", "attribute_ruler", "morphologizer"}
    return [c for c in nlp.pipe_names if c in unused]


def analyse_doc(
    doc: Doc,
    info: PipelineInfo,
    lexicons: Lexicons,
    history: HistoryView | None,
    names: Sequence[str] | None = None,
    text: str | None = None,
) -> dict[str, MetricResult]:
    """Every selected metric on one processed doc (`text`: the string the doc was made from)."""
    ctx = DocContext.build(doc, info, lexicons, history, text)
    return compute_all(ctx, names)


def capped_results(
    results: dict[str, MetricResult], analysed: int, length: int
) -> dict[str, MetricResult]:
    """Results of a text analysed on its first `analysed` of `length` characters: low confidence."""
    if analysed >= length:
        return results
    note = {"analysed_chars": analysed, "text_chars": length}
    return {
        name: replace(
            result,
            confidence=Confidence.LOW if result.confidence == Confidence.OK else result.confidence,
            detail={**result.detail, **note},
        )
        for name, result in results.items()
    }


#: Fewest posts for which starting worker processes pays off.
MIN_POSTS_PER_PROCESS_RUN = 100


@dataclass
class BatchJob:
    """Everything a batch analysis needs besides the posts."""

    nlp: Language
    info: PipelineInfo
    lexicons: Lexicons
    index: CorpusIndex | None
    names: Sequence[str] | None = None
    nlp_lock: threading.Lock | None = None
    chunk_size: int = CHUNK_POSTS
    n_process: int = 1
    #: Start workers by spawning fresh interpreters that load this pipeline by name (the GUI);
    #: None: fork (Linux CLI), or stay in one process where fork is unavailable.
    spawn_pipeline: str | None = None

    @cached_property
    def disabled(self) -> list[str]:
        """Pipeline components none of the job's metrics needs."""
        return components_to_disable(self.nlp, selected_specs(self.names))


def _view(job: BatchJob, post: PostInput) -> HistoryView | None:
    if job.index is None:
        return None
    return HistoryView(job.index, job.index.cutoff(post.published, post.id))


def _parse(job: BatchJob, texts: list[str]) -> list[Doc | Exception]:
    """Docs of `texts` (under the job's lock); a text spaCy fails on gets its exception."""
    disable = job.disabled
    with job.nlp_lock or contextlib.nullcontext():
        try:
            return list(parse_all(job.nlp, texts, disable, BATCH_SIZE))
        except Exception:  # find the culprit: parse one by one
            log.exception("batch parse failed; parsing the chunk post by post")
            return [_parse_one(job.nlp, text, disable) for text in texts]


def _parse_one(nlp: Language, text: str, disable: list[str]) -> Doc | Exception:
    try:
        with nlp.select_pipes(disable=disable):
            return parse(nlp, text)
    except Exception as exc:
        return exc


def analyse_chunk(job: BatchJob, posts: Sequence[PostInput]) -> list[Outcome]:
    """Parse and score a few posts; a post that fails is reported, the others go on."""
    texts = [analysed_part(prepare_text(p.text)) for p in posts]
    stamp = stamp_for(job.info)
    outcomes: list[Outcome] = []
    for post, text, doc in zip(posts, texts, _parse(job, texts), strict=True):
        try:
            if isinstance(doc, Exception):
                raise doc
            results = analyse_doc(doc, job.info, job.lexicons, _view(job, post), job.names, text)
            results = capped_results(results, len(text), len(post.text))
            outcomes.append((post.id, result_rows(post.id, results, stamp), None))
        except Exception as exc:  # one bad post must not stop the batch
            log.exception("analysis of post %s failed", post.id)
            outcomes.append((post.id, None, f"{type(exc).__name__}: {exc}"))
    return outcomes


def _outcomes(job: BatchJob, posts: Sequence[PostInput]) -> Generator[Outcome, None, None]:
    """Outcomes in order: in worker processes for big batches where possible, else here."""
    procs = job.n_process if len(posts) >= MIN_POSTS_PER_PROCESS_RUN else 1
    if procs > 1 and job.spawn_pipeline is not None:
        spec = spawn_spec(job, job.spawn_pipeline)
        yield from parallel_outcomes(job, posts, procs, BATCH_SIZE, spec, _serial(job))
    elif procs > 1 and can_fork():
        yield from parallel_outcomes(job, posts, procs, BATCH_SIZE, None, _serial(job))
    else:
        yield from _serial(job)(posts)


def _serial(job: BatchJob) -> Callable[[Sequence[PostInput]], Iterator[Outcome]]:
    """Analysis of posts in this process, a chunk at a time."""

    def outcomes(posts: Sequence[PostInput]) -> Iterator[Outcome]:
        for start in range(0, len(posts), BATCH_SIZE):
            yield from analyse_chunk(job, posts[start : start + BATCH_SIZE])

    return outcomes


def analyze_posts(
    db: Database,
    job: BatchJob,
    posts: Sequence[PostInput],
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> AnalyzeReport:
    """Analyse `posts`; write results every `chunk_size` posts (one transaction per chunk)."""
    report = AnalyzeReport(job.info, total=len(posts))
    pending: list[ResultRows] = []
    outcomes = _outcomes(job, posts)
    try:
        for done, (post_id, rows, error) in enumerate(outcomes, start=1):
            if rows is None:
                report.failed.append((post_id, error or "unknown error"))
            else:
                pending.append(rows)
            if len(pending) >= job.chunk_size:
                _flush(db, pending, report)
            if progress:
                progress(done, len(posts))
            if cancelled and cancelled() and done < len(posts):
                report.cancelled = True
                break
    finally:
        outcomes.close()
    _flush(db, pending, report)
    return report


def _flush(db: Database, pending: list[ResultRows], report: AnalyzeReport) -> None:
    if not pending:
        return
    write_rows(db, pending)
    report.analysed += len(pending)
    report.chunks_written += 1
    pending.clear()
