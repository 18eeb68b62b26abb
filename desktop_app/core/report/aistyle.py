"""The report's "AI-styled prose (estimated)" section: quarterly shares against the pre-AI level."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlite_utils import Database

from desktop_app.core.aistyle import (
    LABEL,
    AIStyleModelError,
    ai_styled_flags,
    estimated_ai_share_by_quarter,
    load_model,
    pre_ai_share,
    team_threshold,
)
from desktop_app.core.aistyle.team import CAVEAT, adoption_date, false_alarm_text
from desktop_app.core.history.repository import PostFilter
from desktop_app.core.report.model import AIStyleRow, AIStyleSection
from desktop_app.core.settings import Settings


def _sentence(section: AIStyleSection) -> str:
    now = next((r for r in section.quarters if r.quarter == section.quarter), None)
    if now is None:
        return f"No dated posts in {section.quarter} to estimate the share of AI-styled prose."
    if now.ci_low is None or now.ci_high is None:
        return (
            f"Too few posts in {section.quarter} ({now.n}) to estimate the share of AI-styled "
            "prose."
        )
    text = (
        f"Estimated share of AI-styled posts in {section.quarter}: {now.estimated_share:.0%} "
        f"(90% interval {now.ci_low:.0%}–{now.ci_high:.0%}, {now.n} posts)"
    )
    if section.reference is not None:
        text += (
            f"; measured the same way, your pre-AI quarters come out at "
            f"{section.reference.estimated_share:.0%}"
        )
    return text + "."


def ai_style_section(
    db: Database, settings: Settings, quarter: str, window: Sequence[str], bounds: tuple[date, date]
) -> AIStyleSection | None:
    """Shares over the chart window, pre-AI level, threshold, false-alarm rate (None: no model)."""
    try:
        model = load_model()
    except AIStyleModelError:
        return None
    start, end = bounds
    team = team_threshold(db, settings, model)
    found = estimated_ai_share_by_quarter(db, settings, model=model, periods=window)
    shares = {q.quarter: q for q in found}
    rows = [AIStyleRow.of(shares[p]) for p in window if p in shares]
    ref = pre_ai_share(db, settings, model)
    flags = ai_styled_flags(db, settings, PostFilter(date_from=start, date_to=end), team)
    section = AIStyleSection(
        label=LABEL,
        quarter=quarter,
        quarters=rows,
        reference=AIStyleRow.of(ref) if ref else None,
        threshold=team.threshold,
        false_alarm_rate=team.false_alarm_rate,
        false_alarm_text=false_alarm_text(team),
        n_pre_ai_posts=team.n_pre_ai_posts,
        detection_rate=team.detection_rate_on_labelled_set,
        flagged_now=sum(flags.values()),
        n_now=len(flags),
        pre_ai_before=adoption_date(settings).isoformat(),
        caveat=CAVEAT,
        flags=flags,
    )
    section.sentence = _sentence(section)
    return section
