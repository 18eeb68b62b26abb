"""The dispatcher: which importer reads a file (extension + content sniffing), folder discovery,
and reading one file to check it."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError, NotAPost
from desktop_app.core.ingest.csvfile import read_csv, stream_csv
from desktop_app.core.ingest.feed import read_feed
from desktop_app.core.ingest.html import read_html
from desktop_app.core.ingest.markdown import read_markdown, read_plain_text
from desktop_app.core.ingest.stream import ItemStream
from desktop_app.core.ingest.word import read_docx
from desktop_app.core.ingest.wxr import is_wxr, read_wxr
from desktop_app.core.ingest.wxrstream import stream_wxr
from desktop_app.core.records import Post

Reader = Callable[[Path, ImportOptions], FileOutcome]

MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx"})
TEXT = frozenset({".txt", ".text"})
HTML = frozenset({".html", ".htm", ".xhtml"})
XML = frozenset({".xml", ".rss", ".atom", ".wxr"})
IMPORTABLE = MARKDOWN | TEXT | HTML | XML | {".docx", ".csv"}
#: File names (without extension, upper-cased) that are repository furniture, not posts.
FURNITURE = frozenset(
    {
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "CHANGELOG",
        "CONTRIBUTING",
        "CODE_OF_CONDUCT",
        "AUTHORS",
        "SECURITY",
    }
)
_SNIFF_BYTES = 4096


def _is_post_file(path: Path) -> bool:
    return (
        path.suffix.lower() in IMPORTABLE
        and not path.name.startswith(".")
        and path.stem.upper() not in FURNITURE
    )


def _walk(folder: Path) -> list[Path]:
    """Importable files under a folder, sorted; hidden folders skipped; symlink loops cut."""
    found: list[Path] = []
    visited: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in files if _is_post_file(Path(root) / f))
    return sorted(found)


def discover_files(paths: list[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to import under the given files/folders, and outcomes for paths that do not exist."""
    files: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            files.extend(_walk(path))
        elif path.exists() or path.is_symlink():
            files.append(path)  # read_file names the problem (not a regular file, broken link)
        else:
            problems.append(FileOutcome(path, error="no such file or folder"))
    return list(dict.fromkeys(files)), problems


def _sniff(path: Path, options: ImportOptions) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _xml_reader(path: Path, options: ImportOptions) -> FileOutcome:
    """WXR when the WordPress namespace is declared near the top, else an RSS/Atom feed."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    return read_wxr(path, options) if is_wxr(head) else read_feed(path, options)


def _reader_for(path: Path, options: ImportOptions) -> Reader:
    suffix = path.suffix.lower()
    head = _sniff(path, options)
    if suffix == ".docx" or head.startswith(b"PK\x03\x04"):
        return read_docx
    if suffix in XML or (head.startswith(b"<?xml") and b"<html" not in head.lower()):
        return _xml_reader
    if suffix in HTML or head.lower().startswith((b"<!doctype html", b"<html")):
        return read_html
    if suffix == ".csv":
        return read_csv
    if suffix in MARKDOWN:
        return read_markdown
    if suffix in TEXT:
        return read_plain_text
    raise IngestError(f"unsupported file type '{suffix or path.name}'")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _require_regular_file(path: Path) -> None:
    """IngestError unless `path` is a regular file (a FIFO would block a read forever)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise IngestError("broken symbolic link (its target does not exist)") from exc
        raise IngestError("file not found (moved or deleted before it could be read)") from exc
    if stat.S_ISDIR(mode):
        raise IngestError("is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise IngestError(f"not a regular file ({_special_kind(mode)})")


def read_file(path: Path, options: ImportOptions) -> FileOutcome:
    """Read one file into posts; never raises: problems become FileOutcome.error."""
    try:
        _require_regular_file(path)
        return _reader_for(path, options)(path, options)
    except NotAPost as exc:
        return FileOutcome(path, error=str(exc), not_a_post=True)
    except IngestError as exc:
        return FileOutcome(path, error=str(exc))
    except OSError as exc:
        return FileOutcome(path, error=f"cannot read file ({exc.strerror or exc})")
    except RecursionError:
        return FileOutcome(path, error="too deeply nested to read")
    except MemoryError:
        return FileOutcome(path, error="out of memory while reading")
    except Exception as exc:
        return FileOutcome(path, error=f"unexpected error ({type(exc).__name__}: {exc})")


def open_stream(path: Path, options: ImportOptions) -> ItemStream | None:
    """A CSV or WordPress export opened for a streamed import, None for the formats read
    whole; IngestError (or OSError) when it cannot be opened (the caller names the file)."""
    _require_regular_file(path)
    reader = _reader_for(path, options)
    if reader is read_csv:
        return stream_csv(path, options)
    if reader is _xml_reader:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
        return stream_wxr(path, options) if is_wxr(head) else None
    return None


def read_for_check(path: Path, options: ImportOptions) -> list[Post]:
    """The posts of one file a user chose to check (a draft, dropped or opened).

    Read as an import reads it, with `options` (from the settings: size cap, field mapping,
    date range), except that a page, a draft or a private post is read too: the user chose this
    file. Raises IngestError "<file name>: <reason>" when it cannot be read or holds no text.
    """
    check = replace(options, include_pages=True, include_drafts=True, include_private=True)
    outcome = read_file(path, check)
    if not outcome.ok:
        raise IngestError(f"{path.name}: {outcome.error}")
    if not outcome.posts:
        raise IngestError(f"{path.name}: no text found")
    return outcome.posts
