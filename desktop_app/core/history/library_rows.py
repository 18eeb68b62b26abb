"""Library rows: one SQL query, plain lists (shared by the GUI table and the CLI)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from desktop_app.core.history.repository import json_list_filters
from desktop_app.core.history.search import fts_expression, match_clause

#: Index of each fixed field in a row; metric values follow from METRICS_START.
ID, TITLE, PUBLISHED, AUTHORS, TAGS, AI, WORDS = range(7)
METRICS_START = 7


@dataclass
class RowQuery:
    """What the Library shows: a full-text search plus simple filters (all optional)."""

    search: str = ""
    ai_assisted: bool | None = None
    tag: str = ""
    author: str = ""
    stemmed: bool = False  # also match other forms of each word (the search_stemming setting)


def _where(query: RowQuery) -> tuple[str, list[Any]]:
    clauses = ["p.superseded_by is null"]
    params: list[Any] = []
    fts = fts_expression(query.search)
    if fts:
        clauses.append(match_clause("p.rowid", query.stemmed))
        params.append(fts)
    if query.ai_assisted is not None:
        clauses.append("coalesce(p.ai_assisted, 0) = ?")
        params.append(int(query.ai_assisted))
    people, values = json_list_filters("p", query.author, query.tag)
    return " and ".join(clauses + people), params + values


def _sql(metrics: list[str], where: str) -> str:
    pivots = "".join(", max(case when m.metric = ? then m.value end)" for _ in metrics)
    marks = ", ".join("?" * len(metrics))
    on = f"m.post_id = p.id and m.metric in ({marks})"
    join = f"left join metric_values m on {on}" if metrics else ""
    return (
        "select p.id, p.title, p.published, p.authors, p.tags, p.ai_assisted, p.word_count"
        f"{pivots} from posts p {join} where {where} group by p.id"
        " order by p.published is null, p.published desc, p.title"
    )


def load_rows(db: Database, metrics: list[str], query: RowQuery | None = None) -> list[list[Any]]:
    """Rows [id, title, published, authors, tags, ai, words, *metric values], newest first."""
    where, params = _where(query or RowQuery())
    sql = _sql(metrics, where)
    cursor = db.execute(sql, [*metrics, *metrics, *params])
    rows: list[list[Any]] = []
    for raw in cursor:
        row = list(raw)
        row[AUTHORS] = ", ".join(json.loads(row[AUTHORS] or "[]"))
        row[TAGS] = json.loads(row[TAGS] or "[]")
        row[AI] = None if row[AI] is None else bool(row[AI])
        rows.append(row)
    return rows


def known_tags(db: Database) -> list[str]:
    """Every tag used by a current post, sorted case-insensitively."""
    sql = (
        "select distinct value from posts, json_each(posts.tags)"
        " where superseded_by is null order by lower(value)"
    )
    return [r[0] for r in db.execute(sql)]


_QUARTERS_SQL = """
select distinct strftime('%Y', p.published) || 'Q' ||
       ((cast(strftime('%m', p.published) as integer) + 2) / 3)
from posts p
where p.superseded_by is null and p.published is not null
  and exists (select 1 from metric_values m where m.post_id = p.id)
order by 1 desc
"""


def quarters(db: Database) -> list[str]:
    """Quarters ('2024Q3') holding analysed posts, newest first."""
    return [row[0] for row in db.execute(_QUARTERS_SQL)]
