"""Per-period aggregation of metrics: mean, median, n and a seeded bootstrap 90% interval."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import stats

from desktop_app.core.trends.periods import Granularity, period_key, period_range

MIN_POSTS = 3  # periods with fewer posts are reported as "too few posts"
CONFIDENCE = 0.90
N_RESAMPLES = 999
SEED = 20240901
_MAX_BATCH_CELLS = 4_000_000  # bounds the memory of one bootstrap batch
#: Periods with more posts get the large-sample limit of the same percentile bootstrap (from
#: the first four moments, `limit_intervals`) instead of N_RESAMPLES resamples of every post.
BOOTSTRAP_MAX_POSTS = 200
_Z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))


@dataclass(frozen=True)
class PeriodStat:
    """One period of a metric series."""

    period: str
    n: int
    mean: float | None
    median: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def enough(self) -> bool:
        """True when the period has at least MIN_POSTS posts."""
        return self.n >= MIN_POSTS

    @property
    def status(self) -> str:
        """'ok', or 'too few posts (n=…)' for sparse periods."""
        return "ok" if self.enough else f"too few posts (n={self.n})"


def seed_for(key: str, seed: int = SEED) -> int:
    """A per-period seed, so a period's interval does not depend on the other periods."""
    return (seed * 1_000_003 + zlib.crc32(key.encode("utf-8"))) % (2**32)


def bootstrap_intervals(matrix: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap 90% interval of the mean of each row (scipy.stats.bootstrap).

    All rows share the same resampled posts, so one call covers every metric of a period.
    """
    data = np.atleast_2d(np.asarray(matrix, dtype=float))
    k, n = data.shape
    low, high = data.mean(axis=1), data.mean(axis=1)
    varying = np.ptp(data, axis=1) > 0 if n else np.zeros(k, dtype=bool)
    if n < 2 or not varying.any():
        return low, high
    result = stats.bootstrap(
        (data[varying],),
        np.mean,
        confidence_level=CONFIDENCE,
        n_resamples=N_RESAMPLES,
        batch=max(50, _MAX_BATCH_CELLS // (int(varying.sum()) * n)),
        method="percentile",
        vectorized=True,
        axis=-1,
        rng=np.random.default_rng(seed),
    )
    low[varying] = result.confidence_interval.low
    high[varying] = result.confidence_interval.high
    return low, high


def limit_intervals(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 90% percentile-bootstrap interval of the mean of each row, as the number of
    resamples goes to infinity: Cornish-Fisher quantiles of the bootstrap distribution of the
    mean, whose mean, variance, skewness and kurtosis follow exactly from the sample's.

    Resampling n values with replacement gives a mean with variance m2/n, skewness
    (m3/m2^1.5)/sqrt(n) and excess kurtosis (m4/m2^2 - 3)/n (m_k: central moments of the
    sample); the expansion's error is O(1/n^1.5) of the standard error, far below the Monte
    Carlo error of 999 resamples (about 0.07 standard errors at each end).
    """
    data = np.atleast_2d(np.asarray(matrix, dtype=float))
    n = data.shape[1]
    mean = data.mean(axis=1)
    dev = data - mean[:, None]
    m2 = np.mean(dev**2, axis=1)
    safe = np.where(m2 > 0, m2, 1.0)
    skew = np.mean(dev**3, axis=1) / safe**1.5 / np.sqrt(n)
    kurt = (np.mean(dev**4, axis=1) / safe**2 - 3) / n
    se = np.sqrt(m2 / n)
    bounds = []
    for z in (-_Z, _Z):
        w = (
            z
            + (z * z - 1) * skew / 6
            + (z**3 - 3 * z) * kurt / 24
            - (2 * z**3 - 5 * z) * skew**2 / 36
        )
        bounds.append(np.where(m2 > 0, mean + se * w, mean))
    return bounds[0], bounds[1]


def bootstrap_interval(values: Sequence[float], seed: int) -> tuple[float, float]:
    """Bootstrap 90% interval of the mean of one sample."""
    low, high = bootstrap_intervals(np.asarray(values, dtype=float)[None, :], seed)
    return float(low[0]), float(high[0])


def _stats_for_columns(key: str, block: np.ndarray, seed: int) -> list[PeriodStat]:
    """PeriodStats for the columns of `block` (posts x metrics, no missing values)."""
    n = block.shape[0]
    if n == 0:
        return [PeriodStat(key, 0, None, None, None, None)] * block.shape[1]
    means, medians = block.mean(axis=0), np.median(block, axis=0)
    if n > BOOTSTRAP_MAX_POSTS:
        lows, highs = limit_intervals(block.T)
    elif n >= MIN_POSTS:
        lows, highs = bootstrap_intervals(block.T, seed_for(key, seed))
    else:
        lows = highs = np.full(block.shape[1], np.nan)
    return [
        PeriodStat(key, n, float(m), float(md), _opt(lo), _opt(hi))
        for m, md, lo, hi in zip(means, medians, lows, highs, strict=True)
    ]


def _opt(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def period_stats_matrix(key: str, values: np.ndarray, seed: int = SEED) -> list[PeriodStat]:
    """One PeriodStat per column of `values` (posts x metrics, NaN = missing)."""
    values = np.asarray(values, dtype=float)
    values = values.reshape(values.shape[0], -1) if values.ndim != 2 else values
    present = ~np.isnan(values)
    out: list[PeriodStat | None] = [None] * values.shape[1]
    patterns: dict[bytes, list[int]] = defaultdict(list)
    for col in range(values.shape[1]):
        patterns[present[:, col].tobytes()].append(col)
    for cols in patterns.values():
        rows = present[:, cols[0]]
        stats_ = _stats_for_columns(key, values[rows][:, cols], seed)
        for col, stat in zip(cols, stats_, strict=True):
            out[col] = stat
    return [s for s in out if s is not None]


def period_stat(key: str, values: Sequence[float], seed: int = SEED) -> PeriodStat:
    """Aggregate one period's values of one metric."""
    return period_stats_matrix(key, np.asarray(values, dtype=float).reshape(-1, 1), seed)[0]


def group_by_period(
    observations: Iterable[tuple[date, float]], by: Granularity
) -> dict[str, list[float]]:
    """Values grouped by their period key."""
    groups: dict[str, list[float]] = defaultdict(list)
    for day, value in observations:
        groups[period_key(day, by)].append(value)
    return groups


def build_series(
    observations: Iterable[tuple[date, float]],
    by: Granularity,
    *,
    first: str | None = None,
    last: str | None = None,
    seed: int = SEED,
) -> list[PeriodStat]:
    """Every period from the first to the last observation (or the given bounds), empty ones too."""
    groups = group_by_period(observations, by)
    if not groups and (first is None or last is None):
        return []
    start = first or min(groups)
    end = last or max(groups)
    return [period_stat(key, groups.get(key, []), seed) for key in period_range(start, end)]


def usable(series: Sequence[PeriodStat]) -> list[PeriodStat]:
    """The periods with enough posts to enter a trend test."""
    return [p for p in series if p.enough and p.mean is not None]
