"""Baseline scoring: where a value sits among the team's own history, and the freshness index."""
