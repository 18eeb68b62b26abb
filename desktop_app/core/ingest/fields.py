"""Read author, date, tags and the AI flag from front matter as site generators write it.

Keys are compared normalised (lower-case, without '-', '_', ':' or spaces), so `pubDate`,
`pub_date` and `pubdate` are one key, and `dc:creator` is `dccreator`. Nested blocks that
generators use for custom fields (Hugo `params`, Zola `extra` and `taxonomies`) are searched
after the top level. A user mapping (`--field author=writer`) names a key to try first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core.ingest.authors import parse_authors
from desktop_app.core.ingest.base import IngestError
from desktop_app.core.ingest.frontmatter import load_yaml
from desktop_app.core.ingest.meta import parse_date, parse_flag

#: The fields a user may map to a front-matter key.
FIELDS = ("author", "date", "tags", "ai_assisted")
_NESTED = ("params", "extra", "taxonomies")
#: Keys for each field, in order of preference (already normalised).
AUTHOR_KEYS = (
    "author", "authors", "by", "byline", "creator", "creators", "dccreator",
    "primaryauthor", "contributors", "contributor", "writer", "writers",
)  # fmt: skip
DATE_KEYS = (
    "date", "pubdate", "published", "publishdate", "publishedat", "publishedon",
    "datepublished", "dcdate", "created", "createdat", "postdate",
)  # fmt: skip
TAG_KEYS = ("tags", "tag", "categories", "category", "topics", "keywords")
AI_KEYS = (
    "aiassisted", "ai", "aigenerated", "aiwritten", "writtenwithai", "generatedby",
    "generatorai", "llm", "aitool", "aiused",
)  # fmt: skip
_KEYS = {"author": AUTHOR_KEYS, "date": DATE_KEYS, "tags": TAG_KEYS, "ai_assisted": AI_KEYS}
_NAME_KEYS = ("name", "displayname", "fullname", "label", "slug")
#: Eleventy's special date values: not a date the writer gave, so fall back to the file name.
_ELEVENTY_DATES = {"lastmodified", "gitlastmodified", "created", "gitcreated"}
_AUTHORS_FILES = ("authors.yml", "authors.yaml")


def norm_key(key: object) -> str:
    """A front-matter key compared loosely: lower-case, no '-', '_', ':' or spaces."""
    return re.sub(r"[-_:\s]+", "", str(key).lower())


def flatten(meta: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys (normalised) plus those of the usual nested blocks (top level wins)."""
    flat: dict[str, Any] = {}
    blocks = [meta] + [v for k, v in meta.items() if norm_key(k) in _NESTED and isinstance(v, dict)]
    for block in blocks:
        for key, value in block.items():
            if value not in (None, "", [], {}):
                flat.setdefault(norm_key(key), value)
    return flat


def parse_field_map(items: Iterable[str]) -> dict[str, str]:
    """'author=writer' items -> {'author': 'writer'}; ValueError names a bad item."""
    mapping: dict[str, str] = {}
    for item in items:
        name, _, key = item.partition("=")
        name = name.strip().lower().replace("-", "_")
        name = {"ai": "ai_assisted", "tag": "tags", "authors": "author"}.get(name, name)
        if not key.strip() or name not in FIELDS:
            raise ValueError(
                f"expected FIELD=KEY with FIELD one of {', '.join(FIELDS)}, got {item!r}"
            )
        mapping[name] = key.strip()
    return mapping


def _candidates(flat: dict[str, Any], name: str, mapping: dict[str, str]) -> list[Any]:
    keys = list(_KEYS[name])
    if name in mapping:
        keys.insert(0, norm_key(mapping[name]))
    return [flat[k] for k in dict.fromkeys(keys) if k in flat]


def _name_of(value: dict[Any, Any]) -> str | None:
    lowered = {norm_key(k): v for k, v in value.items()}
    found = next((lowered[k] for k in _NAME_KEYS if isinstance(lowered.get(k), str)), None)
    return found.strip() if found and found.strip() else None


def _author_values(value: Any) -> list[str]:
    """Names from a string, a list, an object with a name, or a list of such objects."""
    if isinstance(value, dict):
        name = _name_of(value)
        return [name] if name else []
    if isinstance(value, list | tuple):
        return [n for item in value for n in _author_values(item)]
    return parse_authors(value) if isinstance(value, str) else []


def _registry(path: Path | None) -> dict[str, str]:
    """Docusaurus-style `authors.yml` (key -> {name: ...}) beside the post or a folder above."""
    if path is None:
        return {}
    for folder in list(path.parents)[:3]:
        for name in _AUTHORS_FILES:
            found = _load_registry(folder / name)
            if found:
                return found
    return {}


def _load_registry(file: Path) -> dict[str, str]:
    try:
        if not file.is_file() or file.stat().st_size > 1024 * 1024:
            return {}
        data = load_yaml(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, IngestError):
        return {}
    if not isinstance(data, dict):
        return {}
    names = {str(k): _name_of(v) for k, v in data.items() if isinstance(v, dict)}
    return {k: v for k, v in names.items() if v}


def authors_from(
    meta: dict[str, Any], mapping: dict[str, str] | None = None, path: Path | None = None
) -> list[str]:
    """Author names from the first author key that yields any (registry keys resolved)."""
    flat = flatten(meta)
    for value in _candidates(flat, "author", mapping or {}):
        names = _author_values(value)
        if names:
            registry = _registry(path) if path is not None else {}
            return list(dict.fromkeys(registry.get(n, n) for n in names))
    return []


def date_from(meta: dict[str, Any], mapping: dict[str, str] | None = None) -> date | None:
    """The first usable date among the date keys (Eleventy's 'Last Modified' is no date)."""
    for value in _candidates(flatten(meta), "date", mapping or {}):
        if isinstance(value, str) and norm_key(value) in _ELEVENTY_DATES:
            continue
        found = parse_date(value)
        if found:
            return found
    return None


def _tag_values(value: Any, in_list: bool = False) -> list[str]:
    if isinstance(value, dict):
        name = _name_of(value)
        if name:
            return [name]
        return [t for v in value.values() for t in _tag_values(v)]  # Zola taxonomies block
    if isinstance(value, list | tuple):
        return [t for item in value for t in _tag_values(item, in_list=True)]
    if value is None or isinstance(value, bool):
        return []
    text = str(value).strip()
    if in_list:
        return [text] if text else []
    # Jekyll: a string of several tags is space-separated; elsewhere a string is comma-separated
    parts = text.split(",") if "," in text else text.split()
    return [p.strip() for p in parts if p.strip()]


def tags_from(meta: dict[str, Any], mapping: dict[str, str] | None = None) -> list[str]:
    """Tags and categories merged, from strings, lists or objects with a name."""
    found = [
        t for value in _candidates(flatten(meta), "tags", mapping or {}) for t in _tag_values(value)
    ]
    return list(dict.fromkeys(found))


def ai_from_meta(meta: dict[str, Any], mapping: dict[str, str] | None = None) -> bool | None:
    """The AI-assisted flag from the first AI key that holds a yes/no."""
    for value in _candidates(flatten(meta), "ai_assisted", mapping or {}):
        if isinstance(value, dict):
            value = next((v for k, v in value.items() if norm_key(k) in ("assisted", "used")), None)
        flag = parse_flag(value) if not isinstance(value, list | dict) else bool(value)
        if flag is not None:
            return flag
    return None
