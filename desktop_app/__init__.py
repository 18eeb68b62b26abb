"""Content Drift: measure whether a team's writing drifts toward generic, AI-flavoured prose."""

__version__ = "0.1.0"
