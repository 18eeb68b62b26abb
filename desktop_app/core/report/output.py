"""Write report files atomically, never clobbering an existing report without force."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

FORMATS = ("pdf", "html", "csv")


#: First characters a spreadsheet reads as the start of a formula (OWASP CSV injection guidance).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value safe for a spreadsheet: text that could start a formula gets a leading `'`.

    Numbers (including negative ones) are left as numbers; None becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class OutputExistsError(Exception):
    """A report file exists already and force was not given."""


def parse_formats(text: str) -> list[str]:
    """'pdf,html' -> ['pdf', 'html']; ValueError naming an unknown format."""
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [c for c in chosen if c not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown format(s) {', '.join(unknown) or text!r}; use {','.join(FORMATS)}"
        )
    return list(dict.fromkeys(chosen))


def target_files(out_dir: Path, quarter: str, formats: Iterable[str]) -> dict[str, list[Path]]:
    """The files each format writes."""
    stem = out_dir / f"content-drift-{quarter}"
    files = {
        "pdf": [stem.with_suffix(".pdf")],
        "html": [stem.with_suffix(".html")],
        "csv": [out_dir / f"content-drift-{quarter}-posts.csv",
                out_dir / f"content-drift-{quarter}-series.csv"],
    }  # fmt: skip
    return {fmt: files[fmt] for fmt in formats}


def check_clobber(paths: Iterable[Path], force: bool) -> None:
    """OutputExistsError listing the files that exist, unless force."""
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise OutputExistsError(
            f"report file(s) already exist: {', '.join(existing)}; use --force to overwrite"
        )


def write_atomic(path: Path, produce: Callable[[Path], object]) -> None:
    """Let `produce` write a temp file in the same folder, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        produce(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))
