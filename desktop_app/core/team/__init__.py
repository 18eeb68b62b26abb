"""Team sync: shared team data, a PostgreSQL team store, and merge files (see docs/team.md)."""
