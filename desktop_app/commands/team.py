"""CLI commands for team work: team connect/list/switch/conflicts, sync, label,
export-team and merge (docs/team.md)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop_app.commands.common import (
    CommandError,
    db_path,
    guarded,
    open_db,
    print_json,
    settings,
)
from desktop_app.core.history.repository import get_post, set_ai_assisted
from desktop_app.core.team import registry
from desktop_app.core.team.local import get_state, known_value, save_team_settings
from desktop_app.core.team.mergefile import MergeFileError, export_team, merge_file
from desktop_app.core.team.model import TEAM_SETTING_KEYS
from desktop_app.core.team.pg_store import TeamStoreError, list_histories, open_store
from desktop_app.core.team.secrets import (
    ConnectionSpecError,
    parse_spec,
    spec_from_conninfo,
    store_password,
)
from desktop_app.core.team.sync import SyncError, link, sync

_LABELS = {"yes": True, "no": False, "clear": None}


@guarded
def cmd_connect(args: argparse.Namespace) -> int:
    """Create or join a team history on a PostgreSQL server and link this history to it."""
    try:
        spec, password = parse_spec(args.url, verify_cert=args.verify_cert)
    except ConnectionSpecError as exc:
        raise CommandError(f"team connect: {exc}") from exc
    db = open_db(args, create=True)
    try:
        writer = link(db, spec, args.team, create=not args.join, password=password)
    except SyncError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.conn.close()
    if password and not store_password(spec, password):
        print("note: no OS keyring here, so the password was not kept; put it in your "
              "pgpass file (see docs/team.md) for the next sync")  # fmt: skip
    registry.remember(args.team, db_path(args), spec.conninfo, args.team)
    role = "editor" if writer else "read-only viewer"
    print(f"connected {db_path(args)} to team history {args.team!r} on {spec.conninfo} "
          f"as {role}; run `content-drift sync`")  # fmt: skip
    return 0


@guarded
def cmd_sync(args: argparse.Namespace) -> int:
    """Send this history's team changes and receive everyone else's."""
    db = open_db(args)

    def progress(stage: str, done: int, total: int | None) -> None:
        if args.verbose:
            print(f"{stage}: {done}/{total if total is not None else '?'}", flush=True)

    try:
        report = sync(db, settings(), progress)
    except SyncError as exc:
        raise CommandError(f"sync: {exc}") from exc
    if args.json:
        print_json({**asdict(report), "line": report.line()})
    else:
        print(report.line())
    return 0


@guarded
def cmd_list(args: argparse.Namespace) -> int:
    """List the histories this laptop knows."""
    if args.server:
        return _list_server(args)
    known = registry.known_histories()
    if args.json:
        print_json([{**asdict(h), "db": str(h.db)} for h in known])
        return 0
    for h in known:
        where = f"team {h.team!r} on {h.server}" if h.server else "local only"
        print(f"{'*' if h.active else ' '} {h.name}: {h.db} ({where})")
    return 0


def _list_server(args: argparse.Namespace) -> int:
    db = open_db(args)
    server = get_state(db, "server")
    if not server:
        raise CommandError("this history is not connected to a team server")
    try:
        with open_store(spec_from_conninfo(server)) as conn:
            names = list_histories(conn)
    except TeamStoreError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(names)
    else:
        print("\n".join(names) or "no team histories on this server")
    return 0


@guarded
def cmd_switch(args: argparse.Namespace) -> int:
    """Open another known history from now on (its team settings come with it)."""
    try:
        chosen = registry.switch(args.name)
    except KeyError as exc:
        names = ", ".join(h.name for h in registry.known_histories())
        raise CommandError(f"no history named {args.name!r} (known: {names})") from exc
    if chosen.db.exists():
        args.db = str(chosen.db)
        db = open_db(args)
        values = {k: v.value for k in TEAM_SETTING_KEYS if (v := known_value(db, "setting", k))}
        save_team_settings(values)
    print(f"now using {chosen.name}: {chosen.db}")
    return 0


@guarded
def cmd_conflicts(args: argparse.Namespace) -> int:
    """Changes that were overruled by a later change from another laptop."""
    db = open_db(args)
    rows = db.execute(
        "select kind, key, winner_value, winner_laptop, winner_at, loser_value, loser_laptop, "
        "loser_at from team_conflicts order by id"
    ).fetchall()
    if args.json:
        keys = ("kind", "key", "winner_value", "winner_laptop", "winner_at", "loser_value",
                "loser_laptop", "loser_at")  # fmt: skip
        print_json([dict(zip(keys, r, strict=True)) for r in rows])
        return 0
    for kind, key, win, win_by, win_at, lose, lose_by, lose_at in rows:
        what = "AI-assisted" if kind == "label" else key
        post = f" (post {key})" if kind == "label" else ""
        print(f"{what}{post} = {_shown(lose)}, set on {lose_by} at {lose_at[:16]}; "
              f"overruled by {_shown(win)} from {win_by} at {win_at[:16]}")  # fmt: skip
    if not rows:
        print("no overruled changes")
    return 0


def _shown(value: str) -> str:
    data: Any = json.loads(value)
    return (
        {True: "yes", False: "no", None: "not set"}.get(data, value)
        if not isinstance(data, list | dict)
        else value
    )


@guarded
def cmd_label(args: argparse.Namespace) -> int:
    """Set or clear a post's AI-assisted label by hand (a team label)."""
    db = open_db(args)
    if get_post(db, args.id) is None:
        raise CommandError(f"no post with id {args.id}")
    set_ai_assisted(db, args.id, _LABELS[args.value])
    print(f"{args.id}: AI-assisted = {args.value}")
    return 0


@guarded
def cmd_export(args: argparse.Namespace) -> int:
    """Write this history's team data to a merge file."""
    db = open_db(args)
    summary = export_team(db, Path(args.file), settings())
    print(f"wrote {summary.path}: {summary.posts} post(s), {summary.settings} team setting(s), "
          f"{summary.removals} removal(s)")  # fmt: skip
    return 0


@guarded
def cmd_merge(args: argparse.Namespace) -> int:
    """Merge a merge file into this history (idempotent)."""
    db = open_db(args, create=True)
    try:
        result = merge_file(db, Path(args.file), settings())
    except MergeFileError as exc:
        raise CommandError(str(exc)) from exc
    print(f"merged {args.file}: {result.posts} new post(s), {result.labels} label(s), "
          f"{result.removed} removal(s), {len(result.settings)} team setting(s), "
          f"{result.conflicts} overruled")  # fmt: skip
    return 0


def _register_team(sub: Any) -> None:
    team = sub.add_parser("team", help="team histories: connect, list, switch, conflicts")
    tsub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = tsub.add_parser("connect", help="create or join a team history on a PostgreSQL server")
    p.add_argument("url", help="postgresql://user@host/db (a password here goes to the keyring)")
    p.add_argument("--team", required=True, help="name of the team history on the server")
    p.add_argument("--join", action="store_true", help="only join an existing team history")
    p.add_argument("--verify-cert", action="store_true",
                   help="check the server certificate (sslmode=verify-full)")  # fmt: skip
    p.set_defaults(func=cmd_connect)
    p = tsub.add_parser("list", help="histories this laptop knows")
    p.add_argument("--server", action="store_true",
                   help="the team histories on this history's server instead")  # fmt: skip
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = tsub.add_parser("switch", help="open another known history from now on")
    p.add_argument("name")
    p.set_defaults(func=cmd_switch)
    p = tsub.add_parser("conflicts", help="changes overruled by a later one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts)


def register(sub: Any) -> None:
    """Add team, sync, label, export-team and merge to the CLI."""
    _register_team(sub)
    p = sub.add_parser("sync", help="send and receive team changes (PostgreSQL team store)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)
    p = sub.add_parser("label", help="set a post's AI-assisted label by hand")
    p.add_argument("id", help="post id")
    p.add_argument("value", choices=sorted(_LABELS))
    p.set_defaults(func=cmd_label)
    p = sub.add_parser("export-team", help="write the team data to a merge file")
    p.add_argument("file", help="FILE.jsonl (or .jsonl.gz)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("merge", help="merge a team merge file into this history")
    p.add_argument("file")
    p.set_defaults(func=cmd_merge)
