"""The Dask route on a LocalCluster here: same stored values as the local path, progress,
cancel, a killed worker's chunks re-run with no post stored twice, a clear connect error."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from desktop_app.cli import run
from desktop_app.core.analysis.dask_route import DaskUnavailable
from desktop_app.core.analysis.engine import AnalysisEngine
from desktop_app.core.analysis.job import DaskTarget
from tests.core.analysis_support import SUBSET, build_analyzed, import_subset, make_settings

distributed = pytest.importorskip("distributed")

# Sockets only to loopback: the scheduler and workers of the LocalCluster.
pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]

VALUES = (
    "select post_id, metric, value, confidence, pipeline, pipeline_version, analyzer_version,"
    " detail from metric_values order by post_id, metric"
)
SPANS = (
    'select post_id, metric, kind, start, "end", text, ref_post_id from evidence'
    ' order by post_id, metric, kind, start, "end", text'
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes on loopback, shared by the module's tests."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as local:  # fmt: skip
        yield local


@pytest.fixture(scope="module")
def local_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The subset analysed by the local path (this process)."""
    return build_analyzed(tmp_path_factory.mktemp("local"))


def _fresh(tmp_path: Path) -> tuple[Path, AnalysisEngine]:
    db = tmp_path / "dask.sqlite"
    import_subset(tmp_path / "posts", db)
    return db, AnalysisEngine(db, make_settings())


def _target(cluster: Any) -> DaskTarget:
    return DaskTarget(cluster.scheduler_address, chunk=2)  # 6 tasks for the 12 posts


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = Database(db).conn
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


def _duplicates(db: Path) -> list[tuple[Any, ...]]:
    sql = "select post_id, metric, count(*) from metric_values group by 1, 2 having count(*) > 1"
    return _rows(db, sql)


def test_stored_values_equal_the_local_path(cluster: Any, local_db: Path, tmp_path: Path) -> None:
    db, engine = _fresh(tmp_path)
    report = engine.analyze_posts(mode="missing", dask=_target(cluster))
    assert (report.analyzed, report.failed, report.cancelled) == (len(SUBSET), [], False)
    local_values = _rows(local_db, VALUES)
    assert len({r[0] for r in local_values}) == len(SUBSET)
    assert _rows(db, VALUES) == local_values
    assert _rows(db, SPANS) == _rows(local_db, SPANS)


def test_progress_reaches_the_total(cluster: Any, tmp_path: Path) -> None:
    _, engine = _fresh(tmp_path)
    calls: list[tuple[int, int]] = []
    engine.analyze_posts(
        mode="missing", dask=_target(cluster), progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(n, len(SUBSET)) for n in range(1, len(SUBSET) + 1)]


def test_cancel_after_the_first_progress_stops_early(cluster: Any, tmp_path: Path) -> None:
    db, engine = _fresh(tmp_path)
    calls: list[int] = []
    report = engine.analyze_posts(
        mode="missing", dask=_target(cluster), progress=lambda d, t: calls.append(d),
        cancelled=lambda: bool(calls),
    )  # fmt: skip
    assert report.cancelled and calls == [1]
    assert report.analyzed == 1
    assert len({r[0] for r in _rows(db, VALUES)}) == 1  # only what was flushed is stored


def test_a_killed_worker_is_retried_and_no_post_is_stored_twice(
    cluster: Any, local_db: Path, tmp_path: Path
) -> None:
    db, engine = _fresh(tmp_path)
    killed: list[int] = []  # tasks the killed worker held when it died
    with distributed.Client(cluster) as client:

        def kill_busiest(done: int, total: int) -> None:
            if killed:
                return
            processing = client.processing()
            busiest = max(processing, key=lambda w: len(processing[w]))
            pid = client.run(os.getpid, workers=[busiest])[busiest]
            killed.append(len(processing[busiest]))
            os.kill(pid, signal.SIGKILL)

        report = engine.analyze_posts(mode="missing", dask=_target(cluster), progress=kill_busiest)
    assert killed and killed[0] >= 1  # the worker died with work in hand
    assert (report.analyzed, report.failed, report.cancelled) == (len(SUBSET), [], False)
    assert _duplicates(db) == []
    assert _rows(db, VALUES) == _rows(local_db, VALUES)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    _, engine = _fresh(tmp_path)
    with pytest.raises(
        DaskUnavailable, match=r"cannot reach the Dask scheduler tcp://127\.0\.0\.1:9"
    ):
        engine.analyze_posts(mode="missing", dask=DaskTarget("tcp://127.0.0.1:9", timeout=1))


def test_cli_dask_workers_without_dask_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite"
    assert run(["--db", str(db), "analyze", "--dask-workers", "2"]) == 1
    assert "--dask-workers needs --dask" in capsys.readouterr().err


def test_cli_dask_local_analyses_every_post_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite"
    import_subset(tmp_path / "posts", db)
    capsys.readouterr()
    assert run(["--db", str(db), "analyze", "--dask", "local", "--dask-workers", "1"]) == 0
    assert f"analysed {len(SUBSET)} of {len(SUBSET)} post(s)" in capsys.readouterr().out
    assert len({r[0] for r in _rows(db, VALUES)}) == len(SUBSET)
    assert _duplicates(db) == []
