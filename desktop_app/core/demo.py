"""The bundled demo history: two real blogs imported into their own DB, with their attribution."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core import paths
from desktop_app.core.analysis.job import stamp_for
from desktop_app.core.history import open_history
from desktop_app.core.history.db import write_transaction
from desktop_app.core.history.metrics_repo import post_ids_to_analyze
from desktop_app.core.history.repository import count_posts, list_posts
from desktop_app.core.importer import ImportReport, import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.nlp.pipeline import PipelineInfo

#: Table of the demo DB that says where its posts come from and under which license.
ATTRIBUTION_TABLE = "demo_attribution"
#: Share of the demo analysed first (a sample spread over time) so the dashboard fills early.
FIRST_PASS_EVERY = 8

ProgressFn = Callable[[int, int, Path], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class DemoSource:
    """One bundled corpus: folder under resources/demo, origin, license and its file."""

    folder: str
    title: str
    origin: str
    license: str
    license_file: str
    copyright: str


DEMO_SOURCES: tuple[DemoSource, ...] = (
    DemoSource(
        "otel-blog",
        "OpenTelemetry blog",
        "github.com/open-telemetry/opentelemetry.io content/en/blog/ "
        "@ dd5997c8b9fafbf72ea6b8059ade242d88b8f118",
        "CC-BY-4.0",
        "otel-blog/LICENSE",
        "© OpenTelemetry Authors",
    ),
    DemoSource(
        "letsencrypt-blog",
        "Let's Encrypt blog",
        "github.com/letsencrypt/website content/en/post/ "
        "@ b89871ef735cbb447f8d72c86146fcc8e62fc4ab",
        "MPL-2.0",
        "letsencrypt-blog/LICENSE.txt",
        "© Internet Security Research Group",
    ),
)


def demo_folders() -> list[Path]:
    """The bundled demo corpora that exist in this install (source tree or bundle)."""
    root = paths.resource_file("demo")
    return [root / s.folder for s in DEMO_SOURCES if (root / s.folder).is_dir()]


def attribution_lines() -> list[str]:
    """One human-readable line per demo corpus (About box, README)."""
    return [f"{s.title} — {s.license}, {s.copyright} ({s.origin})" for s in DEMO_SOURCES]


def store_attribution(db: Database) -> None:
    """(Re)write the demo_attribution table: one row per bundled corpus."""
    with write_transaction(db):
        db.table(ATTRIBUTION_TABLE).insert_all(
            [asdict(s) for s in DEMO_SOURCES], pk="folder", replace=True
        )


def stored_attribution(db: Database) -> list[dict[str, str]]:
    """The attribution rows of a demo DB (empty for any other history)."""
    table = db.table(ATTRIBUTION_TABLE)
    if not table.exists():
        return []
    return [dict(row) for row in table.rows]


def build_demo_history(
    db_path: Path | None = None,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> int:
    """Import the demo corpora into the demo DB once, record their attribution; post count."""
    db = open_history(db_path or paths.demo_db_path())
    try:
        if count_posts(db) == 0:
            _import(db, options or ImportOptions(), progress, cancelled)
        if count_posts(db) and not stored_attribution(db):
            store_attribution(db)
        return count_posts(db)
    finally:
        db.conn.close()


def _import(
    db: Database, options: ImportOptions, progress: ProgressFn | None, cancelled: CancelFn | None
) -> ImportReport:
    folders = demo_folders()
    if not folders:
        raise FileNotFoundError(f"{paths.resource_file('demo')}: the demo corpora are missing")
    return import_paths(db, folders, options, progress, cancelled)


def first_pass_ids(db: Database, every: int = FIRST_PASS_EVERY) -> list[str]:
    """Every `every`-th post in date order: a sample spread over the whole history."""
    dated = sorted(list_posts(db), key=lambda p: (p.published is None, p.published, p.id))
    return [p.id for p in dated[::every]]


def first_pass_pending(db: Database, info: PipelineInfo) -> list[str]:
    """The first-pass sample minus the posts already analysed by pipeline `info`."""
    pending = set(post_ids_to_analyze(db, stamp_for(info), "stale"))
    return [post_id for post_id in first_pass_ids(db) if post_id in pending]
