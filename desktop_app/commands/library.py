"""CLI commands over the history itself: import, posts, library, remove."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.commands import tables
from desktop_app.commands.argtypes import file_size_mb, fts5_query, iso_date, positive_int
from desktop_app.commands.common import CommandError, guarded, open_db, print_json, settings
from desktop_app.core.history import library_rows as rows
from desktop_app.core.history.repository import PostFilter, list_posts, remove_posts
from desktop_app.core.importer import FileReport, StreamProgress, import_paths
from desktop_app.core.ingest.base import ImportOptions
from desktop_app.core.ingest.fields import parse_field_map
from desktop_app.core.messages import printable


def _progress(done: int, total: int, path: Path) -> None:
    if not sys.stderr.isatty() and done != total:
        return
    width = 30
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    print(f"\r[{bar}] {done}/{total} files", end="" if done < total else "\n", file=sys.stderr)


class _RowProgress:
    """Rows and bytes of a streamed file (CSV, WXR): a live line on a terminal, else a line
    at each tenth of a file of 1 MB or more."""

    def __init__(self) -> None:
        self.shown: tuple[Path, int] | None = None

    def __call__(self, done: StreamProgress) -> None:
        share = done.bytes_read / done.total_bytes if done.total_bytes else 1.0
        line = (
            f"{printable(done.path.name)}: {done.rows:,} rows read, {share:.0%} of "
            f"{done.total_bytes / (1024 * 1024):,.1f} MB"
        )
        if sys.stderr.isatty():
            print(f"\r{line}\x1b[K", end="", file=sys.stderr, flush=True)
            return
        step = (done.path, int(share * 10))
        if done.total_bytes >= 1024 * 1024 and step != self.shown:
            self.shown = step
            print(line, file=sys.stderr, flush=True)


def _parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        field_name, _, header = item.partition("=")
        if not header:
            raise argparse.ArgumentTypeError(f"--csv-column expects FIELD=HEADER, got {item!r}")
        mapping[field_name.strip()] = header.strip()
    return mapping


def _field_map(saved: dict[str, str], items: list[str]) -> dict[str, str]:
    """The saved front-matter mapping, overridden by --field options."""
    try:
        return {**parse_field_map(f"{k}={v}" for k, v in saved.items()), **parse_field_map(items)}
    except ValueError as exc:
        raise CommandError(f"--field: {exc}") from exc


@guarded
def cmd_import(args: argparse.Namespace) -> int:
    """Import files/folders into the history and print per-file outcomes and a summary."""
    user = settings()
    options = ImportOptions.from_settings(
        user,
        max_file_bytes=int(args.max_mb * 1024 * 1024) if args.max_mb else user.max_file_bytes,
        ai_tag=args.ai_tag or user.ai_tag or None,
        include_pages=args.include_pages,
        include_drafts=args.include_drafts,
        include_private=args.include_private,
        csv_columns=_parse_mapping(args.csv_column or []),
        field_map=_field_map(user.front_matter_fields, args.field or []),
    )
    db = open_db(args, create=True)

    def show(file_report: FileReport) -> None:
        if args.verbose or file_report.status in ("skipped", "partial") or file_report.warnings:
            print(file_report.line(), flush=True)

    report = import_paths(
        db, [Path(p) for p in args.paths], options, progress=_progress, on_file=show,
        on_rows=_RowProgress(),
    )  # fmt: skip
    print(report.summary_line())
    return 1 if report.failed else 0


def _post_json(post: Any, with_text: bool) -> dict[str, Any]:
    data = asdict(post)
    if not with_text:
        data.pop("text")
    return data


@guarded
def cmd_posts(args: argparse.Namespace) -> int:
    """List posts with filters, as a table or JSON."""
    flt = PostFilter(
        date_from=date.fromisoformat(args.since) if args.since else None,
        date_to=date.fromisoformat(args.until) if args.until else None,
        author=args.author,
        tag=args.tag,
        search=args.search,
        stemmed=args.stem or settings().search_stemming,
        limit=args.limit,
    )
    posts = list_posts(open_db(args), flt)
    if args.json:
        print_json([_post_json(p, args.text) for p in posts])
        return 0
    print("\n".join(printable(line) for line in tables.posts_table(posts)))
    print(f"{len(posts)} post(s)", file=sys.stderr)
    return 0


_AI_CHOICES = {"yes": True, "no": False}


@guarded
def cmd_library(args: argparse.Namespace) -> int:
    """The Library table as the app shows it: newest first, with the chosen metric values."""
    columns = list(dict.fromkeys(args.metric or [tables.FRESHNESS]))
    metrics = [m for m in columns if m != tables.FRESHNESS]
    _require_known_metrics(metrics)
    query = rows.RowQuery(args.search or "", _AI_CHOICES.get(args.ai or ""), args.tag or "",
                          args.author or "", args.stem or settings().search_stemming)  # fmt: skip
    db = open_db(args)
    found = _with_freshness(db, rows.load_rows(db, metrics, query), columns)
    if args.json:
        print_json([_library_json(row, columns) for row in found])
        return 0
    print(
        "\n".join(
            printable(line) for line in tables.library_table(found, columns, rows.METRICS_START)
        )
    )
    print(f"{len(found)} post(s)", file=sys.stderr)
    return 0


def _with_freshness(db: Any, found: list[list[Any]], columns: list[str]) -> list[list[Any]]:
    """Rows with the freshness value put where it stands in `columns`."""
    if tables.FRESHNESS not in columns:
        return found
    scores = tables.freshness_by_post(db, settings())
    at = rows.METRICS_START + columns.index(tables.FRESHNESS)
    return [[*row[:at], scores.get(row[rows.ID]), *row[at:]] for row in found]


def _require_known_metrics(names: list[str]) -> None:
    if not names:
        return
    from desktop_app.core.metrics.registry import REGISTRY  # imports spaCy: only when needed

    unknown = [m for m in names if m not in REGISTRY]
    if unknown:
        known = ", ".join(sorted(REGISTRY))
        raise CommandError(f"unknown metric(s): {', '.join(unknown)}; known: {known}")


def _library_json(row: list[Any], metrics: list[str]) -> dict[str, Any]:
    return {
        "id": row[rows.ID], "title": row[rows.TITLE], "published": row[rows.PUBLISHED],
        "authors": row[rows.AUTHORS], "tags": row[rows.TAGS], "ai_assisted": row[rows.AI],
        "word_count": row[rows.WORDS],
        "metrics": dict(zip(metrics, row[rows.METRICS_START :], strict=True)),
    }  # fmt: skip


@guarded
def cmd_remove(args: argparse.Namespace) -> int:
    """Remove posts by id."""
    removed = remove_posts(open_db(args), args.ids)
    print(f"removed {removed} post(s)")
    return 0 if removed == len(args.ids) else 1


_SEARCH_HELP = (
    'words to find in title or text: exact words, word* for a prefix, "a phrase" for a phrase'
)
_STEM_HELP = "search also matches other forms of each word (setting: search_stemming)"


def register(sub: Any) -> None:
    """Add import/posts/library/remove to the CLI."""
    p = sub.add_parser("import", help="import files or folders into the history")
    p.add_argument("paths", nargs="+", help="files or folders (md, html, txt, docx, xml, rss, csv)")
    p.add_argument("--ai-tag", help="tag/category that marks a post as AI-assisted")
    p.add_argument("--max-mb", type=file_size_mb,
                   help="skip files larger than this (MB); CSV and WXR files are streamed and "
                        "capped per row instead (the max_row_mb setting)")  # fmt: skip
    p.add_argument(
        "--include-pages",
        action="store_true",
        help="also import pages, not only posts: WordPress pages, section/listing pages "
        "(Hugo _index.md, an index.md of links, list layouts) and undated near-empty pages",
    )
    p.add_argument("--include-drafts", action="store_true", help="WXR: also import drafts")
    p.add_argument("--include-private", action="store_true", help="WXR: also import private posts")
    p.add_argument(
        "--csv-column",
        action="append",
        metavar="FIELD=HEADER",
        help="CSV: map a field (title, date, author, text, url, tags, ai_assisted) to a header",
    )
    p.add_argument(
        "--field",
        action="append",
        metavar="FIELD=KEY",
        help="front matter: read a field (author, date, tags, ai_assisted) from KEY first "
        "(e.g. author=writer; the setting front_matter_fields holds saved mappings)",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,  # the global -v (before the subcommand) is kept
        help="print every file's outcome",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("posts", help="list posts in the history")
    p.add_argument("--since", type=iso_date, help="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="YYYY-MM-DD")
    p.add_argument("--author")
    p.add_argument("--tag")
    p.add_argument("--search", type=fts5_query, help=_SEARCH_HELP)
    p.add_argument("--stem", action="store_true", help=_STEM_HELP)
    p.add_argument("--limit", type=positive_int)
    p.add_argument("--text", action="store_true", help="include the text in --json output")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_posts)

    p = sub.add_parser("library", help="the Library table: posts with chosen metric values")
    p.add_argument("--search", help=_SEARCH_HELP)
    p.add_argument("--stem", action="store_true", help=_STEM_HELP)
    p.add_argument("--tag")
    p.add_argument("--author")
    p.add_argument("--ai", choices=sorted(_AI_CHOICES), help="only AI-assisted (yes) or not (no)")
    p.add_argument(
        "--metric",
        action="append",
        default=[],
        help="a column to show (repeat): a metric name or 'freshness' (default: freshness)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_library)

    p = sub.add_parser("remove", help="remove posts by id")
    p.add_argument("ids", nargs="+")
    p.set_defaults(func=cmd_remove)
