"""The window after launch, in a fresh interpreter that imports only what the app does.

Run:  PYTHONPATH=$PWD .venv/bin/python -m tests.benchmarks.bench_window HISTORY [--shown-only]
(CONTENT_DRIFT_HOME should point at a scratch folder). Times are seconds since the process
started (/proc, so the interpreter and every import count): the window shown and answering
input, with the library counted and its first page of rows read (done synchronously; further
pages are read as they are scrolled to), then the dashboard's cards and chart filled by the
background tasks (not waited for with --shown-only). The steps are those of gui.app.run_gui.
Prints one JSON line; `shown_cpu_s` is the GUI thread's CPU time until shown (interpreter
start included), `first_row` the library's first title, read from the shown window.

pandas is blocked: the dev venv has it only for a test library (lexicalrichness), a user
install has none, and sqlite-utils imports it at start-up when it is there (~0.7 s).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def since_start() -> float:
    """Seconds since this process was started."""
    ticks = os.sysconf("SC_CLK_TCK")
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
    return float(Path("/proc/uptime").read_text().split()[0]) - started


def main() -> None:
    """Open the window on the history given, wait for the dashboard, print the times."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.modules["pandas"] = None  # type: ignore[assignment]  # as in a user install
    from desktop_app.gui.app import application, build_window

    app = application()
    window = build_window(Path(sys.argv[1]))
    window.show()
    window.start_background()
    app.processEvents()
    shown = since_start()
    shown_cpu = time.thread_time()  # the GUI thread's own CPU seconds: steadier on a busy machine
    first_row = window.library.model.index(0, 0).data()
    loaded: list[float] = []
    window.dashboard.loaded.connect(lambda: loaded.append(since_start()))
    wait = "--shown-only" not in sys.argv
    while wait and not (loaded and window.app.tasks.is_idle()) and since_start() < shown + 300:
        app.processEvents()
        time.sleep(0.005)
    filled = since_start() if wait else None
    rows = window.library.model.rowCount()
    window.close()
    app.processEvents()
    result = {"shown_s": shown, "shown_cpu_s": shown_cpu, "filled_s": filled, "rows": rows,
              "first_row": first_row}  # fmt: skip
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
