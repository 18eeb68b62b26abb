"""Library rows: plain lists from SQL (shared by the GUI table and the CLI), whole or by page."""

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


def _decode(raw: Any) -> list[Any]:
    row = list(raw)
    row[AUTHORS] = ", ".join(json.loads(row[AUTHORS] or "[]"))
    row[TAGS] = json.loads(row[TAGS] or "[]")
    row[AI] = None if row[AI] is None else bool(row[AI])
    return row


def load_rows(db: Database, metrics: list[str], query: RowQuery | None = None) -> list[list[Any]]:
    """Rows [id, title, published, authors, tags, ai, words, *metric values], newest first."""
    where, params = _where(query or RowQuery())
    sql = _sql(metrics, where)
    return [_decode(raw) for raw in db.execute(sql, [*metrics, *metrics, *params])]


# -- paged access (the Library table loads only the rows it shows) ---------------------------
#: Newest first, undated last (SQLite puts nulls last when descending), as load_rows; the
#: covering index on posts answers it without sorting, so a first page costs a millisecond.
DEFAULT_ORDER = "p.published desc, p.title, p.id"
_COLUMNS = {TITLE: "p.title", PUBLISHED: "p.published", AUTHORS: "p.authors", TAGS: "p.tags",
            AI: "p.ai_assisted", WORDS: "p.word_count"}  # fmt: skip


def count_rows(db: Database, query: RowQuery | None = None) -> int:
    """How many posts the query selects."""
    where, params = _where(query or RowQuery())
    return int(db.execute(f"select count(*) from posts p where {where}", params).fetchone()[0])


def row_ids(db: Database, query: RowQuery | None = None, limit: int | None = None) -> list[str]:
    """Post ids the query selects, newest first (the first `limit` of them when given)."""
    where, params = _where(query or RowQuery())
    sql = f"select p.id from posts p where {where} order by {DEFAULT_ORDER}"
    if limit is not None:
        sql, params = f"{sql} limit ?", [*params, limit]
    return [row[0] for row in db.execute(sql, params)]


def field_values(db: Database, field: int, query: RowQuery | None = None) -> list[tuple[str, Any]]:
    """(post id, value of row field `field`, decoded as in a row) for every selected post,
    newest first: what sorting the whole selection by one column needs."""
    where, params = _where(query or RowQuery())
    column = _COLUMNS[field]
    sql = f"select p.id, {column} from posts p where {where} order by {DEFAULT_ORDER}"
    pairs = db.execute(sql, params).fetchall()
    if field == AUTHORS:
        return [(i, ", ".join(json.loads(v or "[]"))) for i, v in pairs]
    if field == TAGS:
        return [(i, json.loads(v or "[]")) for i, v in pairs]
    if field == AI:
        return [(i, None if v is None else bool(v)) for i, v in pairs]
    return [(i, v) for i, v in pairs]


def rows_by_id(db: Database, ids: list[str]) -> dict[str, list[Any]]:
    """post id -> row [id, title, published, authors, tags, ai, words] (no metric values)."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    sql = (
        "select p.id, p.title, p.published, p.authors, p.tags, p.ai_assisted, p.word_count"
        f" from posts p where p.id in ({marks})"
    )
    return {row[ID]: row for row in map(_decode, db.execute(sql, ids))}


def known_tags(db: Database) -> list[str]:
    """Every tag used by a current post, sorted case-insensitively."""
    sql = (
        "select distinct value from posts, json_each(posts.tags)"
        " where superseded_by is null order by lower(value)"
    )
    return [r[0] for r in db.execute(sql)]


_QUARTER = (
    "strftime('%Y', {0}published) || 'Q' ||"
    " ((cast(strftime('%m', {0}published) as integer) + 2) / 3)"
)
#: Each quarter's date range from the covering index, then one analysed post looked up inside
#: that range (it stops at the first): not a metric lookup for every post of the history.
_QUARTERS_SQL = f"""
with q as (
  select {_QUARTER.format("")} as quarter, min(published) as first, max(published) as last
  from posts where superseded_by is null and published is not null group by quarter
)
select quarter from q where exists (
  select 1 from posts p
  where p.superseded_by is null and p.published between q.first and q.last
    and {_QUARTER.format("p.")} = q.quarter
    and exists (select 1 from metric_values m where m.post_id = p.id)
) order by 1 desc
"""


def quarters(db: Database) -> list[str]:
    """Quarters ('2024Q3') holding analysed posts, newest first."""
    return [row[0] for row in db.execute(_QUARTERS_SQL)]
