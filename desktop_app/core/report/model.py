"""The quarterly report as plain data (a dataclass tree), independent of any output format."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.aistyle.team import QuarterShare


@dataclass
class Headline:
    """Freshness this quarter against the previous quarter and the baseline."""

    quarter: str
    previous: str
    n_posts: int
    n_previous: int
    freshness: float | None
    freshness_previous: float | None
    freshness_baseline: float | None
    sentence: str


@dataclass
class ChartPoint:
    """One quarter of one metric in a chart."""

    period: str
    n: int
    mean: float | None
    low: float | None
    high: float | None
    enough: bool


@dataclass
class MetricPanel:
    """One metric's small chart: last quarters with the baseline band (p25-p75, median)."""

    metric: str
    label: str
    unit: str
    direction: str
    points: list[ChartPoint]
    band: tuple[float, float, float] | None


@dataclass
class DimensionChart:
    """One chart per dimension (a row of metric panels), with its SVG."""

    dimension: str
    title: str
    panels: list[MetricPanel]
    svg: str = ""
    width: int = 0  # natural width of the SVG in px


@dataclass
class VerdictLine:
    """A metric's trend verdict in plain language."""

    metric: str
    label: str
    status: str
    judgement: str
    sentence: str


@dataclass
class ComparisonRow:
    """AI-assisted vs not, one metric."""

    label: str
    n_ai: int
    n_other: int
    median_ai: float | None
    median_other: float | None
    p: float | None
    delta: float | None
    magnitude: str
    sentence: str


@dataclass
class AiComparison:
    """The AI-assisted vs human section."""

    message: str
    rows: list[ComparisonRow] = field(default_factory=list)
    method: str = ""  # the tests behind the rows (shown in the appendix)


@dataclass
class PostHighlight:
    """A post among the freshest / most generic of the quarter."""

    post_id: str
    title: str
    published: str
    authors: str
    freshness: float
    phrases: list[str]
    #: dimension -> this post's percentile against the baseline (higher = fresher)
    dimensions: dict[str, float] = field(default_factory=dict)


@dataclass
class NewPhrase:
    """An n-gram frequent this quarter but rare before."""

    phrase: str
    posts_now: int
    share_now: float
    share_before: float


@dataclass
class AuthorRow:
    """One author's quarter."""

    author: str
    n_posts: int
    freshness: float | None
    dimensions: dict[str, float | None]
    n_history: int
    freshness_history: float | None
    #: posts of the quarter flagged AI-styled at the team threshold (None: no AI-style model)
    ai_flagged: int | None = None
    ai_scored: int = 0  # posts of the quarter with an AI-style probability


@dataclass
class MetricDescription:
    """Methods appendix entry for one metric."""

    name: str
    label: str
    dimension: str
    unit: str
    direction: str
    description: str


@dataclass
class Methods:
    """Methods appendix: versions, baseline window, sample sizes, metric meanings."""

    pipelines: list[str]
    analyzer_versions: list[str]
    baseline_window: str
    n_baseline: int
    n_history: int
    n_quarter: int
    corpus_sample_size: int
    phrase_sample: int
    metrics: list[MetricDescription]
    notes: list[str]


@dataclass
class CorpusRow:
    """Corpus-level measures for one quarter of the charts' window."""

    period: str
    n_posts: int
    status: str
    gzip_ratio: float | None
    ngram_diversity: float | None
    homogenization: float | None


@dataclass
class AIStyleRow:
    """Estimated share of AI-styled posts in one quarter, against the team's pre-AI posts."""

    quarter: str
    n: int
    estimated_share: float | None  # None: too few posts for an estimate
    ci_low: float | None
    ci_high: float | None
    labelled_share: float | None
    pre_ai: bool = False

    @classmethod
    def of(cls, share: QuarterShare) -> AIStyleRow:
        """The report row of a core quarter share."""
        return cls(
            share.quarter, share.n, share.estimated_share, share.ci_low, share.ci_high,
            share.labelled_share, share.pre_ai,
        )  # fmt: skip


@dataclass
class AIStyleSection:
    """AI-styled prose (estimated): quarterly shares, the pre-AI level, threshold and its cost."""

    label: str
    quarter: str
    quarters: list[AIStyleRow]
    reference: AIStyleRow | None
    threshold: float
    false_alarm_rate: float | None
    false_alarm_text: str
    n_pre_ai_posts: int
    detection_rate: float
    flagged_now: int
    n_now: int
    pre_ai_before: str
    caveat: str
    sentence: str = ""
    #: post id -> flagged AI-styled at the team threshold, for the posts of the quarter
    flags: dict[str, bool] = field(default_factory=dict)


@dataclass
class KeyFinding:
    """One finding of page 1, with a concrete example quoted from the quarter's posts."""

    title: str
    text: str
    example: str


@dataclass
class NextSteps:
    """Page 1's "what to do next": phrases to cut and posts to rework."""

    phrases_to_cut: list[str] = field(default_factory=list)
    posts_to_rework: list[str] = field(default_factory=list)
    model_posts: list[str] = field(default_factory=list)


@dataclass
class QuarterReport:
    """Everything in the quarterly report."""

    quarter: str
    start: str
    end: str
    generated: str
    title: str
    headline: Headline
    charts: list[DimensionChart]
    verdicts: list[VerdictLine]
    adoption: list[str]
    ai: AiComparison
    new_phrases: list[NewPhrase]
    authors: list[AuthorRow]
    corpus: list[CorpusRow]
    methods: Methods
    dimension_titles: dict[str, str]
    freshest: list[PostHighlight] = field(default_factory=list)
    most_generic: list[PostHighlight] = field(default_factory=list)
    post_rows: list[dict[str, object]] = field(default_factory=list)
    series_rows: list[dict[str, object]] = field(default_factory=list)
    ai_style: AIStyleSection | None = None
    #: The plain-language answer (core.report.summary), the same text as CLI and dashboard.
    summary: list[str] = field(default_factory=list)
    #: Page 1: the headline chart (freshness index per quarter with the baseline band).
    headline_chart: DimensionChart | None = None
    findings: list[KeyFinding] = field(default_factory=list)
    next_steps: NextSteps = field(default_factory=NextSteps)
