"""The AI-style score against a team's own history: per-team threshold and quarterly shares."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

import numpy as np
from sqlite_utils import Database

from desktop_app.core.aistyle.model import LABEL, AIStyleModel, load_model
from desktop_app.core.history.repository import PostFilter, PostRef, fetch_texts, post_refs
from desktop_app.core.settings import Settings

#: Pre-AI cut-off when the user has set no AI-adoption date (ChatGPT was released 2022-11-30).
DEFAULT_ADOPTION_DATE = date(2022, 12, 1)
MAX_FALSE_ALARM = 0.05
#: A post is never flagged below this probability, however low the team's own scores are.
MIN_THRESHOLD = 0.5
BOOTSTRAP_DRAWS = 1000
#: Interval level of the quarterly shares (the trends engine also reports 90% intervals).
CI_LEVEL = 0.90
METRIC = "ai_style_probability"
#: Said wherever a post is flagged: what the score is, and what it is not.
CAVEAT = "Evidence for the team's own trend, not a verdict on a writer."
_SQL_STORED = """
select post_id, value from metric_values
where metric = ? and value is not null
  and coalesce(json_extract(detail, '$.model_version'), ?) = ?
"""


class TeamThreshold(NamedTuple):
    """The flag threshold for one team and what it costs and buys."""

    threshold: float
    false_alarm_rate: float | None  # share of pre-AI posts flagged (None: no pre-AI posts)
    n_pre_ai_posts: int
    detection_rate_on_labelled_set: float  # out-of-fold share of labelled AI passages flagged


class QuarterShare(NamedTuple):
    """Estimated share of AI-styled posts in one quarter (mean calibrated probability)."""

    quarter: str
    n: int
    estimated_share: float
    ci_low: float
    ci_high: float
    labelled_share: float | None  # share marked AI-assisted among labelled posts, if any


def adoption_date(settings: Settings) -> date:
    """The AI-adoption date from the settings, else 2022-12-01."""
    value = settings.ai_adoption_date
    return date.fromisoformat(value) if value else DEFAULT_ADOPTION_DATE


def pre_ai_posts(db: Database, settings: Settings) -> list[PostRef]:
    """Dated posts published before the adoption date and not marked AI-assisted."""
    until = adoption_date(settings) - timedelta(days=1)
    posts = post_refs(db, PostFilter(date_to=until))
    return [p for p in posts if p.published is not None and p.ai_assisted is not True]


def probabilities_for(
    db: Database,
    posts: Sequence[PostRef],
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
) -> np.ndarray:
    """AI-style probability of each post: from `known` (stored values), else the model's cache,
    else scored now (only those posts' texts are read)."""
    model = model or load_model()
    cache, known = model.post_cache, known or {}
    missing = [p.id for p in posts if p.id not in known and p.id not in cache]
    for post_id, text in fetch_texts(db, missing).items():
        cache[post_id] = model.score(text).probability
    return np.asarray([known.get(p.id, cache.get(p.id)) for p in posts], dtype=float)


def stored_probabilities(db: Database, model: AIStyleModel | None = None) -> dict[str, float]:
    """Stored `ai_style_probability` values by post id (only those of the current model)."""
    version = (model or load_model()).version
    rows = db.execute(_SQL_STORED, [METRIC, version, version]).fetchall()
    return {str(post_id): float(value) for post_id, value in rows}


def _known(
    db: Database, model: AIStyleModel, known: Mapping[str, float] | None
) -> Mapping[str, float]:
    """`known` when given, else the values the analysis stored (no rescoring)."""
    return known if known is not None else stored_probabilities(db, model)


def threshold_for(probs: np.ndarray, max_rate: float = MAX_FALSE_ALARM) -> float:
    """Lowest 4-decimal threshold (>= MIN_THRESHOLD) flagging at most `max_rate` of `probs`."""
    ordered = np.sort(probs)[::-1]
    allowed = math.floor(max_rate * len(ordered))
    if allowed >= len(ordered):
        return MIN_THRESHOLD
    above = math.floor(float(ordered[allowed]) * 10_000) / 10_000 + 0.0001
    return round(min(max(above, MIN_THRESHOLD), 1.0), 4)


def detection_rate(threshold: float, model: AIStyleModel | None = None) -> float:
    """Share of the labelled AI passages (out-of-fold probabilities) at or above `threshold`."""
    ai = (model or load_model()).arrays["oof_probability_ai"]
    return float(np.mean(ai >= threshold))


def team_threshold(
    db: Database,
    settings: Settings,
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
) -> TeamThreshold:
    """Threshold keeping false alarms on the team's pre-AI posts at or below 5%.

    A threshold set by hand in the settings wins; its false-alarm rate is still measured.
    """
    model = model or load_model()
    probs = probabilities_for(db, pre_ai_posts(db, settings), model, _known(db, model, known))
    if settings.ai_style_threshold is not None:
        threshold = float(settings.ai_style_threshold)
    else:
        threshold = threshold_for(probs) if len(probs) else MIN_THRESHOLD
    rate = float(np.mean(probs >= threshold)) if len(probs) else None
    return TeamThreshold(threshold, rate, len(probs), detection_rate(threshold, model))


def quarter_of(day: date) -> str:
    """'2023-Q2' style label."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def bootstrap_mean_ci(
    values: np.ndarray, draws: int = BOOTSTRAP_DRAWS, seed: int = 0, level: float = CI_LEVEL
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the mean (deterministic for a given seed)."""
    if len(values) < 2:
        return float(values.mean()), float(values.mean())
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(draws, len(values)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def estimated_ai_share_by_quarter(
    db: Database,
    flt: PostFilter | None = None,
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
    seed: int = 0,
) -> list[QuarterShare]:
    """Per quarter: n, mean calibrated probability with a bootstrap interval, labelled share."""
    model = model or load_model()
    stored = _known(db, model, known)
    groups: dict[str, list[PostRef]] = {}
    for post in post_refs(db, flt or PostFilter()):
        if post.published is not None:
            groups.setdefault(quarter_of(post.published), []).append(post)
    rows = []
    for quarter in sorted(groups):
        posts = groups[quarter]
        probs = probabilities_for(db, posts, model, stored)
        low, high = bootstrap_mean_ci(probs, seed=seed)
        labels = [p.ai_assisted for p in posts if p.ai_assisted is not None]
        labelled = sum(labels) / len(labels) if labels else None
        rows.append(QuarterShare(quarter, len(posts), float(probs.mean()), low, high, labelled))
    return rows


def pre_ai_share(
    db: Database, settings: Settings, model: AIStyleModel | None = None, seed: int = 0
) -> QuarterShare | None:
    """The same estimate over all pre-AI posts: the team's own reference level (or None)."""
    posts = pre_ai_posts(db, settings)
    if not posts:
        return None
    model = model or load_model()
    probs = probabilities_for(db, posts, model, stored_probabilities(db, model))
    low, high = bootstrap_mean_ci(probs, seed=seed)
    label = f"before {adoption_date(settings).isoformat()}"
    return QuarterShare(label, len(posts), float(probs.mean()), low, high, None)


def ai_styled_flags(
    db: Database,
    settings: Settings,
    flt: PostFilter | None = None,
    team: TeamThreshold | None = None,
) -> dict[str, bool]:
    """Post id -> flagged as AI-styled (estimated) at the team threshold (for trend splits)."""
    model = load_model()
    stored = stored_probabilities(db, model)
    threshold = (team or team_threshold(db, settings, model, stored)).threshold
    posts = post_refs(db, flt or PostFilter())
    probs = probabilities_for(db, posts, model, stored)
    return {post.id: bool(p >= threshold) for post, p in zip(posts, probs, strict=True)}


class AIStyleFlag(NamedTuple):
    """One text's AI-style probability judged at the team threshold, with what that costs."""

    probability: float | None
    flagged: bool | None  # None: no probability (too little text)
    team: TeamThreshold

    def to_json(self) -> dict[str, Any]:
        """The `ai_style` block of `check --json` (docs/check-json.md)."""
        t = self.team
        rate = None if t.false_alarm_rate is None else round(t.false_alarm_rate, 4)
        return {
            "label": LABEL,
            "probability": None if self.probability is None else round(self.probability, 4),
            "flagged": self.flagged,
            "threshold": round(t.threshold, 4),
            "false_alarm_rate": rate,
            "n_pre_ai_posts": t.n_pre_ai_posts,
            "detection_rate_on_labelled_set": round(t.detection_rate_on_labelled_set, 4),
            "note": CAVEAT,
        }


def flag_for(probability: float | None, team: TeamThreshold) -> AIStyleFlag:
    """Flag a probability at the team threshold (None stays unflagged-unknown)."""
    flagged = None if probability is None else bool(probability >= team.threshold)
    return AIStyleFlag(probability, flagged, team)


def false_alarm_text(team: TeamThreshold) -> str:
    """'false-alarm rate 4.5% on your 67 pre-AI posts' (or why it is unknown)."""
    if team.false_alarm_rate is None:
        return "false-alarm rate unknown (no dated pre-AI posts in your history)"
    return (
        f"false-alarm rate {team.false_alarm_rate:.1%} on your {team.n_pre_ai_posts} pre-AI posts"
    )


def flag_sentence(flag: AIStyleFlag) -> str:
    """One line for people: the estimate, the flag, the threshold and its false-alarm rate."""
    team = flag.team
    detection = f"detection rate on the labelled set {team.detection_rate_on_labelled_set:.0%}"
    cost = f"{false_alarm_text(team)}; {detection}"
    if flag.probability is None:
        return f"{LABEL}: not scored (too little text); threshold {team.threshold:.2f} ({cost})"
    state = "flagged" if flag.flagged else "not flagged"
    return (
        f"{LABEL}: {flag.probability:.2f}, {state} at the team threshold "
        f"{team.threshold:.2f} ({cost})"
    )
