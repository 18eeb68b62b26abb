"""What the first check after a start would recompute, persisted: the team baseline, the
AI-style team threshold and the team's pre-AI reference (JSON and ``.npy``, never pickle).

* Each part is one entry ``<kind>-<digest>.json`` (and ``.npy`` for the baseline values) in
  ``paths.start_cache_dir()``. The JSON holds the format version, the key it was computed for
  and the size and SHA-256 of its ``.npy``; it is written last, atomically (a temporary file,
  then ``os.replace``), so it commits the entry.
* The key holds everything a part depends on: the history file's identity (real path, device,
  inode), its posts change counter and rows digest (as the corpus index key), the metric
  values change counter and last rowid (baseline and threshold), the pipeline, the settings
  that change the result (baseline window, AI-adoption date, a hand-set threshold), the
  AI-style model and the analyzer version.
* Nothing is trusted: another key, a missing, short or damaged file gives None and the caller
  recomputes (then stores). Only the latest ``KEEP`` entries of each kind are kept.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from sqlite_utils import Database

from desktop_app.core import paths
from desktop_app.core.aistyle.evidence import MAX_PRE_AI_POSTS, TeamReference
from desktop_app.core.aistyle.team import TeamThreshold, adoption_date
from desktop_app.core.baseline.scoring import Baseline
from desktop_app.core.history.counters import change_counter
from desktop_app.core.metrics.registry import ANALYZER_VERSION
from desktop_app.core.settings import Settings

#: Bump when what a part computes, or how it is stored, changes: older entries are ignored.
FORMAT_VERSION = 1
KEEP = 3
log = logging.getLogger(__name__)
T = TypeVar("T")
_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError)


def history_state(db: Database, db_path: str, rows_digest: str) -> dict[str, Any]:
    """The history's identity and posts state: file, posts counter, rows digest."""
    real = os.path.realpath(db_path)
    stat = os.stat(real)
    return {"file": real, "device": stat.st_dev, "inode": stat.st_ino,
            "posts_counter": change_counter(db, "posts"), "rows": rows_digest}  # fmt: skip


def values_state(db: Database) -> dict[str, Any]:
    """The metric values' state: change counter and last rowid (two indexed reads)."""
    last = db.execute("select max(rowid) from metric_values").fetchone()[0]
    return {"values_counter": change_counter(db, "metric_values"), "values_rowid": last}


def baseline_key(state: dict[str, Any], settings: Settings, pipeline: str) -> dict[str, Any]:
    """Key of the baseline: posts, values, pipeline and the reference window."""
    return {**state, "pipeline": pipeline, "analyzer": ANALYZER_VERSION,
            "start": settings.baseline_start, "end": settings.baseline_end}  # fmt: skip


def team_key(state: dict[str, Any], settings: Settings, model: str) -> dict[str, Any]:
    """Key of the team threshold: posts (labels), values, adoption date, threshold, model."""
    return {**state, "adoption": adoption_date(settings).isoformat(),
            "threshold": settings.ai_style_threshold, "model": model}  # fmt: skip


def reference_key(state: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Key of the pre-AI reference: posts (texts, labels) and the adoption date."""
    return {**state, "adoption": adoption_date(settings).isoformat(), "limit": MAX_PRE_AI_POSTS}


def _name(kind: str, key: dict[str, Any]) -> str:
    text = json.dumps({"format": FORMAT_VERSION, "kind": kind, **key}, sort_keys=True)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def _atomic_write(target: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def save(folder: Path, kind: str, key: dict[str, Any], data: dict[str, Any],
         array: np.ndarray | None = None) -> Path:  # fmt: skip
    """Store one entry (the array first, the JSON that commits it last) and prune old ones."""
    folder.mkdir(parents=True, exist_ok=True)
    name = _name(kind, key)
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "kind": kind, "key": key, "data": data}
    if array is not None:
        blob = _npy_bytes(array)
        _atomic_write(folder / f"{name}.npy", blob)
        meta["npy"] = {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
    _atomic_write(folder / f"{name}.json", json.dumps(meta).encode("utf-8"))
    prune(folder, kind)
    return folder / f"{name}.json"


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def load(folder: Path, kind: str, key: dict[str, Any]) -> tuple[dict[str, Any], Any] | None:
    """(data, array or None) of the entry stored for exactly `key`, or None if unusable."""
    name = _name(kind, key)
    try:
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION or meta.get("key") != key:
            return None
        return meta["data"], _array(folder / f"{name}.npy", meta.get("npy"))
    except (*_ERRORS, json.JSONDecodeError):
        return None


def _array(path: Path, expected: dict[str, Any] | None) -> np.ndarray | None:
    if expected is None:
        return None
    blob = path.read_bytes()
    if len(blob) != expected["size"] or hashlib.sha256(blob).hexdigest() != expected["sha256"]:
        raise ValueError(f"{path}: size or checksum differs")
    return np.load(io.BytesIO(blob), allow_pickle=False)


def prune(folder: Path, kind: str, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` entries of `kind` (and their arrays)."""
    found = sorted(folder.glob(f"{kind}-*.json"), key=_mtime, reverse=True)
    for old in found[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".npy").unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def cached(
    kind: str,
    key: dict[str, Any],
    compute: Callable[[], T],
    codec: tuple[Callable[[T], tuple[dict[str, Any], np.ndarray | None]],
                 Callable[[dict[str, Any], Any], T]],
    folder: Path | None = None,
) -> T:  # fmt: skip
    """The part stored for `key`, else `compute()` (stored for the next start)."""
    encode, decode = codec
    folder = folder or paths.start_cache_dir()
    found = load(folder, kind, key)
    if found is not None:
        try:
            return decode(*found)
        except _ERRORS:
            log.info("start cache entry %s for %s unreadable: recomputed", kind, folder)
    value = compute()
    try:
        save(folder, kind, key, *encode(value))
    except OSError as exc:  # a full or read-only disk costs the next start a recomputation
        log.warning("could not cache the %s in %s: %s", kind, folder, exc)
    return value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def encode_baseline(baseline: Baseline) -> tuple[dict[str, Any], np.ndarray]:
    """The baseline as JSON fields and one array of every metric's sorted values."""
    names = sorted(baseline.values)
    arrays = [np.asarray(baseline.values[n], dtype=np.float64) for n in names]
    ends = np.cumsum([len(a) for a in arrays]).tolist() if arrays else []
    data = {"metrics": names, "ends": ends, "start": _iso(baseline.start),
            "end": _iso(baseline.end), "fallback": baseline.fallback, "note": baseline.note,
            "post_count": baseline.post_count}  # fmt: skip
    return data, np.concatenate(arrays) if arrays else np.zeros(0)


def decode_baseline(data: dict[str, Any], values: Any) -> Baseline:
    """The Baseline `encode_baseline` stored."""
    ends = [int(e) for e in data["ends"]]
    if values is None or values.dtype != np.float64 or (ends and ends[-1] != len(values)):
        raise ValueError("baseline values do not match their offsets")
    starts = [0, *ends[:-1]]
    columns = {n: values[a:b] for n, a, b in zip(data["metrics"], starts, ends, strict=True)}
    return Baseline(columns, _day(data["start"]), _day(data["end"]), bool(data["fallback"]),
                    str(data["note"]), int(data["post_count"]))  # fmt: skip


def encode_team(team: TeamThreshold) -> tuple[dict[str, Any], None]:
    """The team threshold as JSON fields (floats round-trip exactly)."""
    return dict(team._asdict()), None


def decode_team(data: dict[str, Any], _: Any) -> TeamThreshold:
    """The TeamThreshold `encode_team` stored."""
    rate = data["false_alarm_rate"]
    return TeamThreshold(float(data["threshold"]), None if rate is None else float(rate),
                         int(data["n_pre_ai_posts"]),
                         float(data["detection_rate_on_labelled_set"]))  # fmt: skip


def encode_reference(reference: TeamReference) -> tuple[dict[str, Any], None]:
    """The pre-AI reference passages as JSON."""
    return {"passages": list(reference.passages), "posts": reference.posts}, None


def decode_reference(data: dict[str, Any], _: Any) -> TeamReference:
    """The TeamReference `encode_reference` stored."""
    passages = data["passages"]
    if not all(isinstance(p, str) for p in passages):
        raise ValueError("passages must be strings")
    return TeamReference(tuple(passages), int(data["posts"]))


BASELINE = (encode_baseline, decode_baseline)
TEAM = (encode_team, decode_team)
REFERENCE = (encode_reference, decode_reference)
