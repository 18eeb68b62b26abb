"""Split YAML (---) or TOML (+++) front matter from a Markdown/text document.

YAML aliases let a few hundred bytes expand to millions of values ("billion laughs"), so the
loader counts the aliases it resolves, and the loaded data is measured with the aliases
expanded: past a limit the file is refused with the reason.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from desktop_app.core.ingest.base import IngestError

_YAML = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
#: Aliases (`*name`) one document may use; real front matter uses a handful at most.
MAX_ALIASES = 100
#: Size of the loaded data with aliases expanded: values plus characters of text.
MAX_SIZE = 1_000_000
#: Depth of nested lists and mappings.
MAX_DEPTH = 50


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that stops once a document uses more than MAX_ALIASES aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_used = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Count an alias before resolving it."""
        if self.check_event(yaml.AliasEvent):
            self.aliases_used += 1
            if self.aliases_used > MAX_ALIASES:
                raise IngestError(f"too many YAML aliases in the front matter (over {MAX_ALIASES})")
        return super().compose_node(parent, index)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date, or its text when no calendar has it (2025-02-30): reported later, not here."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(node.value)


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(text: str) -> Any:
    """YAML text loaded safely, with aliases and size bounded (IngestError says why not)."""
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # this already reads the text: unprintable characters fail
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise IngestError(f"invalid YAML front matter{where}") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise IngestError(f"invalid YAML front matter ({exc})") from exc
    except RecursionError as exc:
        raise IngestError("front matter nested too deeply") from exc
    finally:
        if loader is not None:
            loader.dispose()
    check_size(data)
    return data


def check_size(data: Any) -> None:
    """Refuse data over the size or depth limits; a value shared by aliases counts each time."""
    size, stack = 0, [(data, 0, "")]
    while stack:
        value, depth, key = stack.pop()
        size += 1 + (len(value) if isinstance(value, str | bytes) else 0)
        if size > MAX_SIZE:
            where = f" ('{key}')" if key else ""
            raise IngestError(
                f"front matter too large{where}: over {MAX_SIZE:,} characters and values"
            )
        if depth > MAX_DEPTH:
            raise IngestError(f"front matter nested too deeply (over {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            for name, item in value.items():
                stack += [
                    (name, depth + 1, key or str(name)[:40]),
                    (item, depth + 1, key or str(name)[:40]),
                ]
        elif isinstance(value, list | tuple | set):
            stack += [(item, depth + 1, key) for item in value]


def _load_yaml(block: str) -> dict[str, Any]:
    data = load_yaml(block)
    return data if isinstance(data, dict) else {}


def _load_toml(block: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(block)
    except ValueError as exc:  # TOMLDecodeError, or an integer of more than 4,300 digits
        raise IngestError(f"invalid TOML front matter ({exc})") from exc
    except RecursionError as exc:
        raise IngestError("front matter nested too deeply") from exc
    check_size(data)
    return data


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter as a dict, body); no front matter gives ({}, text)."""
    stripped = text.lstrip("\n")
    for pattern, loader in ((_YAML, _load_yaml), (_TOML, _load_toml)):
        match = pattern.match(stripped)
        if match:
            return loader(match.group(1) or ""), stripped[match.end() :]
    return {}, text
