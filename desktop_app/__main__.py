"""Entry point: the GUI with no arguments (or GUI-only flags), the CLI with a subcommand."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_FLAGS = {"--demo", "--self-test"}


def _wants_gui(argv: Sequence[str]) -> bool:
    rest = [a for a in argv if a not in GUI_FLAGS]
    # `--db PATH` alone still means the GUI
    if len(rest) == 2 and rest[0] == "--db":
        return True
    return not rest


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app: GUI or CLI depending on the arguments."""
    import multiprocessing

    multiprocessing.freeze_support()  # in a frozen bundle, spawned analysis workers start here
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        from desktop_app.gui.app import run_gui

        return run_gui(args)
    from desktop_app.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
