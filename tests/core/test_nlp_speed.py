"""The pipeline speed-ups change nothing a metric reads: numpy matmul ops and the tag->POS table.

The reference is stock spaCy: the same package loaded with its own attribute_ruler and thinc's
BLIS-backed ops, with the parser swapped for the senter exactly as core/nlp does.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.nlp.pipeline import add_hard_breaks, load_pipeline, prepare_text
from desktop_app.core.nlp.speed import (
    NumpyMatmulOps,
    TagToPos,
    Unsupported,
    replace_attribute_ruler,
)
from tests.conftest import DEMO, TEST_PIPELINE

needs_trained = pytest.mark.skipif(TEST_PIPELINE == "blank", reason="needs the trained pipeline")


def _demo_texts(count: int) -> list[str]:
    files, _ = discover_files([DEMO / "otel-blog" / "2024"])
    posts = [p for f in files[:count] for p in read_file(f, ImportOptions()).posts]
    return [prepare_text(p.text) for p in posts]


def _stock(name: str) -> spacy.language.Language:
    nlp = spacy.load(name, exclude=["lemmatizer"])
    nlp.remove_pipe("parser")
    nlp.enable_pipe("senter")
    return add_hard_breaks(nlp)  # not a speed-up: both sides end sentences at line breaks


def _annotations(doc: Doc) -> tuple[list[str], list[str], list[tuple[int, int, str]], list[int]]:
    return (
        [t.tag_ for t in doc],
        [t.pos_ for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [s.start for s in doc.sents],
    )


@needs_trained
def test_fast_pipeline_annotates_exactly_like_stock_spacy() -> None:
    fast, _ = load_pipeline(TEST_PIPELINE)
    assert isinstance(fast.get_pipe("attribute_ruler"), TagToPos)
    assert isinstance(fast.get_pipe("tok2vec").model.ops, NumpyMatmulOps)
    assert isinstance(fast.get_pipe("ner").model.ops, NumpyMatmulOps)
    stock = _stock(TEST_PIPELINE)
    texts = _demo_texts(25)
    assert sum(len(t.split()) for t in texts) > 10_000
    for text, got, expected in zip(texts, fast.pipe(texts), stock.pipe(texts), strict=True):
        assert _annotations(got) == _annotations(expected), text[:80]


def _tagged(words: list[str], tags: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, tags=tags)


def test_tag_to_pos_latest_matching_rule_wins_like_the_ruler() -> None:
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "IN"}]], "attrs": {"POS": "ADP"}},
        {"patterns": [[{"TAG": "NN", "LOWER": "something"}]], "attrs": {"POS": "PRON"}},
        {
            "patterns": [[{"TAG": "IN", "LOWER": {"IN": ["because", "if"]}}]],
            "attrs": {"POS": "SCONJ"},
        },
        {"patterns": [[{"TAG": "CC", "DEP": "advmod"}]], "attrs": {"POS": "ADV"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "TAG": "_SP"}},
        {"patterns": [[{"LOWER": "a"}]], "attrs": {"LEMMA": "a"}},  # sets no POS: ignored
        {"patterns": [[{"TAG": "NN", "LOWER": "thing"}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "PROPN"}},  # later: beats "thing"
    ]
    words = ["something", "thing", "dog", "because", "in", "and", "  "]
    tags = ["NN", "NN", "NN", "IN", "IN", "CC", "_SP"]
    got = [t.pos_ for t in TagToPos(patterns)(_tagged(words, tags))]
    assert got == ["PROPN", "PROPN", "PROPN", "SCONJ", "ADP", "", "SPACE"]
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)  # type: ignore[attr-defined]
    assert [t.pos_ for t in nlp.get_pipe("attribute_ruler")(_tagged(words, tags))] == got


def test_tag_to_pos_matches_spacys_attribute_ruler_on_the_same_rules() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    patterns: list[dict] = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "NN", "LOWER": "nothing"}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"TAG": "_SP", "IS_SPACE": False}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    ]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    words, tags = ["nothing", "dog", "_", "\n"], ["NN", "NN", "_SP", "_SP"]
    expected = [t.pos_ for t in ruler(_tagged(words, tags))]
    assert expected == ["PRON", "NOUN", "X", "SPACE"]
    assert [t.pos_ for t in TagToPos(patterns)(_tagged(words, tags))] == expected


@pytest.mark.parametrize(
    "token",
    [{"LOWER": {"REGEX": "^a"}}, {"SHAPE": "Xxx"}, {"TAG": {"NOT_IN": ["NN"]}}],
)
def test_rules_tag_to_pos_cannot_reproduce_keep_the_real_ruler(token: dict) -> None:
    patterns = [{"patterns": [[token]], "attrs": {"POS": "NOUN"}}]
    with pytest.raises(Unsupported):
        TagToPos(patterns)
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)  # type: ignore[attr-defined]
    assert replace_attribute_ruler(nlp) is False
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_numpy_matmul_ops_gemm_equals_numpy_product() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    x = rng.random((5, 3), dtype=np.float32)
    y = rng.random((4, 3), dtype=np.float32)
    ops = NumpyMatmulOps()
    assert np.allclose(ops.gemm(x, y, trans2=True), x @ y.T)
    out = np.zeros((3, 3), dtype=np.float32)
    assert ops.gemm(x, x, trans1=True, out=out) is out
    assert np.allclose(out, x.T @ x)
