"""Long texts are parsed in bounded pieces joined into one Doc, with the same results.

One spaCy pass over a megabyte took 3.4 GB (five megabytes died in numpy); the pieces keep the
peak bounded (figures: tests/benchmarks/bench_long_text.py). The joined Doc must have the
text's exact characters, tokens and sentences, and the metrics must not see the cuts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.analysis.job import analyze_doc, capped_results
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import read_file
from desktop_app.core.metrics.corpus_index import HistoryView, build_index
from desktop_app.core.metrics.registry import Lexicons
from desktop_app.core.nlp.pipeline import (
    MAX_ANALYZED_CHARS,
    analyzed_part,
    load_pipeline,
    parse,
    parse_all,
    prepare_text,
    split_for_pipeline,
)
from desktop_app.core.records import Confidence
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, TEST_PIPELINE


def _prose(count: int = 30) -> str:
    """Real imported prose: the demo OpenTelemetry posts, one paragraph per line."""
    files = sorted((DEMO / "otel-blog").rglob("*.md"))[:count]
    texts = [read_file(p, ImportOptions(include_pages=True)).posts for p in files]
    return prepare_text("\n\n".join(post.text for posts in texts for post in posts))


def test_pieces_join_back_and_cut_at_paragraphs() -> None:
    text = _prose()
    pieces = split_for_pipeline(text, 3000)
    assert "".join(pieces) == text and len(pieces) > 20
    assert all(len(p) <= 3000 for p in pieces)
    assert sum(p.endswith("\n") for p in pieces[:-1]) >= 0.9 * (len(pieces) - 1)


def test_cuts_without_line_breaks() -> None:
    sentences = "One short sentence here. " * 400
    pieces = split_for_pipeline(sentences, 1000)
    assert "".join(pieces) == sentences and all(p.endswith(". ") for p in pieces[:-1])
    words = "word " * 1000
    assert all(p.endswith("word ") for p in split_for_pipeline(words, 333)[:-1])
    solid = "x" * 2500  # nowhere to cut: cut at the limit
    assert split_for_pipeline(solid, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    assert split_for_pipeline("", 1000) == [""]


@pytest.mark.parametrize("pipeline", ["blank", TEST_PIPELINE])
def test_joined_doc_matches_one_pass(pipeline: str) -> None:
    nlp, _ = load_pipeline(pipeline)
    text = _prose(12)
    whole, joined = nlp(text), parse(nlp, text, limit=2500)
    assert joined.text == text
    assert [(t.text, t.whitespace_, t.idx) for t in joined] == [
        (t.text, t.whitespace_, t.idx) for t in whole
    ]
    assert [s.start for s in joined.sents] == [s.start for s in whole.sents]
    if pipeline != "blank":  # the tagger sees a few tokens less context at each cut
        same = sum(a.tag_ == b.tag_ for a, b in zip(whole, joined, strict=True))
        assert same / len(whole) > 0.998
        ents = {(e.start, e.end, e.label_) for e in whole.ents}
        assert len(ents & {(e.start, e.end, e.label_) for e in joined.ents}) > 0.98 * len(ents)


def test_metrics_do_not_see_the_cuts() -> None:
    nlp, info = load_pipeline("blank")
    text = _prose(12)
    index = build_index([], 50)
    view = HistoryView(index, index.cutoff(None, "draft"))
    lexicons = Lexicons.load(Settings())
    whole = analyze_doc(nlp(text), info, lexicons, view, text=text)
    joined = analyze_doc(parse(nlp, text, limit=2500), info, lexicons, view, text=text)
    assert {k: (r.value, r.confidence) for k, r in joined.items()} == {
        k: (r.value, r.confidence) for k, r in whole.items()
    }
    assert {k: r.spans for k, r in joined.items()} == {k: r.spans for k, r in whole.items()}


def test_parse_all_keeps_the_order(tmp_path: Path) -> None:
    nlp, _ = load_pipeline("blank")
    long = "A long sentence goes on. " * 2000
    texts = ["Short one.", long, "Short two.", long[:30_000]]
    docs = parse_all(nlp, texts)
    assert [d.text for d in docs] == texts


def test_text_over_the_cap_is_analysed_on_its_first_part_with_low_confidence() -> None:
    text = _prose(12)
    part = analyzed_part(text, 5000)
    assert text.startswith(part) and 2500 < len(part) <= 5000 and part.endswith("\n")
    assert analyzed_part(text) == text  # under MAX_ANALYZED_CHARS: all of it
    assert MAX_ANALYZED_CHARS >= 2_000_000  # a long book; the importer's files may be larger
    nlp, info = load_pipeline("blank")
    index = build_index([], 50)
    view = HistoryView(index, index.cutoff(None, "draft"))
    results = analyze_doc(parse(nlp, part), info, Lexicons.load(Settings()), view, text=part)
    capped = capped_results(results, len(part), len(text))
    assert {k: r.value for k, r in capped.items()} == {k: r.value for k, r in results.items()}
    assert {r.confidence for r in results.values()} >= {Confidence.OK}
    assert Confidence.OK not in {r.confidence for r in capped.values()}
    assert all(
        r.detail["analysed_chars"] == len(part) and r.detail["text_chars"] == len(text)
        for r in capped.values()
    )
    assert capped_results(results, len(text), len(text)) is results
