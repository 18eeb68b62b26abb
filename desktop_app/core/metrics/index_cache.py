"""The corpus index persisted on disk: one folder of ``.npy`` arrays and JSON per history state.

* An entry is written into a temporary folder and moved into place with ``os.replace``, so a
  reader sees a whole entry or none. Its ``manifest.json`` holds the format version, the key
  (history file identity, change counter, reference size) and every file's size.
* Arrays are loaded with ``mmap_mode="r"``: a start maps them instead of reading them.
* Nothing is trusted: a missing file, a wrong size, dtype or shape, or any read error gives
  None (the caller rebuilds), and the caller compares the stored posts with the history.
* Only the latest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from desktop_app.core.metrics.corpus_index import CorpusIndex, IdfWeights
from desktop_app.core.metrics.index_posts import StoredStrings, lazy_parts

#: Bump when the index layout or its tokenisation changes: older entries are then ignored.
FORMAT_VERSION = 1
KEEP = 3
_MANIFEST = "manifest.json"
_ARRAYS = ("is_content", "gram_hashes", "postings", "tfidf_columns", "column_of",
           "window_sq_norm")  # fmt: skip
_SPARSE = ("matrix", "counts")
_LOAD_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, json.JSONDecodeError)


def entry_name(key: dict[str, Any]) -> str:
    """Folder name of the entry for a key (a digest of the key and the format version)."""
    text = json.dumps({"format": FORMAT_VERSION, **key}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def save(folder: Path, key: dict[str, Any], index: CorpusIndex) -> Path:
    """Write `index` as the entry for `key` (atomically) and prune old entries."""
    return _publish(folder, key, lambda tmp: _write_entry(tmp, key, index))


def relabel(entry: Path, folder: Path, key: dict[str, Any]) -> Path:
    """Store a copy of `entry` (hard links where possible) as the entry for another key."""

    def fill(tmp: Path) -> None:
        meta = manifest(entry)
        if meta is None:
            raise OSError(f"{entry}: no readable manifest")
        for name in meta["sizes"]:
            try:
                os.link(entry / name, tmp / name)
            except OSError:
                shutil.copyfile(entry / name, tmp / name)
        meta["key"] = key
        (tmp / _MANIFEST).write_text(json.dumps(meta), encoding="utf-8")

    return _publish(folder, key, fill)


def _publish(folder: Path, key: dict[str, Any], fill: Callable[[Path], None]) -> Path:
    """Fill a temporary folder, then move it into place as the entry for `key`."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / entry_name(key)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    try:
        fill(tmp)
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prune(folder, keep=KEEP)
    return final


def _write_entry(tmp: Path, key: dict[str, Any], index: CorpusIndex) -> None:
    _save_strings(tmp, "post_ids", [p.id for p in index.posts])
    _save_strings(tmp, "post_titles", [p.title for p in index.posts])
    dates = [p.published.isoformat() if p.published else "" for p in index.posts]
    _save_strings(tmp, "post_dates", dates)
    _save_strings(tmp, "vocab", sorted(index.vocab, key=index.vocab.__getitem__))
    for name in _ARRAYS:
        np.save(tmp / f"{name}.npy", np.asarray(getattr(index, name)), allow_pickle=False)
    tfidf = index.transformer is not None and index.matrix is not None
    if tfidf:
        assert index.transformer is not None
        np.save(tmp / "idf.npy", np.asarray(index.transformer.idf_), allow_pickle=False)
        for name in _SPARSE:
            _save_sparse(tmp, name, getattr(index, name))
    sizes = {p.name: p.stat().st_size for p in tmp.iterdir()}
    meta = {"format": FORMAT_VERSION, "key": key, "posts": len(index.posts),
            "reference_posts": index.reference_posts, "tfidf": tfidf, "sizes": sizes}  # fmt: skip
    (tmp / _MANIFEST).write_text(json.dumps(meta), encoding="utf-8")


def _save_strings(tmp: Path, name: str, values: list[str]) -> None:
    """Strings as one UTF-8 blob plus the end offset (in characters) of each (no pickle)."""
    blob = np.frombuffer("".join(values).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.cumsum([len(v) for v in values], dtype=np.int64)
    np.save(tmp / f"{name}.utf8.npy", blob, allow_pickle=False)
    np.save(tmp / f"{name}.ends.npy", ends, allow_pickle=False)


def _load_strings(entry: Path, name: str) -> StoredStrings:
    text = (
        np.load(entry / f"{name}.utf8.npy", allow_pickle=False)
        .tobytes()
        .decode("utf-8", "surrogatepass")
    )
    return StoredStrings(text, np.load(entry / f"{name}.ends.npy", allow_pickle=False))


def _save_sparse(tmp: Path, name: str, matrix: sparse.csr_matrix | None) -> None:
    if matrix is None:
        raise ValueError(f"the index has no {name} to save")
    for part in ("data", "indices", "indptr"):
        np.save(tmp / f"{name}.{part}.npy", np.asarray(getattr(matrix, part)), allow_pickle=False)


def manifest(entry: Path) -> dict[str, Any] | None:
    """The entry's manifest, or None when it is missing, unreadable or of another format."""
    try:
        found = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
    except _LOAD_ERRORS:
        return None
    ok = isinstance(found, dict) and found.get("format") == FORMAT_VERSION
    return found if ok else None


def entries(folder: Path) -> list[Path]:
    """The complete entries of the cache folder, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")]
    found = [p for p in found if (p / _MANIFEST).is_file()]
    return sorted(found, key=lambda p: (p / _MANIFEST).stat().st_mtime, reverse=True)


def load(entry: Path, key: dict[str, Any] | None = None) -> CorpusIndex | None:
    """The index stored in `entry` (arrays memory-mapped), or None if it is unusable.

    With `key`, the entry must have been written for exactly that key.
    """
    meta = manifest(entry)
    if meta is None or (key is not None and meta.get("key") != key):
        return None
    try:
        if not _sizes_match(entry, meta["sizes"]):
            return None
        index = _read_entry(entry, meta)
    except _LOAD_ERRORS:
        return None
    return index if _consistent(index) else None


def _sizes_match(entry: Path, sizes: dict[str, int]) -> bool:
    return all((entry / name).stat().st_size == size for name, size in sizes.items())


def _read_entry(entry: Path, meta: dict[str, Any]) -> CorpusIndex:
    ids, titles = _load_strings(entry, "post_ids"), _load_strings(entry, "post_titles")
    posts, position, dated = lazy_parts(ids, titles, _load_strings(entry, "post_dates"))
    index = CorpusIndex(posts=posts, reference_posts=int(meta["reference_posts"]))
    index.position, index.dated_dates = position, dated
    words = _load_strings(entry, "vocab").all()
    index.vocab = dict(zip(words, range(len(words)), strict=True))
    for name in _ARRAYS:
        setattr(index, name, np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False))
    if meta["tfidf"]:
        index.transformer = IdfWeights(np.load(entry / "idf.npy", allow_pickle=False))
        width = len(index.tfidf_columns)
        index.matrix = _load_sparse(entry, "matrix", (len(index.posts), width))
        index.counts = _load_sparse(entry, "counts", (len(index.posts), width))
    return index


def _load_sparse(entry: Path, name: str, shape: tuple[int, int]) -> sparse.csr_matrix:
    data, indices, indptr = (
        np.load(entry / f"{name}.{part}.npy", mmap_mode="r", allow_pickle=False)
        for part in ("data", "indices", "indptr")
    )
    if len(indptr) != shape[0] + 1 or len(data) != len(indices) or int(indptr[-1]) != len(data):
        raise ValueError(f"{name}: inconsistent sparse arrays")
    return sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)


def _consistent(index: CorpusIndex) -> bool:
    """Cheap structural checks: lengths and dtypes that every lookup relies on."""
    n, words = len(index.posts), len(index.vocab)
    checks = [
        index.is_content.dtype == np.bool_ and len(index.is_content) == words,
        index.gram_hashes.dtype == np.uint64 and index.postings.dtype == np.int64,
        index.column_of.dtype == np.int64 and len(index.column_of) == words + 1,
        len(index.window_sq_norm) in (1, n + 1),
        not len(index.postings) or int(index.postings[-1]) < len(index.gram_hashes) * (n + 1),
        index.transformer is None or len(index.transformer.idf_) == len(index.tfidf_columns),
    ]
    return all(checks)


def prune(folder: Path, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` entries and temporary folders older than an hour."""
    for old in entries(folder)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in folder.glob(".tmp-*"):
        try:
            if time.time() - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            continue
