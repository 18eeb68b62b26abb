"""Helpers shared by CLI commands: opening the history, settings, printing errors."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core import paths
from desktop_app.core.history import HistoryError, open_history
from desktop_app.core.messages import printable
from desktop_app.core.settings import Settings, read_settings


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


def db_path(args: argparse.Namespace) -> Path:
    """The history path from --db, else the environment/default."""
    value = getattr(args, "db", None)
    return Path(value) if value else paths.default_db_path()


#: Commands that measure a draft against whatever history there is (none yet is allowed).
CHECKS_WITHOUT_HISTORY = frozenset({"check", "check-batch"})


def open_db(args: argparse.Namespace, create: bool = False) -> Database:
    """Open the history named by the arguments, or raise CommandError.

    Only `import` creates a history (`create`): reading one that does not exist is an error,
    so that a mistyped --db path never leaves an empty history behind.
    """
    path = db_path(args)
    create = create or getattr(args, "command", None) in CHECKS_WITHOUT_HISTORY
    try:
        missing = not path.exists()
    except OSError:  # e.g. a name too long: open_history says why it cannot be opened
        missing = False
    if not create and missing:
        raise CommandError(f"no history at {path} (import something first, or check the path)")
    try:
        return open_history(path)
    except HistoryError as exc:
        raise CommandError(str(exc)) from exc


def settings() -> Settings:
    """The user settings; each problem in the file is printed once on stderr."""
    loaded, problems = read_settings()
    for problem in problems:
        if problem not in _WARNED:
            _WARNED.add(problem)
            print(f"warning: {printable(problem)}", file=sys.stderr)
    return loaded


_WARNED: set[str] = set()


#: What SQLite says -> what it means for the user's history.
_DB_PROBLEMS = {
    "locked": "the history is busy (another Content Drift window or command is writing to it); "
    "nothing was lost, try again when it has finished",
    "busy": "the history is busy (another Content Drift window or command is writing to it); "
    "nothing was lost, try again when it has finished",
    "disk is full": "the disk is full; what was stored before this point is kept (each batch "
    "is committed whole), the rest was not: free some space and run the command again",
    "readonly": "the history is read-only here (file or folder permissions); nothing was "
    "changed, read commands still work",
    "unable to open": "the history cannot be opened for writing (folder permissions or a "
    "missing folder); nothing was changed",
}


def database_problem(path: Path, exc: sqlite3.OperationalError) -> str:
    """One line for an SQLite error: the file, what happened, and what was kept."""
    text = str(exc)
    meaning = next((m for key, m in _DB_PROBLEMS.items() if key in text), None)
    return f"{path}: {meaning or f'the history could not be used ({text})'}"


def fail(message: str) -> int:
    """Print an error line to stderr; return exit code 1."""
    print(f"error: {printable(message)}", file=sys.stderr)
    return 1


def print_json(data: Any) -> None:
    """Print data as indented JSON."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def guarded(func: Any) -> Any:
    """Wrap a command so a CommandError becomes an error line and exit 1."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(func(args) or 0)
        except CommandError as exc:
            return fail(str(exc))
        except sqlite3.OperationalError as exc:
            return fail(database_problem(db_path(args), exc))
        except HistoryError as exc:
            return fail(str(exc))
        except BrokenPipeError:
            raise  # output piped into e.g. `head`: the CLI ends quietly (cli.run)
        except OSError as exc:  # e.g. a report folder that is full or read-only
            where = exc.filename or db_path(args)
            return fail(f"{where}: {exc.strerror or exc}; nothing more was written")

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
