"""Headless command line: `content-drift SUBCOMMAND ...` (every core capability has one)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_app import __version__

#: Modules under desktop_app.commands; each defines register(subparsers).
COMMAND_MODULES = ["library", "analysis", "trends", "report", "aistyle"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="content-drift",
        description="Measure whether your writing drifts toward generic, AI-flavoured prose.",
    )
    parser.add_argument("--version", action="version", version=f"content-drift {__version__}")
    parser.add_argument("--db", metavar="PATH", help="history database (default: user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"desktop_app.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop_app.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    """Parse `argv` and run the subcommand; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
