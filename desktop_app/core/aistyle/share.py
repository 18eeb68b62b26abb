"""Team-relative share of AI-styled posts: a mixture estimate against the team's pre-AI posts.

After Liang et al. 2024 ("Monitoring AI-Modified Content at Scale"): the scores of a period's
posts are modelled as a mixture ``(1 - a) * H + a * A`` where H is the distribution of the
team's own pre-AI posts (the human reference, so a team whose genre scores high starts from
its own level, not from zero) and A the distribution of labelled AI passages (the model's
out-of-fold scores). The share ``a`` is the maximum-likelihood estimate; a likelihood-ratio
test against ``a = 0`` gives the p-value; a bootstrap that resamples both the period's posts
and the human reference gives the 90% interval. Scores enter as logits of the calibrated
probability, densities are Gaussian kernel estimates on a fine grid (so each bootstrap draw
costs a histogram, not a kernel sum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

CI_LEVEL = 0.90
DRAWS = 500
#: A period with fewer posts gets a point estimate but no interval ("too few posts").
MIN_INTERVAL_POSTS = 3
_CLIP = 1e-4
_LOW, _HIGH, _BINS = -10.0, 10.0, 200
_WIDTH = (_HIGH - _LOW) / _BINS
#: Share of each density spread uniformly, so an outlying score never has zero likelihood.
_FLOOR = 1e-3
_BISECTIONS = 40


@dataclass(frozen=True)
class ShareEstimate:
    """Estimated share of AI-styled posts in a group, with its interval and test."""

    n: int
    share: float
    ci_low: float | None  # None: too few posts for an interval
    ci_high: float | None
    p_value: float  # likelihood-ratio test of share > 0


def logits(probs: np.ndarray) -> np.ndarray:
    """Logit of calibrated probabilities (clipped away from 0 and 1)."""
    p = np.clip(np.asarray(probs, dtype=float), _CLIP, 1 - _CLIP)
    return np.log(p / (1 - p))


def _bins(scores: np.ndarray) -> np.ndarray:
    return np.clip(((scores - _LOW) / _WIDTH).astype(int), 0, _BINS - 1)


def _bandwidth(scores: np.ndarray) -> float:
    """Silverman's rule of thumb (robust spread), at least two grid bins."""
    spread = float(np.std(scores))
    iqr = float(np.subtract(*np.percentile(scores, [75, 25]))) / 1.34
    sigma = min(spread, iqr) if iqr > 0 else spread
    return max(0.9 * sigma * len(scores) ** -0.2, 2 * _WIDTH)


_CENTRES = _LOW + _WIDTH * (np.arange(_BINS) + 0.5)


@lru_cache(maxsize=64)
def _kernel(bandwidth: float) -> np.ndarray:
    """Gaussian kernel matrix between grid bins (one matrix product smooths many histograms)."""
    return np.exp(-0.5 * ((_CENTRES[:, None] - _CENTRES[None, :]) / bandwidth) ** 2)


def _density(counts: np.ndarray, bandwidth: float) -> np.ndarray:
    """Kernel density on the grid from bin counts (last axis), floored, integrating to 1."""
    smooth = counts.astype(float) @ _kernel(bandwidth)
    total = smooth.sum(axis=-1, keepdims=True)
    dens = smooth / np.where(total > 0, total, 1.0) / _WIDTH
    return (1 - _FLOOR) * dens + _FLOOR / (_HIGH - _LOW)


@dataclass(frozen=True)
class Reference:
    """The two mixture components as grid densities, and the human sample behind the first."""

    human_bins: np.ndarray
    human_bandwidth: float
    ai_density: np.ndarray

    @classmethod
    def of(cls, human_probs: np.ndarray, ai_probs: np.ndarray) -> Reference:
        """Components from the team's pre-AI probabilities and labelled AI probabilities."""
        human, ai = logits(human_probs), logits(ai_probs)
        counts = np.bincount(_bins(ai), minlength=_BINS)
        return cls(_bins(human), _bandwidth(human), _density(counts, _bandwidth(ai)))

    def without(self, mask: np.ndarray) -> Reference:
        """The same reference with some human posts left out (out-of-sample estimates)."""
        return Reference(self.human_bins[~mask], self.human_bandwidth, self.ai_density)

    def human_density(self) -> np.ndarray:
        """Density of the human component on the grid."""
        return _density(np.bincount(self.human_bins, minlength=_BINS), self.human_bandwidth)


def _log_lik_slope(fh: np.ndarray, fa: np.ndarray, share: np.ndarray) -> np.ndarray:
    """d/da of sum log((1 - a) fh + a fa), per row."""
    diff = fa - fh
    return (diff / (fh + share[..., None] * diff)).sum(axis=-1)


def mle_share(fh: np.ndarray, fa: np.ndarray) -> np.ndarray:
    """Maximum-likelihood mixing share per row (the log-likelihood is concave: bisection)."""
    rows = fh.shape[:-1]
    low, high = np.zeros(rows), np.ones(rows)
    at_zero = _log_lik_slope(fh, fa, low) <= 0
    at_one = _log_lik_slope(fh, fa, high) >= 0
    for _ in range(_BISECTIONS):
        mid = (low + high) / 2
        rising = _log_lik_slope(fh, fa, mid) > 0
        low, high = np.where(rising, mid, low), np.where(rising, high, mid)
    return np.where(at_zero, 0.0, np.where(at_one, 1.0, (low + high) / 2))


def lr_p_value(fh: np.ndarray, fa: np.ndarray, share: float) -> float:
    """One-sided likelihood-ratio p-value of share > 0 (boundary: half a chi-square(1))."""
    gain = 2 * float(np.log((1 - share) * fh + share * fa).sum() - np.log(fh).sum())
    return 1.0 if gain <= 0 else float(0.5 * stats.chi2.sf(gain, 1))


def _scored(probs: np.ndarray) -> np.ndarray:
    probs = np.asarray(probs, dtype=float)
    return probs[~np.isnan(probs)]


def _point(fh: np.ndarray, fa: np.ndarray) -> tuple[float, float]:
    """(maximum-likelihood share, likelihood-ratio p-value) of posts with densities fh, fa."""
    share = float(mle_share(fh[None, :], fa[None, :])[0])
    return share, lr_p_value(fh, fa, share)


def estimate_share(
    probs: np.ndarray, reference: Reference, seed: int = 0, draws: int = DRAWS
) -> ShareEstimate:
    """Share of AI-styled posts among `probs`, against `reference`, with a bootstrap interval."""
    probs = _scored(probs)
    if not len(probs) or not len(reference.human_bins):
        return ShareEstimate(len(probs), float("nan"), None, None, 1.0)
    post_bins = _bins(logits(probs))
    share, p_value = _point(reference.human_density()[post_bins], reference.ai_density[post_bins])
    if len(probs) < MIN_INTERVAL_POSTS:
        return ShareEstimate(len(probs), share, None, None, p_value)
    low, high = _bootstrap(post_bins, reference, np.random.default_rng(seed), draws)
    return ShareEstimate(len(probs), share, low, high, p_value)


def pooled_out_of_sample(
    keys: Sequence[str], probs: np.ndarray, ai_probs: np.ndarray, seed: int = 0
) -> ShareEstimate:
    """One share over reference posts, each period scored against the *other* periods.

    This is the level the method starts from on the team's own pre-AI writing (about 0 when
    the style is stable); averaging per-period estimates instead would be biased upwards,
    since a share cannot go below 0. Interval: bootstrap over the posts.
    """
    probs = np.asarray(probs, dtype=float)
    keys_arr = np.asarray(keys, dtype=object)
    ok = ~np.isnan(probs)
    keys_arr, probs = keys_arr[ok], probs[ok]
    if len(set(keys_arr.tolist())) < 2:
        return ShareEstimate(len(probs), float("nan"), None, None, 1.0)
    reference = Reference.of(probs, ai_probs)
    post_bins = _bins(logits(probs))
    fh = np.empty(len(probs))
    for key in set(keys_arr.tolist()):
        own = keys_arr == key
        fh[own] = reference.without(own).human_density()[post_bins[own]]
    fa = reference.ai_density[post_bins]
    share, p_value = _point(fh, fa)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(probs), size=(DRAWS, len(probs)))
    shares = mle_share(fh[picks], fa[picks])
    tail = (1 - CI_LEVEL) / 2 * 100
    low, high = np.percentile(shares, [tail, 100 - tail])
    return ShareEstimate(len(probs), share, float(low), float(high), p_value)


def _bootstrap(
    post_bins: np.ndarray, reference: Reference, rng: np.random.Generator, draws: int
) -> tuple[float, float]:
    """Percentile interval of the share, resampling the posts and the human reference."""
    human = reference.human_bins
    rows = np.arange(draws)[:, None] * _BINS
    drawn = human[rng.integers(0, len(human), size=(draws, len(human)))] + rows
    resampled = np.bincount(drawn.ravel(), minlength=draws * _BINS).reshape(draws, _BINS)
    fh_grid = _density(resampled, reference.human_bandwidth)
    picks = post_bins[rng.integers(0, len(post_bins), size=(draws, len(post_bins)))]
    fh = np.take_along_axis(fh_grid, picks, axis=1)
    shares = mle_share(fh, reference.ai_density[picks])
    tail = (1 - CI_LEVEL) / 2 * 100
    low, high = np.percentile(shares, [tail, 100 - tail])
    return float(low), float(high)


def period_shares(
    keys: Sequence[str],
    probs: np.ndarray,
    reference_keys: Sequence[str],
    reference_probs: np.ndarray,
    ai_probs: np.ndarray,
    seed: int = 0,
) -> dict[str, ShareEstimate]:
    """Share per period of the posts (`keys`, `probs`) against the human reference posts.

    A period that holds reference posts is estimated against the *other* reference posts,
    so the pre-AI level is measured out of sample rather than being 0 by construction.
    """
    ok = ~np.isnan(reference_probs)
    ref_keys = np.asarray(reference_keys, dtype=object)[ok]
    if not ok.any():
        return {}
    reference = Reference.of(reference_probs[ok], ai_probs)
    post_keys = np.asarray(keys, dtype=object)
    out = {}
    for key in sorted(set(keys)):
        own = ref_keys == key
        ref = reference.without(own) if own.any() else reference
        out[key] = estimate_share(probs[post_keys == key], ref, seed)
    return out
