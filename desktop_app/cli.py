"""Headless command line: `content-drift SUBCOMMAND ...` (every core capability has one)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.core import paths

#: Subcommand -> module under desktop_app.commands that defines it (register(subparsers)).
#: Only the module of the command being run is imported, so `import` never pays for spaCy.
COMMANDS = {
    "import": "library",
    "posts": "library",
    "library": "library",
    "remove": "library",
    "analyze": "analysis",
    "check": "analysis",
    "trends": "trends",
    "summary": "trends",
    "glossary": "glossary",
    "report": "report",
    "ai-style": "aistyle",
    "check-batch": "aistyle",
    "team": "team",
    "sync": "team",
    "label": "team",
    "export-team": "team",
    "merge": "team",
}


#: Options that take a value and may stand before the subcommand.
_VALUED_GLOBALS = ("--db", "--home")
EPILOG = """exit codes:
  0  ok
  1  some inputs failed (files that could not be imported, posts that could not be
     analysed) or the command could not run (e.g. no history at the given path)
  2  usage error (unknown command or option, bad value)

global options (--db, --home, -v) may come before or after the subcommand."""


def _requested_command(argv: Sequence[str]) -> str | None:
    args = list(argv)
    for index, arg in enumerate(args):
        if arg in COMMANDS and (index == 0 or args[index - 1] not in _VALUED_GLOBALS):
            return arg
    return None


def _add_globals(parser: argparse.ArgumentParser, top: bool) -> None:
    """--db, --home and -v; on a subcommand they default to 'not given' (keep the top's)."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db", metavar="PATH", default=default, help="history database (default: user data dir)"
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        default=default,
        help=f"keep settings, history and logs under DIR (as ${paths.ENV_HOME} does)",
    )
    if "-v" not in parser._option_string_actions:
        parser.add_argument(
            "-v", "--verbose", action="store_true", default=False if top else argparse.SUPPRESS,
            help="say more (e.g. every file's outcome)",
        )  # fmt: skip


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand, or only the module that defines `command`."""
    parser = argparse.ArgumentParser(
        prog="content-drift",
        description="Measure whether your writing drifts toward generic, AI-flavoured prose.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"content-drift {__version__}")
    _add_globals(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"desktop_app.commands.{name}").register(sub)
    for subparser in sub.choices.values():
        _add_globals(subparser, top=False)
        subparser.epilog = subparser.epilog or EPILOG
        subparser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def run(argv: Sequence[str]) -> int:
    """Parse `argv` and run the subcommand; returns the exit code."""
    parser = build_parser(_requested_command(argv))
    args = parser.parse_args(list(argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.home:
        os.environ[paths.ENV_HOME] = str(Path(args.home).expanduser())
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into e.g. `head`, which closed early: not an error worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
