"""Word .docx importer (python-docx): paragraphs as prose, headings and list items as sentences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
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


def _check_archive(data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(f"not a valid Word document (corrupt archive: {exc})") from exc
    if "word/document.xml" not in names:
        raise IngestError("not a valid Word document (no word/document.xml)")
    if inflated > MAX_INFLATE_RATIO * max_bytes:
        raise IngestError("refused: the Word document inflates to an excessive size")


def _prose(document: docx.document.Document) -> tuple[str | None, str]:
    """(title from a Title/Heading 1 paragraph, prose)."""
    title: str | None = None
    blocks: list[str] = []
    for para in document.paragraphs:
        text = " ".join(para.text.split())
        style = (para.style.name if para.style is not None else "") or ""
        if not text:
            continue
        if title is None and not blocks and style in ("Title", "Heading 1"):
            title = text
            continue
        label = style.startswith(("Heading", "List", "Title", "Caption"))
        blocks.append(sentence(text) if label else text)
    return title, "\n\n".join(blocks)


def read_docx(path: Path, options: ImportOptions) -> FileOutcome:
    """One post from a .docx file."""
    data = read_bytes(path, options.max_file_bytes)
    if not data:
        raise IngestError("empty file")
    _check_archive(data, options.max_file_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise IngestError(f"not a valid Word document ({exc})") from exc
    title, prose = _prose(document)
    if not prose:
        raise IngestError("no text found in the Word document")
    props = document.core_properties
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
    )
    outcome = FileOutcome(path)
    outcome.posts.append(finish(draft, outcome.warnings))
    return outcome
