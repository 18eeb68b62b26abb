"""Streamed WordPress export: items read one at a time with defusedxml's iterparse, each
element cleared once read, so memory does not grow with the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from desktop_app.core.ingest.base import ImportOptions, IngestError
from desktop_app.core.ingest.stream import (
    CountingReader,
    ItemStream,
    RawItem,
    StreamContext,
    fingerprint,
    options_key,
    over_cap,
)
from desktop_app.core.ingest.textio import check_size
from desktop_app.core.ingest.wxr import WP, author_login, item_fields, item_key, item_label, wanted
from desktop_app.core.ingest.xmlsafe import REFUSED, local_name

_CHANNEL_DEPTH = 2  # <rss><channel>
_ITEM_DEPTH = 3  # <rss><channel><item>


def _size(fields: dict[str, object]) -> int:
    """Characters of an item's text fields (its title, content and terms)."""
    terms = fields["terms"]
    assert isinstance(terms, list)
    return (
        len(str(fields["content"]))
        + len(str(fields["title"]))
        + sum(len(text or "") for text, _ in terms)
    )


class _Items:
    """The state of one streamed read: depth, authors, keys seen, items read."""

    def __init__(self, path: Path, options: ImportOptions) -> None:
        self.path = path
        self.options = options
        self.opts = options_key(options)
        self.logins: dict[str, str] = {}
        self.seen: set[str] = set()
        self.number = 0
        self.found_channel = False

    def item(self, element: Element) -> RawItem | str | None:
        """The raw item (or an over-cap warning) of one <item>; None when not wanted."""
        if not wanted(element, self.options):
            return None
        self.number += 1
        fields = item_fields(element, self.logins)
        label = item_label(element)
        size = _size(fields)
        if size > self.options.max_item_bytes:
            return over_cap(label, size, self.options.max_item_bytes)
        key = item_key(element, self.seen)
        return RawItem(self.number, label, key, fields, fingerprint("wxr", self.opts, key, fields))

    def child_of_channel(self, element: Element) -> RawItem | str | None:
        """Handle one finished child of <channel>: an author is remembered, an item read."""
        tag = element.tag if isinstance(element.tag, str) else ""
        name = local_name(tag)
        if name == "author" and WP in tag:
            pair = author_login(element)
            if pair:
                self.logins[pair[0]] = pair[1]
        elif name == "item":
            return self.item(element)
        return None


def _events(source: CountingReader) -> Iterator[tuple[str, Element]]:
    """iterparse's (event, element) pairs; IngestError for entity tricks or malformed XML."""
    try:
        yield from SafeET.iterparse(source, events=("start", "end"))
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(f"{REFUSED} ({type(exc).__name__})") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0].strip() or "syntax error"
        raise IngestError(f"malformed XML (line {line}, column {column}: {reason})") from exc


def _walk(source: CountingReader, state: _Items) -> Iterator[RawItem | str]:
    """Raw items in file order; every finished element below <channel> is dropped at once."""
    depth = 0
    channel: Element | None = None
    for event, element in _events(source):
        if event == "start":
            depth += 1
            if depth == _CHANNEL_DEPTH and element.tag == "channel" and not state.found_channel:
                channel, state.found_channel = element, True
            continue
        depth -= 1
        if depth == _ITEM_DEPTH - 1 and channel is not None and element is not channel:
            found = state.child_of_channel(element)
            channel.remove(element)
            if found is not None:
                yield found
        elif depth == _CHANNEL_DEPTH - 1 and element is not channel:
            element.clear()  # another child of the root: never read
        elif element is channel:
            channel = None
    if not state.found_channel:
        raise IngestError("not a WordPress export (no <channel>)")


def stream_wxr(path: Path, options: ImportOptions) -> ItemStream:
    """Open a WordPress export for a streamed import (items are read lazily)."""
    size = check_size(path, options.max_stream_file_bytes)
    if size == 0:
        raise IngestError("empty file")
    source = CountingReader(path.open("rb"))
    items = _walk(source, _Items(path, options))
    context = StreamContext("wxr", path, options)
    return ItemStream(context, size, items, lambda: source.count, [source.close])
