"""Headless command line: `content-drift SUBCOMMAND ...` (every core capability has one)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from desktop_app import __version__

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
}


def _requested_command(argv: Sequence[str]) -> str | None:
    args = list(argv)
    for index, arg in enumerate(args):
        if arg in COMMANDS and (index == 0 or args[index - 1] != "--db"):
            return arg
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand, or only the module that defines `command`."""
    parser = argparse.ArgumentParser(
        prog="content-drift",
        description="Measure whether your writing drifts toward generic, AI-flavoured prose.",
    )
    parser.add_argument("--version", action="version", version=f"content-drift {__version__}")
    parser.add_argument("--db", metavar="PATH", help="history database (default: user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"desktop_app.commands.{name}").register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    """Parse `argv` and run the subcommand; returns the exit code."""
    parser = build_parser(_requested_command(argv))
    args = parser.parse_args(list(argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
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
