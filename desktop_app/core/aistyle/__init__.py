"""AI-styled prose (estimated): a shipped linear model, its per-team threshold and shares."""

from desktop_app.core.aistyle.model import (
    LABEL,
    AIStyleModel,
    AIStyleModelError,
    AIStyleResult,
    load_model,
    score_text,
)
from desktop_app.core.aistyle.team import (
    QuarterShare,
    TeamThreshold,
    ai_styled_flags,
    estimated_ai_share_by_quarter,
    pre_ai_share,
    team_threshold,
)

__all__ = [
    "LABEL",
    "AIStyleModel",
    "AIStyleModelError",
    "AIStyleResult",
    "QuarterShare",
    "TeamThreshold",
    "ai_styled_flags",
    "estimated_ai_share_by_quarter",
    "load_model",
    "pre_ai_share",
    "score_text",
    "team_threshold",
]
