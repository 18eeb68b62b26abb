"""The freshness index: which dimension percentiles it combines, with which weights (one rule).

Every dimension percentile is already oriented (0-100, higher = fresher, see core.baseline.scoring).
The index is the weighted mean of the AVAILABLE dimension percentiles of a post, with the
weights below; a dimension with no value (no AI-style model, too short a text) drops out and
the others are re-weighted. Chosen from the separation measured in docs/separation.md (human
vs GPT-4o passages, each domain held out, `scripts/evaluate_separation.py`): a dimension
whose held-out ROC AUC is below 0.5 (it points the wrong way) or whose direction flips
between domains gets no weight.

* ``ai_style`` (weight 3): out-of-domain AUC 0.82, the one dimension that separates.
* ``genericness`` (weight 1): AUC 0.51 as a dimension (AI-marker words alone 0.59); it is what
  "generic" means in the app's question, and a draft stuffed with clichés must score low.
* ``readability`` (0): AUC 0.52 overall but 0.35-0.69 by domain: no stable direction.
* ``repetition`` (0): AUC 0.43, and ``diversity`` (0): AUC 0.31 -- GPT-4o rewrites use *more*
  varied vocabulary than their human originals, so neither points to fresher writing here.
  (DESIGN.md: within-post diversity is not an AI detector.)

Every dimension's raw values and percentiles are still shown beside the index, weighted or not.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

#: dimension -> weight in the freshness index (dimensions not listed have weight 0).
FRESHNESS_WEIGHTS: dict[str, float] = {"ai_style": 3.0, "genericness": 1.0}
#: The composition before issue 12 (plain mean of four dimensions), kept for the evaluation.
OLD_WEIGHTS: dict[str, float] = {
    "diversity": 1.0,
    "repetition": 1.0,
    "genericness": 1.0,
    "readability": 1.0,
}
#: Dimension percentile columns shown beside the index (weighted or not), in this order. The
#: AI-style estimate has its own display (probability and the team's flag) and stays there.
FRESHNESS_DIMENSIONS = ("diversity", "repetition", "genericness", "readability")


def freshness_rows(
    dims: Mapping[str, np.ndarray], n_rows: int, weights: Mapping[str, float] | None = None
) -> np.ndarray:
    """The freshness index of every row: the weighted mean of the row's available dimension
    percentiles (NaN where none is available)."""
    weights = FRESHNESS_WEIGHTS if weights is None else weights
    total, norm = np.zeros(n_rows), np.zeros(n_rows)
    for dimension, weight in weights.items():
        if weight > 0 and dimension in dims:
            ok = ~np.isnan(dims[dimension])
            total += np.where(ok, dims[dimension], 0.0) * weight
            norm += ok * weight
    return np.where(norm > 0, total / np.maximum(norm, 1e-12), np.nan)


def freshness_index(
    dimensions: Mapping[str, float | None], weights: Mapping[str, float] | None = None
) -> float | None:
    """`freshness_rows` for one post (None when no dimension percentile is available)."""
    dims = {d: np.array([np.nan if v is None else v], dtype=float) for d, v in dimensions.items()}
    value = float(freshness_rows(dims, 1, weights)[0])
    return None if np.isnan(value) else value
