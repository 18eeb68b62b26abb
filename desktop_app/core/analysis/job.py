"""One batch job: the per-post inputs, the pipeline and lexicons, and scoring a chunk of posts.

The corpus-relative metrics (recycled phrasing, sameness) get a ``HistoryView`` of the corpus
index cut at the post's date, so the order in which posts are analysed does not matter: a
post only ever sees posts published strictly before it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc

from desktop_app.core.history.metrics_repo import AnalyzerStamp, ResultRows, result_rows
from desktop_app.core.metrics.corpus_index import CorpusIndex, HistoryView
from desktop_app.core.metrics.registry import (
    ANALYZER_VERSION,
    REGISTRY,
    DocContext,
    Lexicons,
    compute_all,
)
from desktop_app.core.nlp.pipeline import (
    PipelineInfo,
    analyzed_part,
    parse,
    parse_all,
    prepare_text,
)
from desktop_app.core.records import Confidence, MetricResult, MetricSpec

log = logging.getLogger(__name__)

CHUNK_POSTS = 50  # posts per write transaction
BATCH_SIZE = 16  # docs per nlp.pipe batch

#: One analysed post: (post id, rows to store, None) or (post id, None, "Error: message").
Outcome = tuple[str, ResultRows | None, str | None]


@dataclass(frozen=True)
class PostInput:
    """What the analysis needs of a post."""

    id: str
    text: str
    published: date | None = None


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


def analyze_doc(
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
    results: dict[str, MetricResult], analyzed: int, length: int
) -> dict[str, MetricResult]:
    """Results of a text analysed on its first `analyzed` of `length` characters: low confidence."""
    if analyzed >= length:
        return results
    note = {"analysed_chars": analyzed, "text_chars": length}
    return {
        name: replace(
            result,
            confidence=Confidence.LOW if result.confidence == Confidence.OK else result.confidence,
            detail={**result.detail, **note},
        )
        for name, result in results.items()
    }


@dataclass(frozen=True)
class DaskTarget:
    """Where to run a batch on Dask: a scheduler address or "local" (a LocalCluster here)."""

    address: str
    workers: int | None = None  # LocalCluster size; for a scheduler, workers to wait for
    chunk: int = BATCH_SIZE  # posts per Dask task
    pipeline: str | None = None  # pipeline name the workers load (default: the job's)
    timeout: float = 10.0  # seconds to reach the scheduler, and (x3) for its workers


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
    #: Analyse on a Dask cluster instead (the client still writes every row).
    dask: DaskTarget | None = None

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


def analyze_chunk(job: BatchJob, posts: Sequence[PostInput]) -> list[Outcome]:
    """Parse and score a few posts; a post that fails is reported, the others go on."""
    texts = [analyzed_part(prepare_text(p.text)) for p in posts]
    stamp = stamp_for(job.info)
    outcomes: list[Outcome] = []
    for post, text, doc in zip(posts, texts, _parse(job, texts), strict=True):
        try:
            if isinstance(doc, Exception):
                raise doc
            results = analyze_doc(doc, job.info, job.lexicons, _view(job, post), job.names, text)
            results = capped_results(results, len(text), len(post.text))
            outcomes.append((post.id, result_rows(post.id, results, stamp), None))
        except Exception as exc:  # one bad post must not stop the batch
            log.exception("analysis of post %s failed", post.id)
            outcomes.append((post.id, None, f"{type(exc).__name__}: {exc}"))
    return outcomes
