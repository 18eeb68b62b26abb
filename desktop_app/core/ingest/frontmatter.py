"""Split YAML (---) or TOML (+++) front matter from a Markdown/text document."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from desktop_app.core.ingest.base import IngestError

_YAML = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)


def _load_yaml(block: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise IngestError(f"invalid YAML front matter{where}") from exc
    return data if isinstance(data, dict) else {}


def _load_toml(block: str) -> dict[str, Any]:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"invalid TOML front matter ({exc})") from exc


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter as a dict, body); no front matter gives ({}, text)."""
    stripped = text.lstrip("\n")
    for pattern, loader in ((_YAML, _load_yaml), (_TOML, _load_toml)):
        match = pattern.match(stripped)
        if match:
            return loader(match.group(1) or ""), stripped[match.end() :]
    return {}, text
