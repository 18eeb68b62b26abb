"""Reading files safely: size cap, binary refusal and encoding detection (BOM, UTF-8, cp1252)."""

from __future__ import annotations

import codecs
from pathlib import Path

from desktop_app.core.ingest.base import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, refusing one larger than max_bytes without reading it all."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                f"file too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise IngestError(f"file too large (more than {_megabytes(max_bytes)})")
    return data


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mark a binary file."""
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in sample or bad > max(2, len(sample) // 100)


def decode_text(data: bytes) -> str:
    """Decode bytes as text (BOM, UTF-8, else cp1252); refuse binary data with IngestError."""
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" in data[:8192]:
        raise IngestError("binary file (contains NUL bytes), not text")
    try:
        if encoding:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot decode text ({exc.reason})") from exc
    text = text.lstrip("\ufeff")
    if _looks_binary(text):
        raise IngestError("binary file (control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, max_bytes: int) -> str:
    """Read and decode a text file under the size cap."""
    return decode_text(read_bytes(path, max_bytes))


def check_size(path: Path, max_bytes: int | None) -> int:
    """The file's size; IngestError when it is over `max_bytes` (None: no cap)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})") from exc
    if max_bytes is not None and size > max_bytes:
        raise IngestError(
            f"file too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})"
        )
    return size


def _is_utf8(path: Path) -> bool:
    """True when the whole file decodes as UTF-8 (read in 1 MB blocks, nothing kept)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def stream_encoding(path: Path) -> str:
    """The encoding `decode_text` would choose for the whole file, found without holding it:
    BOM, else UTF-8 when all of it decodes, else cp1252; IngestError for binary or empty files."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    encoding = _bom_encoding(head)
    if encoding is None and b"\x00" in head:
        raise IngestError("binary file (contains NUL bytes), not text")
    encoding = encoding or ("utf-8" if _is_utf8(path) else "cp1252")
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(head)
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot decode text ({exc.reason})") from exc
    if not text.strip(" \t\r\n\ufeff") and path.stat().st_size <= len(head):
        raise IngestError("empty file")
    if _looks_binary(text.lstrip("\ufeff")):
        raise IngestError("binary file (control characters), not text")
    return encoding
