"""Cleaning the raw rows of a streamed file into posts: a pure function of the rows and the
context, so worker processes give what this process gives."""

from __future__ import annotations

from desktop_app.core.ingest.base import IngestError
from desktop_app.core.ingest.csvfile import csv_row_post
from desktop_app.core.ingest.stream import Cleaned, RawItem, StreamContext
from desktop_app.core.ingest.wxr import wxr_item_post


def clean_items(context: StreamContext, items: list[RawItem]) -> list[Cleaned]:
    """Clean raw items into posts, in order (runs in a worker process for big files)."""
    clean = csv_row_post if context.kind == "csv" else wxr_item_post
    out: list[Cleaned] = []
    for item in items:
        warnings: list[str] = []
        try:
            post = clean(item.fields, item.label, item.key, context.path, context.options, warnings)
        except IngestError as exc:  # e.g. nested too deeply: this row only
            post, warnings = None, [*warnings, f"{item.label}: {exc}: skipped"]
        except (RecursionError, ValueError, TypeError) as exc:
            post, warnings = None, [*warnings, f"{item.label}: cannot be read ({exc}): skipped"]
        out.append(
            Cleaned(post, warnings, post.id, post.word_count) if post else Cleaned(None, warnings)
        )
    return out
