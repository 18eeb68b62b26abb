"""What team data is: posts, labels, team settings and removals, as stamped changes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.records import post_id_for

#: Settings that belong to the team (shared); every other setting is personal.
TEAM_SETTING_KEYS = (
    "ai_adoption_date",
    "baseline_start",
    "baseline_end",
    "custom_marker_words",
    "custom_stock_phrases",
    "allow_list",
    "front_matter_fields",
    "ai_tag",
)
#: Columns of a post that travel (metric values are derived: each laptop recomputes them).
POST_FIELDS = (
    "id", "title", "published", "authors", "url", "tags", "source",
    "ai_assisted", "status", "word_count", "text", "previous_id",
)  # fmt: skip
KINDS = ("post", "label", "setting", "removal")


class TeamDataError(ValueError):
    """A change from a file or a server is not valid team data; the message says why."""


@dataclass(frozen=True)
class Change:
    """One team change: a post added, a label or team setting set, or a post removed."""

    change_id: str
    kind: str
    key: str
    value: Any
    laptop: str
    laptop_name: str
    made_at: str
    base: int = 0  # the server order this laptop had seen when it made the change
    seq: int | None = None  # the server's order, once the server has it

    def stamp(self) -> tuple[str, str, str]:
        """Order used without a server (merge files): time, then laptop, then change id."""
        return (self.made_at, self.laptop, self.change_id)

    def to_json(self) -> dict[str, Any]:
        """Plain dict for a merge file line."""
        return {
            "change_id": self.change_id, "kind": self.kind, "key": self.key,
            "value": self.value, "laptop": self.laptop, "laptop_name": self.laptop_name,
            "made_at": self.made_at,
        }  # fmt: skip


def now_stamp() -> str:
    """The current UTC time, to the microsecond, as ISO text (sorts as time)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_change_id() -> str:
    """A fresh, globally unique change id."""
    return str(uuid.uuid4())


def encode(value: Any) -> str:
    """Canonical JSON of a value (sorted keys), so equal values compare equal as text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _require(ok: bool, why: str) -> None:
    if not ok:
        raise TeamDataError(why)


def check_post(value: Any) -> dict[str, Any]:
    """A post payload, checked: every field present and the id the hash of its text."""
    _require(isinstance(value, dict), "a post is not an object")
    missing = [f for f in POST_FIELDS if f not in value]
    _require(not missing, f"a post lacks {', '.join(missing)}")
    _require(isinstance(value["text"], str) and isinstance(value["title"], str), "bad post text")
    _require(post_id_for(value["text"]) == value["id"], f"post {value['id']}: id is not its hash")
    _require(isinstance(value["authors"], list) and isinstance(value["tags"], list),
             f"post {value['id']}: authors and tags must be lists")  # fmt: skip
    return {f: value[f] for f in POST_FIELDS}


def check_change(data: Any) -> Change:
    """A Change from parsed JSON, or TeamDataError saying what is wrong."""
    _require(isinstance(data, dict), "a change is not an object")
    fields = ("change_id", "kind", "key", "laptop", "made_at")
    _require(all(isinstance(data.get(f), str) for f in fields), "a change lacks a field")
    kind, value = data["kind"], data.get("value")
    _require(kind in KINDS, f"unknown kind of change {kind!r}")
    if kind == "post":
        value = check_post(value)
        _require(value["id"] == data["key"], "a post change names another post")
    elif kind == "label":
        _require(value is None or isinstance(value, bool), "a label is not true/false/null")
    elif kind == "setting":
        _require(data["key"] in TEAM_SETTING_KEYS, f"{data['key']!r} is not a team setting")
    try:
        datetime.fromisoformat(data["made_at"])
    except ValueError as exc:
        raise TeamDataError(f"bad time {data['made_at']!r}") from exc
    return Change(
        change_id=data["change_id"], kind=kind, key=data["key"], value=value,
        laptop=data["laptop"], laptop_name=str(data.get("laptop_name") or ""),
        made_at=data["made_at"], base=int(data.get("base") or 0), seq=data.get("seq"),
    )  # fmt: skip
