"""Team-relative share of AI-styled posts: a mixture estimate against the team's pre-AI posts.

After Liang et al. 2024 ("Monitoring AI-Modified Content at Scale"): the scores of a period's
posts are modelled as a mixture ``(1 - a) * H + a * A`` where H is the distribution of the
team's own pre-AI posts (the human reference, so a team whose genre scores high starts from
its own level, not from zero) and A the distribution of labelled AI passages (the model's
out-of-fold scores). The share ``a`` is the maximum-likelihood estimate.

A team's own style also wanders from quarter to quarter (topics, authors, formats). The
human component of one period may therefore be shifted by ``u ~ Normal(0, tau^2)`` on the
logit scale, where ``tau`` is the between-period spread of the team's pre-AI posts (method of
moments); the likelihood is integrated over that shift. A period whose posts only look like
the team on a different day is then not read as AI use, and a team whose style wanders a lot
gets correspondingly wide intervals.

Scores enter as logits of the calibrated probability; densities are Gaussian kernel estimates
on a fine grid; the likelihood is evaluated on a grid of shares (0, 1/100, ..., 1). The share
shown is the posterior median under a prior that puts half its mass on "no AI-styled posts"
(so a quarter of ordinary posts reads 0%, not whatever the noise favours), with the 90%
posterior interval; the posterior is averaged over bootstrap resamples of the human reference,
so a small reference gives a wide interval. The p-value behind the verdicts is a frequentist
likelihood-ratio test of ``a > 0``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import logsumexp

CI_LEVEL = 0.90
#: Bootstrap resamples of the human reference the posterior is averaged over.
RESAMPLES = 40
#: Prior probability that a period holds no AI-styled posts at all.
PRIOR_NONE = 0.5
#: A period with fewer posts gets no estimate ("too few posts").
MIN_INTERVAL_POSTS = 3
_CLIP = 1e-4
_LOW, _HIGH, _BINS = -10.0, 10.0, 200
_WIDTH = (_HIGH - _LOW) / _BINS
#: Share of each density spread uniformly, so an outlying score never has zero likelihood.
_FLOOR = 1e-3
SHARES = np.linspace(0.0, 1.0, 101)
_SHIFT_Z = np.linspace(-2.5, 2.5, 11)
#: Standard normal log-density, as scipy.stats.norm.logpdf computes it (scipy.stats itself
#: costs a process ~1.5 s to import; it is imported only for a p-value).
_SHIFT_LOG_PDF = -(_SHIFT_Z**2) / 2.0 - np.log(np.sqrt(2 * np.pi))
_SHIFT_LOG_W = _SHIFT_LOG_PDF - logsumexp(_SHIFT_LOG_PDF)
#: Bounds the memory of one likelihood evaluation (cells of shares x shifts x posts).
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class ShareEstimate:
    """Estimated share of AI-styled posts in a group, with its interval and test."""

    n: int
    share: float | None  # None: fewer than MIN_INTERVAL_POSTS posts ("too few posts")
    ci_low: float | None
    ci_high: float | None
    p_value: float  # likelihood-ratio test of share > 0


def key_rows(keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Row numbers (ascending) of each distinct key: one sort instead of one pass per key."""
    if not len(keys):
        return {}
    distinct, inverse = np.unique(np.asarray(keys, dtype=str), return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    parts = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    return {str(key): part.astype(np.int64) for key, part in zip(distinct, parts, strict=True)}


def _mask(rows: dict[str, np.ndarray], key: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[rows.get(key, np.empty(0, dtype=np.int64))] = True
    return mask


def logits(probs: np.ndarray) -> np.ndarray:
    """Logit of calibrated probabilities (clipped away from 0 and 1)."""
    p = np.clip(np.asarray(probs, dtype=float), _CLIP, 1 - _CLIP)
    return np.log(p / (1 - p))


def _bins(scores: np.ndarray) -> np.ndarray:
    return np.clip(((scores - _LOW) / _WIDTH).astype(int), 0, _BINS - 1)


#: Kernel bandwidths are Silverman's rule times this: oversmoothing spreads the team's sparse
#: tails, so a post in a thinly covered corner of the team's own style is not read as AI.
OVERSMOOTH = 1.5


def _bandwidth(scores: np.ndarray) -> float:
    """Silverman's rule of thumb (robust spread) x OVERSMOOTH, at least two grid bins."""
    spread = float(np.std(scores))
    iqr = float(np.subtract(*np.percentile(scores, [75, 25]))) / 1.34
    sigma = min(spread, iqr) if iqr > 0 else spread
    return max(OVERSMOOTH * 0.9 * sigma * len(scores) ** -0.2, 2 * _WIDTH)


_CENTRES = _LOW + _WIDTH * (np.arange(_BINS) + 0.5)


@lru_cache(maxsize=64)
def _kernel(bandwidth: float) -> np.ndarray:
    """Gaussian kernel matrix between grid bins (one matrix product smooths many histograms).

    Entries below 1e-100 are set to 0: products in the subnormal range make the matrix product
    about 50x slower, and such entries add at most about 1e-90 to a density that is floored at
    5e-5, far below its last bit, so the densities are unchanged.
    """
    kernel = np.exp(-0.5 * ((_CENTRES[:, None] - _CENTRES[None, :]) / bandwidth) ** 2)
    kernel[kernel < 1e-100] = 0.0
    return kernel


def _density(counts: np.ndarray, bandwidth: float) -> np.ndarray:
    """Kernel density on the grid from bin counts (last axis), floored, integrating to 1."""
    # einsum, not BLAS: a threaded product this small stalls for milliseconds on a busy machine
    smooth = np.einsum("...i,ij->...j", counts.astype(float), _kernel(bandwidth))
    total = smooth.sum(axis=-1, keepdims=True)
    dens = smooth / np.where(total > 0, total, 1.0) / _WIDTH
    return (1 - _FLOOR) * dens + _FLOOR / (_HIGH - _LOW)


def between_period_spread(scores: np.ndarray, keys: Sequence[str]) -> float:
    """SD of the period effect on the logit scale (method of moments; 0 when none shows)."""
    members = key_rows(keys)
    groups = [scores[members[k]] for k in sorted(members)]
    groups = [g for g in groups if len(g) >= 2]
    if len(groups) < 3:
        return 0.0
    means = np.array([g.mean() for g in groups])
    sizes = np.array([len(g) for g in groups], dtype=float)
    within = float(np.mean([g.var(ddof=1) for g in groups]))
    tau2 = float(np.var(means, ddof=1)) - within * float(np.mean(1 / sizes))
    return float(np.sqrt(max(tau2, 0.0)))


@dataclass(frozen=True)
class Reference:
    """The two mixture components on the grid: the team's human sample and the AI density."""

    human_bins: np.ndarray
    human_bandwidth: float
    ai_density: np.ndarray
    tau: float = 0.0  # between-period spread of the human reference (logit scale)

    @classmethod
    def of(
        cls, human_probs: np.ndarray, ai_probs: np.ndarray, keys: Sequence[str] | None = None
    ) -> Reference:
        """Components from the team's pre-AI probabilities (with their periods, for the
        between-period spread) and labelled AI probabilities."""
        human, ai = logits(human_probs), logits(ai_probs)
        counts = np.bincount(_bins(ai), minlength=_BINS)
        tau = between_period_spread(human, keys) if keys is not None else 0.0
        return cls(_bins(human), _bandwidth(human), _density(counts, _bandwidth(ai)), tau)

    def without(self, mask: np.ndarray) -> Reference:
        """The same reference with some human posts left out (out-of-sample estimates)."""
        return Reference(self.human_bins[~mask], self.human_bandwidth, self.ai_density, self.tau)

    def human_density(self) -> np.ndarray:
        """Density of the human component on the grid."""
        return _density(np.bincount(self.human_bins, minlength=_BINS), self.human_bandwidth)

    def shift_bins(self) -> np.ndarray:
        """The period shifts integrated over, in grid bins (just 0 when tau is 0)."""
        if self.tau <= 0:
            return np.zeros(1, dtype=int)
        return np.round(_SHIFT_Z * self.tau / _WIDTH).astype(int)

    def shift_log_weights(self) -> np.ndarray:
        """Log prior weights of the shifts."""
        return np.zeros(1) if self.tau <= 0 else _SHIFT_LOG_W


def _shifted(density: np.ndarray, shifts: np.ndarray, post_bins: np.ndarray) -> np.ndarray:
    """Human density at each post's bin under each shift: (..., shifts, posts)."""
    source = np.clip(post_bins[..., None, :] - shifts[:, None], 0, _BINS - 1)
    if density.ndim == 1:
        return density[source]
    flat = source.reshape(len(density), -1)
    return np.take_along_axis(density, flat, axis=1).reshape(source.shape)


def log_likelihood_curve(
    fh: np.ndarray,
    fa: np.ndarray,
    log_w: np.ndarray,
    shares: np.ndarray = SHARES,
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """Log-likelihood of each share, integrated over the period shift.

    fh: (..., shifts, posts) human densities, fa: (..., posts) AI densities -> (..., shares).
    `counts` (posts,) weighs each column, e.g. how many posts share that grid bin.
    """
    lead = fh.shape[:-2]
    per_shift = np.zeros((*lead, len(shares), fh.shape[-2]))
    step = max(1, _CHUNK_CELLS // max(1, len(shares) * fh.shape[-2] * int(np.prod(lead))))
    for start in range(0, fh.shape[-1], step):
        h, a = fh[..., start : start + step], fa[..., start : start + step]
        mix = (1 - shares[:, None, None]) * h[..., None, :, :] + shares[:, None, None] * a[
            ..., None, None, :
        ]
        logs = np.log(mix)
        if counts is not None:
            logs = logs * counts[start : start + step]
        per_shift += logs.sum(axis=-1)
    return logsumexp(per_shift + log_w, axis=-1)


@lru_cache(maxsize=256)
def _distinct_shifts(tau: float) -> tuple[np.ndarray, np.ndarray]:
    """The shifts in grid bins for a between-period spread `tau`, each once, with the summed
    prior weight of those rounding to it (the same shift gives the same likelihood, so
    merging them changes nothing). Callers must not change the arrays."""
    reference = Reference(np.empty(0, dtype=int), 0.0, np.empty(0), tau)
    shifts, log_w = reference.shift_bins(), reference.shift_log_weights()
    distinct, inverse = np.unique(shifts, return_inverse=True)
    merged = np.array([logsumexp(log_w[inverse == i]) for i in range(len(distinct))])
    return distinct, merged


def _curves(
    bins: np.ndarray, counts: np.ndarray, reference: Reference, densities: np.ndarray
) -> np.ndarray:
    """Log-likelihood curves (rows of `densities` x SHARES) of posts in grid `bins` (`counts`
    posts each): ``log_likelihood_curve`` with each bin taken once, weighted by its count.

    A post enters only through its bin, so the cost is bounded by the grid, not by the number
    of posts. The logs are taken in float32 (one resample at a time, in cache): the curves
    move by about 1e-7 of their size (a few 1e-4 in log-likelihood), far below what changes
    a 1/100 share step or a p-value's reading.
    """
    shifts, log_w = _distinct_shifts(reference.tau)
    source = np.clip(bins[None, :] - shifts[:, None], 0, _BINS - 1)
    human = densities[:, source].astype(np.float32)  # (resamples, shifts, bins)
    ai = (SHARES[:, None] * reference.ai_density[bins][None, :]).astype(np.float32)
    keep = (1 - SHARES).astype(np.float32)[None, :, None]
    weights = counts.astype(np.float32)
    per_shift = np.empty((len(densities), len(shifts), len(SHARES)))
    mix = np.empty((len(shifts), len(SHARES), len(bins)), dtype=np.float32)
    for row, h in enumerate(human):
        np.multiply(h[:, None, :], keep, out=mix)
        mix += ai[None]
        np.log(mix, out=mix)
        per_shift[row] = np.einsum("sab,b->sa", mix, weights)
    return logsumexp(per_shift + log_w[None, :, None], axis=1)


#: Curves already computed in this process, by reference and period content (a trends run,
#: the report and the summary ask for the same periods against the same references).
_MEMO: OrderedDict[bytes, np.ndarray] = OrderedDict()
_MEMO_SIZE = 1024


def _digest(*parts: np.ndarray) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(np.ascontiguousarray(part).tobytes())
        hasher.update(b"|")
    return hasher.digest()


def clear_memo() -> None:
    """Forget the memoised curves and densities (benchmarks time cold runs)."""
    _MEMO.clear()
    _DENSITIES.clear()


def period_curves(post_bins: np.ndarray, reference: Reference, seed: int = 0) -> np.ndarray:
    """Log-likelihood curves of one period's posts (grid bins) under the reference's human
    density (row 0) and its RESAMPLES bootstrap resamples (memoised)."""
    full = np.bincount(reference.human_bins, minlength=_BINS)
    bins, counts = np.unique(post_bins, return_counts=True)
    scalars = np.array([reference.human_bandwidth, reference.tau, float(seed)])
    reference_key = _digest(full, scalars)
    key = _digest(full, reference.ai_density, scalars, bins, counts)
    found = _MEMO.get(key)
    if found is None:
        densities = _DENSITIES.get(reference_key)
        if densities is None:  # every post-AI period is scored against the same reference
            densities = _resampled_densities(reference, np.random.default_rng(seed))
            _DENSITIES[reference_key] = densities
            if len(_DENSITIES) > _DENSITIES_SIZE:
                _DENSITIES.popitem(last=False)
        found = _MEMO[key] = _curves(bins, counts, reference, densities)
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    _MEMO.move_to_end(key)
    return found


#: Resampled human densities by reference and seed (a fresh generator per call makes them a
#: function of those alone): (RESAMPLES + 1) x grid floats each.
_DENSITIES: OrderedDict[bytes, np.ndarray] = OrderedDict()
_DENSITIES_SIZE = 64


def _resampled_densities(reference: Reference, rng: np.random.Generator) -> np.ndarray:
    """The human density as estimated (row 0) and from RESAMPLES bootstrap resamples of the
    reference posts (the other rows): the posterior averages over them.

    A resample of the n reference posts has multinomial(n, observed bin shares) bin counts, so
    the counts are drawn as such: the same bootstrap, at a cost set by the grid, not by n.
    """
    full = np.bincount(reference.human_bins, minlength=_BINS)
    n = int(full.sum())
    counts = rng.multinomial(n, full / n, size=RESAMPLES) if n else np.zeros((RESAMPLES, _BINS))
    return _density(np.vstack([full[None, :], counts]), reference.human_bandwidth)


def _posterior(curves: np.ndarray) -> np.ndarray:
    """Posterior over SHARES, averaged over the reference resamples (rows of `curves`).

    Prior: half its mass on 'no AI-styled posts' (share 0), half spread evenly over the other
    shares, so a period reads as AI-styled only when its posts say so; the point estimate is
    the posterior median (0 unless the evidence for a share above 0 outweighs that prior).
    """
    prior = np.full(len(SHARES), (1 - PRIOR_NONE) / (len(SHARES) - 1))
    prior[0] = PRIOR_NONE
    post = np.exp(curves - curves.max(axis=-1, keepdims=True)) * prior
    post /= post.sum(axis=-1, keepdims=True)
    return post[1:].mean(axis=0) if len(post) > 1 else post[0]


def _summary(posterior: np.ndarray) -> tuple[float, float, float]:
    """(median, lower, upper bound of the equal-tailed CI_LEVEL interval) of a posterior."""
    cdf = np.cumsum(posterior)
    tail = (1 - CI_LEVEL) / 2
    pick = [min(int((cdf < q - 1e-12).sum()), len(SHARES) - 1) for q in (0.5, tail, 1 - tail)]
    median, low, high = (float(SHARES[i]) for i in pick)
    return median, low, high


def _p_value(curve: np.ndarray) -> float:
    """One-sided likelihood-ratio p-value of share > 0 (boundary: half a chi-square(1))."""
    gain = 2 * float(curve.max() - curve[0])
    if gain <= 0:
        return 1.0
    from scipy import stats

    return float(0.5 * stats.chi2.sf(gain, 1))


def _scored(probs: np.ndarray) -> np.ndarray:
    probs = np.asarray(probs, dtype=float)
    return probs[~np.isnan(probs)]


def estimate_share(probs: np.ndarray, reference: Reference, seed: int = 0) -> ShareEstimate:
    """Share of AI-styled posts among one period's `probs`, against `reference`."""
    return pooled_share(["period"] * len(_scored(probs)), _scored(probs), reference, seed)


def pooled_share(
    keys: Sequence[str],
    probs: np.ndarray,
    reference: Reference,
    seed: int = 0,
    own_keys: Sequence[str] | None = None,
) -> ShareEstimate:
    """One share over posts of one or more periods, each period with its own style shift.

    With `own_keys` (the reference posts' periods), each period is scored against the
    reference without its own posts (the out-of-sample pre-AI level).
    """
    probs = np.asarray(probs, dtype=float)
    ok = ~np.isnan(probs)
    kept = [k for k, keep in zip(keys, ok.tolist(), strict=True) if keep]
    rows, probs = key_rows(kept), probs[ok]
    own = 0 if own_keys is None else len(own_keys)
    total: np.ndarray | None = None
    own_rows = key_rows(own_keys) if own_keys is not None else {}
    for key in sorted(rows):
        ref = reference if own_keys is None else reference.without(_mask(own_rows, key, own))
        if not len(ref.human_bins):
            continue
        curves = period_curves(_bins(logits(probs[rows[key]])), ref, seed)
        total = curves if total is None else total + curves
    if total is None:
        return ShareEstimate(len(probs), None, None, None, 1.0)
    if len(probs) < MIN_INTERVAL_POSTS:
        return ShareEstimate(len(probs), None, None, None, _p_value(total[0]))
    median, low, high = _summary(_posterior(total))
    return ShareEstimate(len(probs), median, low, high, _p_value(total[0]))


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
    if not ok.any():
        return {}
    ref_keys = np.asarray(reference_keys, dtype=object)[ok]
    reference = Reference.of(reference_probs[ok], ai_probs, ref_keys.tolist())
    post_rows, ref_rows = key_rows(keys), key_rows(ref_keys.tolist())
    out = {}
    for key in sorted(set(keys)):
        own = _mask(ref_rows, key, len(ref_keys))
        ref = reference.without(own) if own.any() else reference
        out[key] = estimate_share(probs[post_rows[key]], ref, seed)
    return out
