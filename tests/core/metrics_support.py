"""Helpers shared by the metric tests: real demo posts and contexts built with the test pipeline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.metrics.registry import DocContext, Lexicons
from desktop_app.core.nlp.pipeline import load_pipeline
from tests.conftest import DEMO, TEST_PIPELINE

#: Real posts of different lengths and styles from the bundled demo corpora.
DEMO_POSTS = [
    "otel-blog/2023/php-beta-release.md",
    "otel-blog/2023/histograms-vs-summaries/index.md",
    "otel-blog/2019/opentelemetry-governance-committee-explained/index.md",
    "letsencrypt-blog/2014-11-18-announcing-lets-encrypt.markdown",
    "letsencrypt-blog/2015-10-29-phishing-and-malware.markdown",
]


@cache
def demo_text(relative: str) -> str:
    """The cleaned text of one demo post, read by the app's own importer."""
    outcome = read_file(DEMO / relative, ImportOptions())
    assert outcome.ok and outcome.posts, outcome.error
    return outcome.posts[0].text


def context(
    text: str, pipeline: str = TEST_PIPELINE, lexicons: Lexicons | None = None
) -> DocContext:
    """A DocContext for `text` processed by `pipeline`."""
    nlp, info = load_pipeline(pipeline)
    return DocContext.build(nlp(text), info, lexicons or Lexicons.load())


def demo_path(relative: str) -> Path:
    """Absolute path of a demo post."""
    return DEMO / relative
