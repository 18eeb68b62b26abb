"""What the first check of a new process must not pay for, and that skipping it changes nothing.

The lexicons split their phrases with the loaded pipeline's tokenizer instead of a blank spaCy
of their own, and a corpus index read from the cache weights queries without scikit-learn.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.metrics.lexicons import Lexicons, phrase_tokens
from desktop_app.core.nlp.pipeline import BLANK_NAME, blank_tokenizer, load_pipeline
from desktop_app.core.settings import Settings
from tests.conftest import DEMO, REPO, TEST_PIPELINE
from tests.core.analysis_support import analysed_by_cli
from tests.core.metrics_support import DEMO_POSTS, demo_text

NEW_POST = DEMO / "letsencrypt-blog" / "2015-12-3-facebook-sponsorship.markdown"
#: User additions that stress the tokenizer: apostrophes, hyphens, a contraction, a number.
CUSTOM_PHRASES = ["it’s worth noting", "state-of-the-art", "don't miss out", "top 10 tips"]


def _parts(lex: Lexicons) -> tuple[object, ...]:
    return (lex.marker_words, lex.stock_phrases, lex.marker_forms, lex.phrase_index,
            lex.head_hashes, lex.pair_hashes)  # fmt: skip


@pytest.mark.parametrize("pipeline", [TEST_PIPELINE, BLANK_NAME])
def test_lexicons_from_the_pipeline_tokenizer_equal_the_blank_ones(pipeline: str) -> None:
    settings = Settings(custom_stock_phrases=CUSTOM_PHRASES)
    nlp = load_pipeline(pipeline)[0]
    before = Lexicons.load(settings)
    after = Lexicons.load(settings, tokenizer=nlp.tokenizer)
    assert _parts(after) == _parts(before)
    assert ("it", "'s", "worth", "noting") in after.phrase_index["it"]  # the user's phrase


def test_the_pipeline_tokenizer_splits_real_posts_as_the_blank_one() -> None:
    tokenizer = load_pipeline(TEST_PIPELINE)[0].tokenizer
    for relative in DEMO_POSTS:
        text = demo_text(relative)
        expected = [t.text for t in blank_tokenizer()(text)]
        assert [t.text for t in tokenizer(text)] == expected, relative
        for line in filter(None, text.splitlines()):
            assert phrase_tokens(line, tokenizer) == phrase_tokens(line), line


@pytest.fixture
def analysed(tmp_path: Path) -> Path:
    """Six posts analysed; one check in this process has cached their corpus index."""
    db = analysed_by_cli(tmp_path)
    assert run(["--db", str(db), "check", str(NEW_POST), "--json"]) == 0
    return db


#: A CLI check in a new process; prints its JSON, then what it imported and built.
_CHILD = """
import json, sys
from desktop_app.cli import run
from desktop_app.core.nlp import pipeline
code = run(sys.argv[1:])
print(json.dumps({"code": code, "sklearn": "sklearn" in sys.modules,
                  "scipy.stats": "scipy.stats" in sys.modules,
                  "blank_tokenizer": pipeline._BLANK_TOKENIZER is not None}))
"""


def test_a_new_process_checks_without_sklearn_scipy_stats_or_a_blank_spacy(
    analysed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(["--db", str(analysed), "check", str(NEW_POST), "--json"]) == 0
    in_process = json.loads(capsys.readouterr().out)
    args = ["--db", str(analysed), "check", str(NEW_POST), "--json"]
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], cwd=REPO, capture_output=True, text=True,
        check=False, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    *report, last = child.stdout.strip().splitlines()
    imported = {"code": 0, "sklearn": False, "scipy.stats": False, "blank_tokenizer": False}
    assert json.loads(last) == imported
    assert json.loads("\n".join(report)) == in_process  # same result from the cached index
