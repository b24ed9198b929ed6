"""Fair exposure: spread the shown suggestions across roles in proportion to their open places.

Without it, a handful of well-written roles sit in everyone's top slot while small organizations'
roles are never shown (on the NYC Service data, ranking by popularity showed only 1.8% of roles).
Like VolunteerMatch's field experiments, which penalised a role after each connection, every time a
role is shown its effective score is discounted:

    effective = score / (1 + strength * exposures / (fair_share * capacity_left))

where ``fair_share`` = showings / open places, i.e. how many showings one place would get if
exposure were spread evenly. A role at its fair share is worth half of its score (strength 1).
The discount only reorders each volunteer's own pool of eligible candidates, so it can never
suggest an ineligible pair; the shown score stays the real score.

Volunteers pick one slot per round (round 1 = everyone's top slot), in batches; exposures are
updated after each batch so later batches see roles that already got attention.

Prior exposures. A full run in production is split into chunks, and a volunteer who edits their
profile is re-ranked alone; each call only sees its own volunteers. ``prior_exposures`` carries the
open suggestions each role already has from everyone else: they seed the exposure counts and join
the showings in the fair share, ``fair_share = (slots to fill + prior showings) / open places``
(both over the roles in this call's pools), so a role already in many lists starts discounted.
Without priors (``None``) every call starts from zero, exactly as before; all-zero priors give the
same picks as ``None``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

DEFAULT_STRENGTH = 1.0
#: Exposure counts are updated this many times per round (batches of volunteers/UPDATES_PER_ROUND):
#: close to a one-at-a-time greedy pass while staying vectorised (100,000 volunteers: batches of
#: 1,000, 100 numpy steps per round).
UPDATES_PER_ROUND = 100


def pick_fair(
    pool_roles: NDArray[np.int64],
    pool_scores: NDArray[np.float64],
    capacity_left: NDArray[np.int64],
    *,
    k: int,
    strength: float = DEFAULT_STRENGTH,
    batch_size: int | None = None,
    prior_exposures: NDArray[np.integer] | NDArray[np.floating] | None = None,
) -> NDArray[np.int64]:
    """Choose ``k`` columns of each volunteer's pool, in the order shown.

    ``pool_roles``/``pool_scores`` are (volunteers, pool) with role -1 / score -inf as padding;
    roles are rows of ``capacity_left``. ``prior_exposures``, aligned with ``capacity_left``, are
    showings each role already has from outside this call (see the module docstring).
    Returns (volunteers, k) column indices into the pool, -1 where the pool ran out.
    """
    n, width = pool_roles.shape
    chosen = np.full((n, k), -1, dtype=np.int64)
    if prior_exposures is not None:
        prior = np.asarray(prior_exposures, dtype=np.float64)
        if prior.shape != capacity_left.shape or (prior < 0).any():
            raise ValueError("prior_exposures must be counts >= 0, one per role of capacity_left")
    if n == 0 or width == 0:
        return chosen
    batch_size = batch_size or max(1, n // UPDATES_PER_ROUND)
    valid = pool_roles >= 0
    safe_roles = np.where(valid, pool_roles, 0)
    capacity = np.maximum(capacity_left, 1).astype(np.float64)
    exposures = np.zeros(len(capacity_left), dtype=np.float64)
    if prior_exposures is not None:
        exposures += prior
    in_pools = np.unique(safe_roles[valid])
    showings = min(k, width) * n + exposures[in_pools].sum()
    fair_share = max(showings / capacity[in_pools].sum(), 1e-9)
    per_place = 1.0 / (fair_share * capacity)
    taken = ~valid
    rows = np.arange(n)
    for slot in range(min(k, width)):
        for start in range(0, n, batch_size):
            batch = rows[start : start + batch_size]
            roles = safe_roles[batch]
            discount = 1.0 + strength * exposures[roles] * per_place[roles]
            effective = np.where(taken[batch], -np.inf, pool_scores[batch] / discount)
            best = np.argmax(effective, axis=1)
            has_pick = np.isfinite(effective[np.arange(len(batch)), best])
            picked_rows, picked_cols = batch[has_pick], best[has_pick]
            chosen[picked_rows, slot] = picked_cols
            taken[picked_rows, picked_cols] = True
            exposures += np.bincount(safe_roles[picked_rows, picked_cols], minlength=len(exposures))
    return chosen


def pick_top(pool_scores: NDArray[np.float64], *, k: int) -> NDArray[np.int64]:
    """The unfair baseline: each volunteer's k best by score (pools arrive sorted best first)."""
    n, width = pool_scores.shape
    chosen = np.full((n, k), -1, dtype=np.int64)
    cols = np.arange(min(k, width))
    chosen[:, : len(cols)] = np.where(np.isfinite(pool_scores[:, cols]), cols, -1)
    return chosen
