"""One `content-drift check` in this fresh process, with the spaCy pipeline load timed apart.

Run by run_all.stage_restart as a script (so that any checkout can be measured with the same
driver: PYTHONPATH picks the code), its output on stdout thrown away:
    python tests/benchmarks/cli_first_check.py PIPELINE [--profile FILE] -- CHECK ARGS...
It imports what the CLI imports for `check`, loads PIPELINE (the spaCy model load, which the
check command would do first anyway), then runs the CLI exactly as `content-drift` does. The
last stderr line is JSON: imports_s (the CLI's modules, spaCy's own import included and also
given alone as spacy_import_s), spacy_load_s (the model) and run_s (the CLI from argument
parsing to the printed result). The parent times the whole process.

pandas is blocked, as in bench_window: only the dev venv has it (for a test library), and
sqlite-utils imports it at start-up when it is there.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

sys.modules["pandas"] = None  # type: ignore[assignment]  # as in a user install


def main(argv: list[str]) -> int:
    """Import, load the pipeline, run the CLI; print the split as JSON on stderr."""
    split = argv.index("--")
    pipeline, options, cli_args = argv[0], argv[1:split], argv[split + 1 :]
    profile = options[options.index("--profile") + 1] if "--profile" in options else None
    import spacy  # noqa: F401  (first, so that its own import is timed apart)

    spacy_imported = time.perf_counter()
    import desktop_app.__main__ as entry
    import desktop_app.commands.analysis  # noqa: F401  (what `check` imports, timed here)
    from desktop_app.core.nlp.pipeline import load_pipeline

    imported = time.perf_counter()
    load_pipeline(pipeline)
    loaded = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = _run(entry.main, cli_args, profile)
    done = time.perf_counter()
    if code != 0 or "freshness index" not in out.getvalue():
        print(out.getvalue(), file=sys.stderr)
        raise SystemExit(f"check failed (exit code {code})")
    figures = {"spacy_import_s": spacy_imported - START, "imports_s": imported - START,
               "spacy_load_s": loaded - imported, "run_s": done - loaded}  # fmt: skip
    print(json.dumps(figures), file=sys.stderr)
    return 0


def _run(func: object, args: list[str], profile: str | None) -> int:
    if profile is None:
        return int(func(args))  # type: ignore[operator]
    import cProfile

    profiler = cProfile.Profile()
    code = int(profiler.runcall(func, args))  # type: ignore[arg-type]
    profiler.dump_stats(profile)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
