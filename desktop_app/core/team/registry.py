"""The histories this laptop knows, local or team, and which one the app opens."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core import paths

LOCAL = "local"


@dataclass(frozen=True)
class KnownHistory:
    """One history: its name, its DB file and, for a team history, where it syncs."""

    name: str
    db: Path
    server: str | None = None  # a connection string without any secret
    team: str | None = None
    active: bool = False


def _read() -> dict[str, Any]:
    try:
        data = json.loads(paths.histories_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or not isinstance(data.get("histories"), dict):
        data = {"histories": {}}
    data["histories"].setdefault(LOCAL, {"db": None})
    data.setdefault("active", LOCAL)
    return data


def _write(data: dict[str, Any]) -> None:
    target = paths.histories_file()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".histories-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    os.replace(tmp, target)


def _default_db() -> Path:
    return paths.data_dir() / "history.sqlite"


def known_histories() -> list[KnownHistory]:
    """Every history this laptop knows, the local one first."""
    data = _read()
    out = []
    for name, entry in data["histories"].items():
        db = Path(entry["db"]) if entry.get("db") else _default_db()
        out.append(KnownHistory(name, db, entry.get("server"), entry.get("team"),
                                name == data["active"]))  # fmt: skip
    return sorted(out, key=lambda h: (h.name != LOCAL, h.name))


def remember(name: str, db: Path, server: str | None, team: str | None) -> None:
    """Add or update a known history."""
    data = _read()
    data["histories"][name] = {"db": str(db.resolve()), "server": server, "team": team}
    _write(data)


def switch(name: str) -> KnownHistory:
    """Make `name` the history the app opens; KeyError when it is not known."""
    data = _read()
    if name not in data["histories"]:
        raise KeyError(name)
    data["active"] = name
    _write(data)
    return next(h for h in known_histories() if h.name == name)
