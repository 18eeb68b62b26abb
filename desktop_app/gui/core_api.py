"""Where the GUI finds the core services that may not be present yet (engine, trends, report)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from desktop_app.core.settings import Settings


class NotAvailable(Exception):
    """A core service this page needs is not part of this build (yet)."""


def optional_module(name: str) -> ModuleType | None:
    """Import a core module, or None when it does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def engine_factory() -> Callable[[Path, Settings], Any] | None:
    """`AnalysisEngine(db_path, settings)` when the engine exists (imported on first build)."""
    if importlib.util.find_spec("desktop_app.core.analysis.engine") is None:
        return None

    def build(db_path: Path, settings: Settings) -> Any:
        from desktop_app.core.analysis.engine import AnalysisEngine  # heavy: spaCy, scikit-learn

        return AnalysisEngine(db_path, settings)

    return build


def metric_registry() -> dict[str, Any]:
    """name -> MetricSpec from the metrics registry (empty when not available)."""
    module = optional_module("desktop_app.core.metrics.registry")
    return dict(getattr(module, "REGISTRY", {}) or {}) if module else {}


def require(name: str) -> ModuleType:
    """Import a core module or raise NotAvailable naming it."""
    module = optional_module(name)
    if module is None:
        raise NotAvailable(f"{name} is not available in this build yet")
    return module
