"""Tables of the history DB that team sync keeps (created by migration m007; never edit
this DDL in place: a later change needs a new migration)."""

from __future__ import annotations

from sqlite_utils import Database

TEAM_DDL = """
create table team_state (key text primary key, value text);
create index posts_previous_id on posts (previous_id);
create table team_posts (post_id text primary key);
create table team_values (
    kind text not null, key text not null, value text not null,
    change_id text not null, laptop text not null, laptop_name text, made_at text not null,
    seq integer, primary key (kind, key)
) without rowid;
create index posts_team_label on posts (id, ai_assisted);
create table team_tombstones (
    post_id text primary key, change_id text not null, laptop text not null,
    laptop_name text, made_at text not null
);
create table team_outbox (
    position integer primary key autoincrement, change_id text not null unique,
    kind text not null, key text not null, value text, made_at text not null,
    base integer not null
);
create table team_deleted (post_id text primary key);
create trigger team_posts_deleted after delete on posts
    begin insert or ignore into team_deleted values (old.id); end;
create table team_conflicts (
    id integer primary key autoincrement, kind text not null, key text not null,
    winner_value text not null, winner_laptop text, winner_at text,
    loser_value text not null, loser_laptop text, loser_at text,
    loser_change_id text not null unique, recorded_at text not null
);
"""


def create_team_tables(db: Database) -> None:
    """Create the team sync tables (inside the migration's transaction)."""
    for statement in _statements():
        db.execute(statement)


def _statements() -> list[str]:
    """The DDL as single statements (a trigger body holds a ';' of its own)."""
    out, current = [], ""
    for part in TEAM_DDL.split(";"):
        current += part + ";"
        if current.count("begin") == current.count("end;") and current.strip(" \n;"):
            out.append(current.strip())
            current = ""
    return out
