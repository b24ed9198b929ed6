"""The full run's candidates: retrieved by the fused product, checked exactly, then certified.

:mod:`matching.engine.fused` retrieves each volunteer's best candidates with one sparse product per
block, geography and static rules cutting the work first. Every retrieved pair is then checked and
scored exactly here (dates, age, hours, the volunteer's own radius, excluded pairs). A volunteer is
done when their k-th exact score is at least the bound on anything not retrieved; the rare others
go through the exact one-volunteer path (:mod:`matching.engine.exact`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from matching.engine.exact import exact_pool
from matching.engine.features import FEATURE_NAMES, band_fit
from matching.engine.fused import FusedProduct, Retrieved, rank_key, spatial_groups
from matching.engine.geo import haversine_km_radians
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable, pair_distance_km, pair_eligible, pair_features
from matching.engine.pool import Pool, by_volunteer_best_first, excluded_mask
from matching.engine.scoring import ScoringModel

_I_TEXT, _I_REQ, _I_PREF, _I_CAUSE, _I_SLOTS, _I_DIST, _I_LANG = range(len(FEATURE_NAMES))

#: Extra candidates fetched per block beyond the pool, absorbing pairs that the exact check drops
#: (radius, dates, hours). Measured on 100k x 20k: margin 10 sends about 2% of volunteers to the
#: exact fallback; more margin means fewer fallbacks but more pairs to check and sort.
FETCH_MARGIN = 10
#: Volunteers per sparse_dot_topn call in the remote block; peak memory grows with it.
REMOTE_CHUNK = 25_000
#: The distance feature steps at band edges: the bound's distance is taken this much nearer.
_BAND_EDGE_SLACK_KM = 1e-6


@dataclass
class Candidates:
    """Pairs retrieved by the fused product, with each block's bound on what it left out."""

    pool: Pool  # checked and exactly scored
    bound: NDArray[np.float64]  # per volunteer row: max linear of anything not retrieved


def fetch_candidates(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    model: ScoringModel,
    *,
    fetch: int,
    excluded: Collection[tuple[int, int]],
) -> Candidates:
    fused = FusedProduct(index, vt, vtext, model)
    bound = np.full(len(vt), -np.inf)
    pools: list[Retrieved] = []
    available = vt.is_available

    # Remote and phone roles: no geography. Volunteers are split by which of the two modes they
    # accept, so nobody is multiplied against roles of a mode they refuse.
    accepts_remote, accepts_phone = vt.accepts("remote"), vt.accepts("phone")
    for wants_remote, wants_phone in ((True, False), (False, True), (True, True)):
        vols = np.flatnonzero(
            available & (accepts_remote == wants_remote) & (accepts_phone == wants_phone)
        )
        parts = [
            index.home_rows[m]
            for m, wanted in (("remote", wants_remote), ("phone", wants_phone))
            if wanted
        ]
        home_roles = np.concatenate(parts)
        if len(home_roles) == 0 or len(vols) == 0:
            continue
        ones = np.ones(len(home_roles))
        role_matrix = fused.roles(home_roles, distance_bound=ones)
        for start in range(0, len(vols), REMOTE_CHUNK):
            rows = vols[start : start + REMOTE_CHUNK]
            pools.append(fused.top(rows, home_roles, ones, role_matrix, fetch, bound))

    travel_vols = np.flatnonzero(
        available & ~np.isnan(vt.lat) & (vt.accepts("in_person") | vt.accepts("hybrid"))
    )
    groups = list(spatial_groups(vt, travel_vols))
    centers = np.empty((len(groups), 2))
    spreads, reaches = np.empty(len(groups)), np.empty(len(groups))
    for g, rows in enumerate(groups):
        center_lat, center_lon = vt.lat[rows].mean(), vt.lon[rows].mean()
        spreads[g] = haversine_km_radians(vt.lat[rows], vt.lon[rows], center_lat, center_lon).max()
        reaches[g] = vt.max_travel_km[rows].max() + spreads[g]
        centers[g] = center_lat, center_lon
    # One BallTree query for every group: a chunk of 1,000 volunteers has ~400 groups, and a
    # query's fixed cost (input checks) was ~0.15 ms, more than the search itself.
    for rows, (center_lat, center_lon), spread, roles in zip(
        groups, centers, spreads, index.within_reach_many(centers, reaches), strict=True
    ):
        if len(roles) == 0:
            continue
        # Nearest a role can be to any volunteer of the group, for the distance-feature bound.
        nearest = np.maximum(
            haversine_km_radians(
                index.roles.lat[roles], index.roles.lon[roles], center_lat, center_lon
            )
            - spread,
            0.0,
        )
        # The fit never increases with distance, so the fit of the nearest bounds every pair's;
        # a hair less than the nearest keeps rounding from crossing a band's edge.
        distance_bound = band_fit(np.maximum(nearest - _BAND_EDGE_SLACK_KM, 0.0))
        role_matrix = fused.roles(roles, distance_bound=distance_bound)
        pools.append(fused.top(rows, roles, distance_bound, role_matrix, fetch, bound))
    retrieved = Retrieved(
        *(
            np.concatenate([getattr(p, f) for p in pools]) if pools else np.empty(0)
            for f in ("vi", "ri", "value", "fused_distance")
        )
    )
    exact = check_and_score(index, vt, retrieved, fused, model, excluded)
    return Candidates(exact, bound)


def check_and_score(
    index: MatchIndex,
    vt: VolunteerTable,
    retrieved: Retrieved,
    fused: FusedProduct,
    model: ScoringModel,
    excluded: Collection[tuple[int, int]],
) -> Pool:
    """Exact eligibility and exact linear score of every retrieved pair."""
    vi, ri = retrieved.vi.astype(np.int64), retrieved.ri.astype(np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    kept = retrieved.take(ok)
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    features = pair_features(
        vt, index.roles, vi, ri, text_similarity=np.zeros(len(vi)), distance_km=distance
    )
    features[:, _I_TEXT] = np.round(fused.text_from_value(kept, features), 5)
    return Pool(vi, ri, model.linear(features), features[:, _I_TEXT].copy(), distance)


def certified_pools(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    candidates: Candidates,
    model: ScoringModel,
    *,
    k: int,
    pool_size: int,
    excluded: Collection[tuple[int, int]],
) -> tuple[Pool, int]:
    """Each volunteer's best ``pool_size`` checked candidates, grouped by volunteer, best first.

    A volunteer is certified when nothing left out could beat their k-th: their k-th exact linear
    score is >= the bound of every block that was cut off (or no block was cut off). The others
    are redone by the exact one-volunteer path.
    """
    pool = candidates.pool.take(by_volunteer_best_first(candidates.pool))
    starts = np.searchsorted(pool.vi, np.arange(len(vt)))
    position = np.arange(len(pool.vi)) - starts[pool.vi]
    pool = pool.take(position < pool_size)
    position = position[position < pool_size]
    counts = np.bincount(pool.vi, minlength=len(vt))
    kth = np.full(len(vt), -np.inf)
    at_k = position == min(k, pool_size) - 1
    kth[pool.vi[at_k]] = rank_key(pool.linear[at_k], pool.ri[at_k])
    cut = np.isfinite(candidates.bound)
    certified = ~cut | ((counts >= k) & (kth >= candidates.bound))
    redo = np.flatnonzero(~certified & vt.is_available)
    if len(redo) == 0:
        return pool, 0
    pool = pool.take(~np.isin(pool.vi, redo))
    again = [
        exact_pool(index, vt, vtext, int(row), size=pool_size, excluded=excluded, model=model)
        for row in redo
    ]
    merged = Pool.concat([pool, *again])
    return merged.take(by_volunteer_best_first(merged)), len(redo)
