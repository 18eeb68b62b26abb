"""`content-drift glossary`: what every measure means, what moves it, what it does not prove."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.commands.common import guarded, print_json


@guarded
def cmd_glossary(args: argparse.Namespace) -> int:
    """Print the glossary generated from the metric registry."""
    from desktop_app.core.metrics.glossary import glossary_json, glossary_text

    if args.json:
        print_json(glossary_json())
    else:
        print(glossary_text())
    return 0


def register(sub: Any) -> None:
    """Add `glossary` to the CLI."""
    p = sub.add_parser("glossary", help="what every measure means, in plain words")
    p.add_argument("--json", action="store_true", help="entries as JSON")
    p.set_defaults(func=cmd_glossary)
