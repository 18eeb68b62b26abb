"""Word .docx importer (python-docx): paragraphs as prose, headings and list items as sentences."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.text.paragraph import Paragraph
from lxml import etree

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import FileOutcome, ImportOptions, IngestError
from desktop_app.core.ingest.build import Draft, ai_from, finish, source_of
from desktop_app.core.ingest.markup import sentence
from desktop_app.core.ingest.meta import as_list
from desktop_app.core.ingest.textio import read_bytes

#: Refuse archives that inflate to more than this many times the file-size cap (zip bombs).
MAX_INFLATE_RATIO = 10
#: Author names that are tool defaults, not people.
_TOOL_AUTHORS = {"python-docx", "microsoft office user", "unknown", "author"}
#: What python-docx raises on a broken package (bad parts, CRC errors, unexpected XML).
_BROKEN = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
    NotImplementedError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    etree.LxmlError,
)


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
#: What python-docx's Paragraph.text reads: the text-bearing children of the paragraph's runs
#: and of the runs inside its hyperlinks, in document order (each str() is its text).
_RUN_PIECES = ("w:br", "w:cr", "w:noBreakHyphen", "w:ptab", "w:t", "w:tab")
_TEXT_PIECES = etree.XPath(
    " | ".join(f"{run}/{piece}" for run in ("w:r", "w:hyperlink/w:r") for piece in _RUN_PIECES),
    namespaces=_W,
)
_STYLE_ID = etree.XPath("w:pPr[1]/w:pStyle[1]/@w:val", namespaces=_W)
#: python-docx's ValueError for a package whose main part is not a Word document.
_WRONG_TYPE = re.compile(r"is not a Word file, content type is '([^']*)'")
_ENCRYPTED = 0x1  # zip general-purpose flag bit 0: the member is encrypted


def _verify_members(archive: zipfile.ZipFile) -> None:
    """Inflate every member in small chunks: a size header that lies fails its CRC check here.

    zipfile's read() of a whole member inflates the entire stream before trimming it to the
    declared size, so a 1 MB member claiming 200 bytes could allocate gigabytes in python-docx.
    """
    for info in archive.infolist():
        if info.flag_bits & _ENCRYPTED:
            raise IngestError("refused: the Word document is encrypted (password-protected)")
        with archive.open(info) as member:
            while member.read(1 << 16):
                pass


def _check_archive(data: bytes, max_bytes: int) -> None:
    """Refuse corrupt archives, archives without a document, and zip bombs (declared or lying)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise IngestError("not a valid Word document (no word/document.xml)")
            if sum(info.file_size for info in archive.infolist()) > MAX_INFLATE_RATIO * max_bytes:
                raise IngestError("refused: the Word document inflates to an excessive size")
            _verify_members(archive)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise IngestError(f"not a valid Word document (corrupt archive: {exc})") from exc
    except zlib.error as exc:
        raise IngestError(f"not a valid Word document (corrupt archive: {exc})") from exc


def _paragraph_reader(document: docx.document.Document) -> Callable[[Paragraph], tuple[str, str]]:
    """(text, style name) of a paragraph, in microseconds rather than milliseconds.

    `Paragraph.style` re-reads the styles part on every call and `Paragraph.text` builds an
    XPath per run, so a document of a million tiny paragraphs took many minutes. The same
    answers come from two precompiled XPaths and one style lookup per style id.
    """
    names: dict[str | None, str] = {}

    def read(para: Paragraph) -> tuple[str, str]:
        element = para._p
        ids = _STYLE_ID(element)
        style_id = str(ids[0]) if ids else None
        if style_id not in names:
            style = document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
            names[style_id] = (style.name if style is not None else "") or ""
        return "".join(str(piece) for piece in _TEXT_PIECES(element)), names[style_id]

    return read


def _prose(document: docx.document.Document) -> tuple[str | None, str]:
    """(title from a Title/Heading 1 paragraph, prose)."""
    title: str | None = None
    blocks: list[str] = []
    read = _paragraph_reader(document)
    for para in document.paragraphs:
        raw, style = read(para)
        text = " ".join(raw.split())
        if not text:
            continue
        if title is None and not blocks and style in ("Title", "Heading 1"):
            title = text
            continue
        label = style.startswith(("Heading", "List", "Title", "Caption"))
        blocks.append(sentence(text) if label else text)
    return title, "\n\n".join(blocks)


def _broken_reason(exc: Exception) -> str:
    """Why python-docx refused the file, in words (its own message names a BytesIO object)."""
    wrong_type = _WRONG_TYPE.search(str(exc)) if isinstance(exc, ValueError) else None
    if wrong_type and "macroEnabled" in wrong_type.group(1):
        return (
            "a macro-enabled Word document (.docm) named .docx; macros are never run here: "
            "save it as a plain .docx to import it"
        )
    if wrong_type:
        return f"not a Word document (its content type is {wrong_type.group(1)})"
    return f"not a valid Word document ({exc or type(exc).__name__})"


def read_docx(path: Path, options: ImportOptions) -> FileOutcome:
    """One post from a .docx file."""
    data = read_bytes(path, options.max_file_bytes)
    if not data:
        raise IngestError("empty file")
    _check_archive(data, options.max_file_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        title, prose = _prose(document)
        props = document.core_properties
    except _BROKEN as exc:
        raise IngestError(_broken_reason(exc)) from exc
    if not prose:
        raise IngestError("no text found in the Word document")
    author = props.author if (props.author or "").lower() not in _TOOL_AUTHORS else None
    tags = as_list(props.keywords) + as_list(props.category)
    draft = Draft(
        text=prose,
        source=source_of(path),
        path=path,
        title=props.title or title,
        authors=parse_authors(author),
        tags=tags,
        ai_assisted=ai_from({}, tags, options),
        date_range=options.date_range,
    )
    outcome = FileOutcome(path)
    outcome.posts.append(finish(draft, outcome.warnings))
    return outcome
