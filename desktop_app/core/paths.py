"""Every user and resource path of the app, in one place (platformdirs; frozen-aware)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ContentDrift"
APP_AUTHOR = "ContentDrift"

#: Environment variables that redirect paths (tests and power users).
ENV_DB = "CONTENT_DRIFT_DB"
ENV_HOME = "CONTENT_DRIFT_HOME"


def _home_override() -> Path | None:
    value = os.environ.get(ENV_HOME)
    return Path(value) if value else None


def data_dir() -> Path:
    """User data dir (history DB, backups); created on demand."""
    home = _home_override()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """User config dir (settings.json); created on demand."""
    home = _home_override()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """User log dir; created on demand."""
    home = _home_override()
    path = home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def index_cache_dir() -> Path:
    """Persisted corpus indexes (derived from the history, safe to delete); created on demand."""
    path = data_dir() / "index-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_cache_dir() -> Path:
    """Persisted start-up state (baseline, AI-style team threshold, pre-AI reference; derived
    from the history, safe to delete); created on demand."""
    path = data_dir() / "start-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    """The JSON settings file."""
    return config_dir() / "settings.json"


def default_db_path() -> Path:
    """The history DB: `$CONTENT_DRIFT_DB` if set, else the one chosen with `team switch`,
    else `history.sqlite` in the data dir."""
    value = os.environ.get(ENV_DB)
    return Path(value) if value else active_history_db() or data_dir() / "history.sqlite"


def histories_file() -> Path:
    """The histories this laptop knows (local and team) and which one is active."""
    return config_dir() / "histories.json"


def active_history_db() -> Path | None:
    """The DB of the history chosen with `team switch` (None: the default one)."""
    try:
        data = json.loads(histories_file().read_text(encoding="utf-8"))
        return Path(data["histories"][data["active"]]["db"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def demo_db_path() -> Path:
    """The separate DB that holds the bundled demo history."""
    return data_dir() / "demo-history.sqlite"


def bundle_root() -> Path:
    """Root of the installed app: the PyInstaller bundle dir when frozen, else the source tree."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    """Shipped NLP artefacts (lexicons, linear model, optional bundled spaCy pipeline)."""
    return bundle_root() / "models"


def resources_dir() -> Path:
    """Icons, style sheet, report templates and the demo history."""
    return bundle_root() / "resources"


def model_file(name: str) -> Path:
    """A file under models/."""
    return models_dir() / name


def ai_style_model_dir() -> Path:
    """The AI-style model folder: models/ai_style/, or $CONTENT_DRIFT_AI_STYLE_MODEL (used by
    scripts/evaluate_verdicts.py to score histories with a model that never saw their texts)."""
    override = os.environ.get("CONTENT_DRIFT_AI_STYLE_MODEL")
    return Path(override) if override else model_file("ai_style")


def resource_file(name: str) -> Path:
    """A file under resources/."""
    return resources_dir() / name


def bundled_pipeline_dir(name: str) -> Path:
    """Where a packaged build keeps the spaCy pipeline `name` (a dir with config.cfg)."""
    return models_dir() / "spacy" / name
