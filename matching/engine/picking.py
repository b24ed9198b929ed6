"""Choosing what is shown from the volunteers' pools: the capacity-aware assignment
(:mod:`matching.engine.allocation`, what the product uses), or per volunteer fair exposure or the
plain top ``k`` (the engine without limits, and the benchmarks' baselines).

``prior_exposures`` ({opportunity id: open suggestions it already has from other volunteers})
seed fair exposure with the rest of a run (:mod:`matching.engine.fairness`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from matching.engine import allocation, fairness
from matching.engine.index import MatchIndex
from matching.engine.pool import Pool
from matching.engine.scoring import ScoringModel

#: Open suggestions per role from volunteers outside the call: {opportunity id: count}.
PriorExposures = Mapping[int, int]


def prior_rows(
    index: MatchIndex, prior_exposures: PriorExposures | None
) -> NDArray[np.float64] | None:
    """Prior exposures keyed by opportunity id, as an array over the index's role rows. Ids of
    roles that are not open (closed, full, unknown) are ignored: they cannot be suggested."""
    if prior_exposures is None:
        return None
    rows = np.zeros(len(index.roles), dtype=np.float64)
    if not prior_exposures or len(rows) == 0:
        return rows
    ids = np.fromiter(prior_exposures.keys(), dtype=np.int64, count=len(prior_exposures))
    counts = np.fromiter(prior_exposures.values(), dtype=np.float64, count=len(prior_exposures))
    sorter = np.argsort(index.roles.ids)
    at = np.minimum(np.searchsorted(index.roles.ids, ids, sorter=sorter), len(rows) - 1)
    known = index.roles.ids[sorter[at]] == ids
    rows[sorter[at[known]]] = counts[known]
    return rows


def pick(
    pool: Pool,
    n_volunteers: int,
    capacity_left: NDArray[np.int64],
    model: ScoringModel,
    *,
    k: int,
    fair: bool,
    strength: float,
    prior_exposures: NDArray[np.float64] | None = None,
) -> tuple[Pool, NDArray[np.int64]]:
    """Choose k per volunteer from their pool (fair exposure or plain top-k); rank 1 = first."""
    width = int(np.bincount(pool.vi, minlength=n_volunteers).max()) if len(pool.vi) else 0
    starts = np.searchsorted(pool.vi, np.arange(n_volunteers))
    position = np.arange(len(pool.vi)) - starts[pool.vi]
    grid = np.full((n_volunteers, width), -1, dtype=np.int64)  # pool row per (volunteer, column)
    grid[pool.vi, position] = np.arange(len(pool.vi))
    has = grid >= 0
    roles = np.where(has, pool.ri[np.maximum(grid, 0)], -1)
    scores = np.where(has, model.score_from_linear(pool.linear[np.maximum(grid, 0)]), -np.inf)
    if fair:
        cols = fairness.pick_fair(
            roles, scores, capacity_left, k=k, strength=strength, prior_exposures=prior_exposures
        )
    else:
        cols = fairness.pick_top(scores, k=k)
    volunteer_rows = np.repeat(np.arange(n_volunteers)[:, None], cols.shape[1], axis=1)
    chosen = cols >= 0
    pool_rows = grid[volunteer_rows[chosen], cols[chosen]]
    ranks = np.broadcast_to(np.arange(1, cols.shape[1] + 1), cols.shape)[chosen]
    return pool.take(pool_rows), ranks.astype(np.int64)


def assign(
    pool: Pool,
    volunteer_ids: NDArray[np.int64],
    index: MatchIndex,
    model: ScoringModel,
    *,
    keep: int,
    limits: allocation.Limits,
    prior_exposures: NDArray[np.float64] | None = None,
) -> tuple[Pool, NDArray[np.int64]]:
    """The pairs of ``pool`` shown under ``limits`` (each volunteer favoured to keep ``keep``),
    grouped by volunteer, best first, with their ranks. ``prior_exposures`` (per role row: open
    suggestions from volunteers outside the call) take from each role's capacity."""
    holds = None if prior_exposures is None else np.rint(prior_exposures).astype(np.int64)
    caps = allocation.capacities(
        n_volunteers=len(volunteer_ids),
        places_left=index.roles.capacity_left,
        per_volunteer=limits.per_volunteer,
        per_place=limits.per_place,
        keep=keep,
        role_holds=holds,
    )
    rows = allocation.allocate(
        pool.vi,
        pool.ri,
        model.score_from_linear(pool.linear),
        caps,
        volunteer_ids=volunteer_ids,
        role_ids=index.roles.ids,
    )
    shown = pool.take(rows)
    return shown, allocation.ranks_within(shown.vi)
