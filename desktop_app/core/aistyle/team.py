"""The AI-style score against a team's own history: per-team threshold and quarterly shares.

* Threshold: the lowest one that keeps false alarms on the team's own pre-AI posts at or below
  5% *out of sample*: the pre-AI posts are cut into 5 blocks by date, each block is scored at
  a threshold fitted on the other four, and the fitting rate is lowered until the held-out
  false-alarm rate is at most 5%. That held-out rate is the one shown beside every flag.
* Shares: per quarter, the share of AI-styled posts estimated against the team's pre-AI posts
  (``aistyle.share``: mixture estimate after Liang et al. 2024, 90% interval). A pre-AI
  quarter is estimated against the other pre-AI quarters, so the level the method starts
  from is itself out of sample (about 0 when the style is stable).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

import numpy as np
from sqlite_utils import Database

from desktop_app.core.aistyle.model import LABEL, MIN_SCORED_WORDS, AIStyleModel, load_model
from desktop_app.core.aistyle.share import (
    Reference,
    ShareEstimate,
    period_shares,
    pooled_share,
)
from desktop_app.core.history.metric_columns import StampMemo
from desktop_app.core.history.repository import PostFilter, PostRef, fetch_texts, post_refs
from desktop_app.core.settings import Settings

#: Pre-AI cut-off when the user has set no AI-adoption date (ChatGPT was released 2022-11-30).
DEFAULT_ADOPTION_DATE = date(2022, 12, 1)
MAX_FALSE_ALARM = 0.05
#: Date-ordered blocks of pre-AI posts for the out-of-sample false-alarm rate.
FALSE_ALARM_FOLDS = 5
#: Fewer pre-AI posts than this: the false-alarm rate cannot be measured out of sample.
MIN_PRE_AI_POSTS = 10
#: A post is never flagged below this probability, however low the team's own scores are.
MIN_THRESHOLD = 0.5
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
    #: Share of held-out pre-AI posts flagged (None: too few pre-AI posts to measure it).
    false_alarm_rate: float | None
    n_pre_ai_posts: int
    detection_rate_on_labelled_set: float  # out-of-fold share of labelled AI passages flagged


class QuarterShare(NamedTuple):
    """Estimated share of AI-styled posts in one quarter, against the team's pre-AI posts."""

    quarter: str
    n: int
    estimated_share: float | None  # None: too few posts (under 3) for an estimate
    ci_low: float | None
    ci_high: float | None
    labelled_share: float | None  # share marked AI-assisted among labelled posts, if any
    p_value: float = 1.0  # likelihood-ratio test of a share above the pre-AI level
    pre_ai: bool = False  # the quarter lies before the AI-adoption date

    def share_text(self) -> str:
        """'35%', or '—' when the quarter has too few posts for an estimate."""
        return "—" if self.estimated_share is None else f"{self.estimated_share:.0%}"

    def interval_text(self) -> str:
        """'12% – 40%', or 'too few posts' when the quarter has no interval."""
        if self.estimated_share is None or self.ci_low is None or self.ci_high is None:
            return "too few posts"
        return f"{self.ci_low:.0%} – {self.ci_high:.0%}"


def adoption_date(settings: Settings) -> date:
    """The AI-adoption date from the settings, else 2022-12-01."""
    value = settings.ai_adoption_date
    return date.fromisoformat(value) if value else DEFAULT_ADOPTION_DATE


def is_pre_ai(published: date | None, ai_assisted: bool | None, adoption: date) -> bool:
    """The one rule for the team's human reference: a dated post published before the
    AI-adoption date and not marked AI-assisted."""
    return published is not None and published < adoption and ai_assisted is not True


def pre_ai_posts(db: Database, settings: Settings) -> list[PostRef]:
    """The posts `is_pre_ai` keeps, oldest first."""
    adoption = adoption_date(settings)
    return list(_PRE_AI.get(db, adoption, lambda: _pre_ai_posts(db, adoption)))


def _pre_ai_posts(db: Database, adoption: date) -> list[PostRef]:
    posts = post_refs(db, PostFilter(date_to=adoption - timedelta(days=1)))
    kept = [p for p in posts if is_pre_ai(p.published, p.ai_assisted, adoption)]
    return sorted(kept, key=lambda p: (p.published or adoption, p.id))


#: The report asks for the pre-AI posts three times.
_PRE_AI: StampMemo[list[PostRef]] = StampMemo()


def probabilities_for(
    db: Database,
    posts: Sequence[PostRef],
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
) -> np.ndarray:
    """AI-style probability of each post: from `known` (stored values), else the model's cache,
    else scored now (only those posts' texts are read). NaN for a text under MIN_SCORED_WORDS
    words, as the metric leaves it without a value."""
    model = model or load_model()
    cache, known = model.post_cache, known or {}
    values = [known.get(p.id) for p in posts]
    missing = [p.id for p, v in zip(posts, values, strict=True) if v is None and p.id not in cache]
    for post_id, text in fetch_texts(db, missing).items():
        result = model.score(text)
        cache[post_id] = result.probability if result.words >= MIN_SCORED_WORDS else np.nan
    if None in values:  # some from the model's cache
        values = [cache.get(p.id) if v is None else v for p, v in zip(posts, values, strict=True)]
    return np.asarray(values, dtype=float)


def stored_probabilities(db: Database, model: AIStyleModel | None = None) -> dict[str, float]:
    """Stored `ai_style_probability` values by post id (only those of the current model)."""
    version = (model or load_model()).version

    def read() -> dict[str, float]:
        rows = db.execute(_SQL_STORED, [METRIC, version, version]).fetchall()
        return {str(post_id): float(value) for post_id, value in rows}

    return dict(_STORED.get(db, version, read))  # a copy: callers may add to it


#: The last stored-probability read, until the history changes (the report asks four times).
_STORED: StampMemo[dict[str, float]] = StampMemo(size=1)


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


def held_out_false_alarms(probs: np.ndarray, rate: float) -> float:
    """Share of posts flagged by a threshold fitted (at `rate`) on the other date blocks."""
    blocks = np.array_split(np.arange(len(probs)), FALSE_ALARM_FOLDS)
    flagged = 0
    for block in blocks:
        others = np.delete(probs, block)
        flagged += int(np.sum(probs[block] >= threshold_for(others, rate)))
    return flagged / len(probs)


def fitting_rate(probs: np.ndarray) -> tuple[float, float]:
    """(rate to fit the threshold at, its held-out false-alarm rate), the largest rate <= 5%
    whose held-out rate is at most 5% (0.25-point steps)."""
    for step in range(20, -1, -1):
        rate = MAX_FALSE_ALARM * step / 20
        held_out = held_out_false_alarms(probs, rate)
        if held_out <= MAX_FALSE_ALARM:
            return rate, held_out
    return 0.0, held_out_false_alarms(probs, 0.0)


def team_threshold(
    db: Database,
    settings: Settings,
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
) -> TeamThreshold:
    """Threshold keeping held-out false alarms on the team's pre-AI posts at or below 5%.

    A threshold set by hand in the settings wins; its false-alarm rate is then measured on
    all pre-AI posts (nothing was fitted on them).
    """
    model = model or load_model()
    probs = probabilities_for(db, pre_ai_posts(db, settings), model, _known(db, model, known))
    probs = probs[~np.isnan(probs)]
    rate: float | None = None
    if settings.ai_style_threshold is not None:
        threshold = float(settings.ai_style_threshold)
        rate = float(np.mean(probs >= threshold)) if len(probs) else None
    elif len(probs) >= MIN_PRE_AI_POSTS:
        fit_rate, rate = fitting_rate(probs)
        threshold = threshold_for(probs, fit_rate)
    else:
        threshold = threshold_for(probs) if len(probs) else MIN_THRESHOLD
    return TeamThreshold(threshold, rate, len(probs), detection_rate(threshold, model))


def quarter_of(day: date) -> str:
    """'2023Q2' style label (the spelling used everywhere in the app)."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def period_labels(posts: Sequence[PostRef], key: Callable[[date], str]) -> list[str]:
    """`key` of each dated post's day (undated posts are skipped), once per distinct day."""
    per_day: dict[date, str] = {}
    return [
        per_day[p.published]
        if p.published in per_day
        else per_day.setdefault(p.published, key(p.published))
        for p in posts
        if p.published
    ]


def share_reference(
    db: Database, settings: Settings, model: AIStyleModel, stored: Mapping[str, float]
) -> tuple[Reference, list[PostRef], np.ndarray] | None:
    """The mixture reference (team pre-AI posts, labelled AI passages), those posts and their
    probabilities; None without pre-AI posts."""
    human = pre_ai_posts(db, settings)
    if not human:
        return None
    probs = probabilities_for(db, human, model, stored)
    scored = ~np.isnan(probs)
    human, probs = [p for p, ok in zip(human, scored, strict=True) if ok], probs[scored]
    if not human:
        return None
    keys = period_labels(human, quarter_of)
    return Reference.of(probs, model.arrays["oof_probability_ai"], keys), human, probs


def estimated_ai_share_by_quarter(
    db: Database,
    settings: Settings | None = None,
    flt: PostFilter | None = None,
    model: AIStyleModel | None = None,
    known: Mapping[str, float] | None = None,
    seed: int = 0,
    key: Callable[[date], str] = quarter_of,
    periods: Collection[str] | None = None,
) -> list[QuarterShare]:
    """Per quarter (or `key` period; only `periods` when given): n, estimated share of
    AI-styled posts against the team's pre-AI posts (pre-AI quarters against the other pre-AI
    quarters), 90% interval, labels. A period's row is the same with or without the others."""
    settings, model = settings or Settings(), model or load_model()
    stored = _known(db, model, known)
    found = share_reference(db, settings, model, stored)
    if found is None:
        return []
    _, human, human_probs = found
    human_keys = period_labels(human, key)
    posts = [p for p in post_refs(db, flt or PostFilter()) if p.published is not None]
    keys = period_labels(posts, key)
    if periods is not None:
        wanted = set(periods)
        posts, keys = (
            [p for p, k in zip(posts, keys, strict=True) if k in wanted],
            [k for k in keys if k in wanted],
        )
    probs = probabilities_for(db, posts, model, stored)
    ai = model.arrays["oof_probability_ai"]
    estimates = period_shares(keys, probs, human_keys, human_probs, ai, seed)
    members: dict[str, list[PostRef]] = {}
    for post, period in zip(posts, keys, strict=True):
        members.setdefault(period, []).append(post)
    pre_ai = set(human_keys)
    return [
        _row(period, members[period], estimate, period in pre_ai)
        for period, estimate in estimates.items()
    ]


def _row(
    label: str, posts: Sequence[PostRef], estimate: ShareEstimate, pre_ai: bool
) -> QuarterShare:
    labels = [p.ai_assisted for p in posts if p.ai_assisted is not None]
    labelled = sum(labels) / len(labels) if labels else None
    return QuarterShare(
        label, estimate.n, estimate.share, estimate.ci_low, estimate.ci_high, labelled,
        estimate.p_value, pre_ai,
    )  # fmt: skip


def pre_ai_share(
    db: Database, settings: Settings, model: AIStyleModel | None = None, seed: int = 0
) -> QuarterShare | None:
    """The level the method starts from: all pre-AI posts, each quarter estimated against the
    other pre-AI quarters, pooled (about 0 when the team's style is stable); None without
    pre-AI posts in at least two quarters."""
    model = model or load_model()
    found = share_reference(db, settings, model, stored_probabilities(db, model))
    if found is None:
        return None
    reference, human, probs = found
    keys = period_labels(human, quarter_of)
    estimate = pooled_share(keys, probs, reference, seed, own_keys=keys)
    if estimate.share is None:
        return None
    return _row(f"before {adoption_date(settings).isoformat()}", human, estimate, True)


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
    """'false-alarm rate 4.5% on your 67 pre-AI posts (held out)' (or why it is unknown)."""
    if team.false_alarm_rate is None:
        if team.n_pre_ai_posts:
            return (
                f"false-alarm rate unknown (only {team.n_pre_ai_posts} dated pre-AI posts; "
                f"{MIN_PRE_AI_POSTS} needed to measure it)"
            )
        return "false-alarm rate unknown (no dated pre-AI posts in your history)"
    return (
        f"false-alarm rate {team.false_alarm_rate:.1%} on your {team.n_pre_ai_posts} pre-AI "
        "posts (measured on posts held out from fitting the threshold)"
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
