"""A full run in parts: each part's pools computed on its own, one assignment over all of them.

Most of a full run is per volunteer: the candidates (:func:`retrieval.fetch_candidates`) and the
certified pools (:func:`retrieval.certified_pools`) of a volunteer depend on that volunteer, the
prepared role index and the volunteers they share a candidate query with (one travel band in one
cell, :func:`fused.spatial_groups`: the group's centre and spread bound the roles and distances
the query looks at). Only the assignment (:func:`picking.assign`, min-cost flow) needs everyone
at once. So a run can be cut into parts that compute their pools side by side (one process each)
and then assign the concatenated pools once: the same pairs and ranks as :func:`rank_all_arrays`
over every volunteer, provided no spatial group is cut between two parts. :func:`split_by_place`
cuts a run that way; a part cut anywhere else gets pools that may differ from the whole run's
below each volunteer's ``k``-th (the group's bounds differ, so the retrieved candidates beyond the
certified ``k`` may too), about 1% of the volunteers of the synthetic 5,000 x 1,000 catalogue.

A pool part names volunteers and roles by id, not by row, so parts computed by different processes
(each with its own records and its own copy of the index) can be put together; a role the
assignment's index does not hold (closed meanwhile) is left out. ``matching.engine.plan`` stores
a part as compact bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from matching.engine import allocation
from matching.engine.fused import spatial_keys
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable
from matching.engine.picking import PriorExposures, assign, prior_rows
from matching.engine.pool import Pool
from matching.engine.records import VolunteerRecord
from matching.engine.retrieval import FETCH_MARGIN, certified_pools, fetch_candidates
from matching.engine.scoring import ScoringModel

NO_PAIRS: frozenset[tuple[int, int]] = frozenset()

#: The modes whose roles a volunteer travels to: only a volunteer accepting one of them is in a
#: spatial group (``fetch_candidates``' on-site block).
ON_SITE_MODES = frozenset({"in_person", "hybrid"})

#: Each volunteer's pool of eligible candidates is POOL_FACTOR * k: room for fair exposure to
#: prefer a less-shown role without reaching far down the list.
POOL_FACTOR = 2


def pool_size(k: int, limits: allocation.Limits | None) -> int:
    """Candidates kept per volunteer: ``POOL_FACTOR * k``, and with ``limits`` at least the most
    a volunteer may be shown."""
    return POOL_FACTOR * k if limits is None else max(POOL_FACTOR * k, limits.per_volunteer)


@dataclass(frozen=True)
class PoolPart:
    """The pools of some volunteers, by id: per pair the volunteer, the role, the exact linear
    score, the text similarity and the distance; grouped by volunteer, best first. ``fallbacks``
    (volunteers redone by the exact one-volunteer path) is a figure for logs, not stored."""

    volunteer_ids: NDArray[np.int64]
    opportunity_ids: NDArray[np.int64]
    linear: NDArray[np.float64]
    text: NDArray[np.float64]
    distance: NDArray[np.float64]
    fallbacks: int = 0

    def __len__(self) -> int:
        return len(self.volunteer_ids)

    @classmethod
    def empty(cls) -> PoolPart:
        e = np.empty(0)
        return cls(e.astype(np.int64), e.astype(np.int64), e, e, e)


def table_pools(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    model: ScoringModel,
    *,
    k: int,
    size: int,
    excluded: Collection[tuple[int, int]],
) -> tuple[Pool, int]:
    """Each volunteer's pool (rows of ``vt`` and of the index's roles) and the fallbacks."""
    candidates = fetch_candidates(
        index, vt, vtext, model, fetch=size + FETCH_MARGIN, excluded=excluded
    )
    return certified_pools(
        index, vt, vtext, candidates, model, k=k, pool_size=size, excluded=excluded
    )


def volunteer_pools(
    volunteers: Sequence[VolunteerRecord],
    index: MatchIndex,
    *,
    k: int,
    limits: allocation.Limits,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    model: ScoringModel | None = None,
) -> PoolPart:
    """These volunteers' pools for the assignment under ``limits``: what :func:`assign_pools`
    takes, from any number of parts."""
    model = model or index.model
    vt, vtext = index.encode(volunteers)
    return table_part(index, vt, vtext, model, k=k, limits=limits, excluded=excluded)


def table_part(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    model: ScoringModel,
    *,
    k: int,
    limits: allocation.Limits,
    excluded: Collection[tuple[int, int]],
) -> PoolPart:
    """:func:`volunteer_pools` of volunteers already encoded (``vt``, ``vtext``)."""
    if len(index.roles) == 0 or not vt.is_available.any() or k < 1:
        return PoolPart.empty()
    size = pool_size(k, limits)
    pool, fallbacks = table_pools(index, vt, vtext, model, k=k, size=size, excluded=excluded)
    return PoolPart(
        vt.ids[pool.vi],
        index.roles.ids[pool.ri],
        pool.linear,
        pool.text,
        pool.distance,
        fallbacks=fallbacks,
    )


@dataclass(frozen=True)
class Assigned:
    """The shown pairs of an assignment, grouped by volunteer id, in rank order: ``pool.vi`` are
    rows of ``volunteers`` (ids), ``pool.ri`` rows of the index's roles."""

    volunteers: NDArray[np.int64]
    pool: Pool
    ranks: NDArray[np.int64]
    index: MatchIndex

    @property
    def volunteer_ids(self) -> NDArray[np.int64]:
        return self.volunteers[self.pool.vi]

    @property
    def opportunity_ids(self) -> NDArray[np.int64]:
        return self.index.roles.ids[self.pool.ri]


def assign_pools(
    parts: Sequence[PoolPart],
    index: MatchIndex,
    *,
    k: int,
    limits: allocation.Limits,
    prior_exposures: PriorExposures | None = None,
    model: ScoringModel | None = None,
) -> Assigned:
    """The assignment over the pools of every part (no volunteer in two parts), with the open
    suggestions each role has from outside the run (``prior_exposures``) taken from its capacity:
    the pairs and ranks :func:`rank_all_arrays` gives over the same volunteers."""
    model = model or index.model
    volunteer_ids = _concat([p.volunteer_ids for p in parts], np.int64)
    role_rows, known = rows_of(index.roles.ids, _concat([p.opportunity_ids for p in parts]))
    volunteers, vi = np.unique(volunteer_ids[known], return_inverse=True)
    pool = Pool(
        vi.astype(np.int64),
        role_rows[known],
        *(_concat([getattr(p, f) for p in parts], np.float64)[known] for f in _SCORED),
    )
    if len(pool.vi) == 0:
        return Assigned(volunteers, Pool.empty(), np.empty(0, dtype=np.int64), index)
    shown, ranks = assign(
        pool,
        volunteers,
        index,
        model,
        keep=k,
        limits=limits,
        prior_exposures=prior_rows(index, prior_exposures),
    )
    return Assigned(volunteers, shown, ranks, index)


_SCORED = ("linear", "text", "distance")


def _concat(arrays: Sequence[NDArray], dtype: type = np.int64) -> NDArray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.empty(0, dtype=dtype)


def rows_of(
    ids: NDArray[np.int64], wanted: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Row of each wanted id in ``ids`` and whether it is there at all."""
    if len(ids) == 0:
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    sorter = np.argsort(ids, kind="stable")
    at = np.minimum(np.searchsorted(ids, wanted, sorter=sorter), len(ids) - 1)
    return sorter[at].astype(np.int64), ids[sorter[at]] == wanted


def split_by_place(
    ids: Sequence[int],
    latitudes: Sequence[float | None],
    longitudes: Sequence[float | None],
    max_travel_km: Sequence[float],
    modes: Sequence[Collection[str]],
    *,
    size: int,
) -> list[list[int]]:
    """``ids`` cut into parts of about ``size`` that never cut a spatial group, each part in id
    order (a part ends at the first group boundary after ``size`` volunteers). Coordinates in
    degrees, as records hold them. Only a volunteer with coordinates who accepts a role on site
    (in person or hybrid) is in a group; the others go last, in id order, cut anywhere. Parts cut
    on one day's profiles stay exact for as long as nobody moves or changes how far they go."""
    if size < 1:
        raise ValueError("size must be at least 1")
    n = len(ids)
    if n == 0:
        return []
    id_array = np.asarray(ids, dtype=np.int64)
    lat = np.radians(np.array([np.nan if x is None else x for x in latitudes], dtype=np.float64))
    lon = np.radians(np.array([np.nan if x is None else x for x in longitudes], dtype=np.float64))
    on_site = np.array([bool(ON_SITE_MODES & set(m)) for m in modes], dtype=bool)
    grouped = ~np.isnan(lat) & ~np.isnan(lon) & on_site
    keys = np.zeros((n, 3), dtype=np.int64)
    keys[grouped] = spatial_keys(
        lat[grouped], lon[grouped], np.asarray(max_travel_km, dtype=np.float64)[grouped]
    )
    order = np.lexsort((id_array, keys[:, 2], keys[:, 1], keys[:, 0], ~grouped))
    # same[i]: the volunteer at order[i + 1] is in the group of the one at order[i].
    same = np.all(keys[order][1:] == keys[order][:-1], axis=1) & grouped[order][1:]
    parts: list[list[int]] = []
    start = 0
    for i in range(1, n):
        if i - start >= size and not same[i - 1]:
            parts.append(sorted(id_array[order[start:i]].tolist()))
            start = i
    parts.append(sorted(id_array[order[start:]].tolist()))
    return parts
