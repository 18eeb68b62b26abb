"""Safe XML parsing (defusedxml): entity bombs and external entities are refused with a reason."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from desktop_app.core.ingest.base import IngestError

REFUSED = "refused: XML entity expansion/external entity"


def parse_xml(data: bytes) -> Element:
    """Parse XML bytes; IngestError for entity tricks, DTDs with entities, or malformed XML."""
    if not data.strip():
        raise IngestError("empty file")
    try:
        return SafeET.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(f"{REFUSED} ({type(exc).__name__})") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise IngestError(f"malformed XML (line {line}, column {column}: {_reason(exc)})") from exc


def _reason(exc: ParseError) -> str:
    return str(exc).split(":")[0].strip() or "syntax error"


def local_name(tag: str) -> str:
    """Tag name without its {namespace}."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str, namespace_hint: str | None = None) -> str:
    """Text of the first direct child with this local name (and namespace containing a hint)."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if local_name(tag) != name:
            continue
        if namespace_hint and namespace_hint not in tag:
            continue
        return (child.text or "").strip()
    return ""


def children(element: Element, name: str, namespace_hint: str | None = None) -> list[Element]:
    """All direct children with this local name (and namespace containing a hint)."""
    found = []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if local_name(tag) == name and (not namespace_hint or namespace_hint in tag):
            found.append(child)
    return found
