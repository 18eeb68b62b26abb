"""The window shows without importing the analysis stack (issue 17: usable < 1.5 s).

spaCy, scikit-learn and psycopg cost seconds to import; the window used to pull them in before
it showed, through the About box's demo credits, the glossary and the Team page. A fresh
interpreter builds and shows the real window on a real (imported, not analysed) history and
reports which of them were loaded by then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import ImportOptions
from tests.conftest import DEMO, history_file

HEAVY = ("spacy", "sklearn", "psycopg", "thinc")
_SHOW = """
import json, sys
from pathlib import Path
from desktop_app.gui.app import application, build_window
app = application()
window = build_window(Path(sys.argv[1]))
window.show()
app.processEvents()
rows = window.library.model.rowCount()
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
window.close()
print(json.dumps({"rows": rows, "loaded": loaded}))
"""


def test_the_window_shows_before_the_analysis_stack_is_imported(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    with history_file(db) as history:
        import_paths(history, [DEMO / "letsencrypt-blog"], ImportOptions())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CONTENT_DRIFT_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _SHOW, str(db), ",".join(HEAVY)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["rows"] > 50  # the real window, with the history's posts listed
    assert shown["loaded"] == []
