"""Ranking: which eligible roles to suggest to whom, best first.

Three entry points share one exact definition of score and eligibility:

* :func:`rank_for_volunteer` - one volunteer against a prepared :class:`MatchIndex` (milliseconds);
* :func:`rank_for_opportunity` - one role against a list of volunteers;
* :func:`rank_all` / :func:`rank_all_arrays` - the full run, top ``k`` roles per volunteer.

Fair exposure (:mod:`matching.engine.fairness`) reorders each volunteer's eligible pool in the full
run. ``prior_exposures`` ({opportunity id: open suggestions it already has from other volunteers})
lets a chunk of a run, or one volunteer's rematch, take the rest of the run into account; with
them, :func:`rank_for_volunteer` applies the same discount to its own pool (a chunk of one).

How the full run stays fast (figures in docs/benchmarks.md): :mod:`matching.engine.fused`
retrieves each volunteer's best candidates with one sparse product per block, geography and static
rules cutting the work first. Every retrieved pair is then checked and scored exactly here (dates,
age, hours, the volunteer's own radius, excluded pairs). A volunteer is done when their k-th exact
score is at least the bound on anything not retrieved; the rare others go through the exact
one-volunteer path, so the full run returns what :func:`rank_for_volunteer` would.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from matching.engine import fairness
from matching.engine.features import DISTANCE_HALF_KM, FEATURE_NAMES
from matching.engine.fused import FusedProduct, Retrieved, rank_key, spatial_groups
from matching.engine.geo import haversine_km_radians
from matching.engine.index import MatchIndex
from matching.engine.pairs import (
    RoleTable,
    VolunteerTable,
    pair_distance_km,
    pair_eligible,
    pair_features,
)
from matching.engine.reasons import build_reasons
from matching.engine.records import Labels, OpportunityRecord, VolunteerRecord
from matching.engine.results import Suggestion
from matching.engine.scoring import DEFAULT_MODEL, ScoringModel

_I_TEXT, _I_REQ, _I_PREF, _I_CAUSE, _I_SLOTS, _I_DIST, _I_LANG = range(len(FEATURE_NAMES))
NO_PAIRS: frozenset[tuple[int, int]] = frozenset()
NO_LABELS: dict[str, str] = {}
#: Open suggestions per role from volunteers outside the call: {opportunity id: count}.
PriorExposures = Mapping[int, int]

#: Each volunteer's pool of eligible candidates is POOL_FACTOR * k: room for fair exposure to
#: prefer a less-shown role without reaching far down the list.
POOL_FACTOR = 2
#: Extra candidates fetched per block beyond the pool, absorbing pairs that the exact check drops
#: (radius, dates, hours). Measured on 100k x 20k: margin 10 sends about 2% of volunteers to the
#: exact fallback; more margin means fewer fallbacks but more pairs to check and sort.
FETCH_MARGIN = 10
#: Volunteers per sparse_dot_topn call in the remote block; peak memory grows with it.
REMOTE_CHUNK = 25_000
N_THREADS = 2


@dataclass
class _Pool:
    """Scored eligible candidates of one or many volunteers, as parallel arrays."""

    vi: NDArray[np.int64]
    ri: NDArray[np.int64]
    linear: NDArray[np.float64]
    text: NDArray[np.float64]
    distance: NDArray[np.float64]

    @classmethod
    def empty(cls) -> _Pool:
        e = np.empty(0)
        return cls(e.astype(np.int64), e.astype(np.int64), e, e, e)

    @classmethod
    def concat(cls, pools: Sequence[_Pool]) -> _Pool:
        if not pools:
            return cls.empty()
        return cls(
            *(
                np.concatenate([getattr(p, f) for p in pools])
                for f in ("vi", "ri", "linear", "text", "distance")
            )
        )

    def take(self, keep: NDArray) -> _Pool:
        return _Pool(
            self.vi[keep], self.ri[keep], self.linear[keep], self.text[keep], self.distance[keep]
        )


def _excluded_mask(
    vt: VolunteerTable,
    rt: RoleTable,
    vi: NDArray,
    ri: NDArray,
    excluded: Collection[tuple[int, int]],
) -> NDArray[np.bool_]:
    if not excluded or len(vi) == 0:
        return np.zeros(len(vi), dtype=bool)
    keys = np.array([(v << 32) | o for v, o in excluded], dtype=np.int64)
    return np.isin((vt.ids[vi] << 32) | rt.ids[ri], keys)


def _candidates_for(index: MatchIndex, vt: VolunteerTable, row: int) -> NDArray[np.int64]:
    """Roles worth checking for one volunteer: home roles of accepted modes, and roles on site
    within their travel radius."""
    parts = [index.home_rows[m] for m in ("remote", "phone") if vt.accepts(m)[row]]
    if vt.accepts("in_person")[row] or vt.accepts("hybrid")[row]:
        parts.append(index.within_reach(vt.lat[row], vt.lon[row], vt.max_travel_km[row]))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _exact_pool(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    row: int,
    *,
    size: int,
    excluded: Collection[tuple[int, int]],
    model: ScoringModel,
) -> _Pool:
    """The ``size`` best eligible roles of one volunteer, checked and scored exactly."""
    if not vt.is_available[row]:
        return _Pool.empty()
    ri = np.sort(_candidates_for(index, vt, row))  # role order breaks ties, as in the full run
    vi = np.full(len(ri), row, dtype=np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~_excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    text = (vtext[row] @ index.role_text_t).toarray().ravel()[ri].astype(np.float64)
    features = pair_features(vt, index.roles, vi, ri, text_similarity=text, distance_km=distance)
    linear = model.linear(features)
    best = _top_indices(rank_key(linear, ri), size)
    return _Pool(vi[best], ri[best], linear[best], text[best], distance[best])


def _prior_rows(
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


def _top_indices(values: NDArray, k: int) -> NDArray[np.int64]:
    """Indices of the k largest, best first; ties broken by position for determinism."""
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        return part[np.lexsort((part, -values[part]))]
    return np.lexsort((np.arange(len(values)), -values))


# ---------------------------------------------------------------------------- one volunteer / role


def rank_for_volunteer(
    volunteer: VolunteerRecord,
    index: MatchIndex,
    *,
    k: int = 10,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    model: ScoringModel | None = None,
    prior_exposures: PriorExposures | None = None,
    fair_strength: float = fairness.DEFAULT_STRENGTH,
) -> list[Suggestion]:
    """``k`` eligible roles for one volunteer (a single rematch).

    Without ``prior_exposures``: the top ``k`` by score, best first. With them: the fair-exposure
    discount of the full run, applied to this volunteer's pool of ``POOL_FACTOR * k`` eligible
    roles as a chunk of one, so a role already in many other lists gives way to a less-shown one
    of similar score. Only the order within eligible roles changes; scores shown are real scores.
    """
    model = model or index.model
    vt, vtext = index.encode([volunteer])
    prior = _prior_rows(index, prior_exposures)
    if prior is None:
        pool = _exact_pool(index, vt, vtext, 0, size=k, excluded=excluded, model=model)
        return list(_suggestions(index, vt, pool, np.arange(1, len(pool.vi) + 1), labels, model))
    pool = _exact_pool(index, vt, vtext, 0, size=POOL_FACTOR * k, excluded=excluded, model=model)
    shown, ranks = _pick(
        pool,
        1,
        index.roles.capacity_left,
        model,
        k=k,
        fair=True,
        strength=fair_strength,
        prior_exposures=prior,
    )
    return list(_suggestions(index, vt, shown, ranks, labels, model))


def rank_for_opportunity(
    opportunity: OpportunityRecord,
    volunteers: Sequence[VolunteerRecord],
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    index: MatchIndex | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible volunteers for one role, best first.

    Pass the run's ``index`` to reuse its fitted vectorizer (same text scores as the full run);
    otherwise one is fitted on this role and the volunteers' texts.
    """
    model = model or (index.model if index else DEFAULT_MODEL)
    one = MatchIndex.build(
        [opportunity],
        today=today,
        model=model,
        vectorizer=index.vectorizer if index else None,
        extra_texts=[] if index else [v.text for v in volunteers],
    )
    if len(one.roles) == 0 or not volunteers:
        return []
    vt, vtext = one.encode(volunteers)
    vi = np.arange(len(vt), dtype=np.int64)
    ri = np.zeros(len(vt), dtype=np.int64)
    distance = pair_distance_km(vt, one.roles, vi, ri)
    ok = pair_eligible(vt, one.roles, vi, ri, distance) & ~_excluded_mask(
        vt, one.roles, vi, ri, excluded
    )
    text = (vtext @ one.role_text_t).toarray().ravel().astype(np.float64)
    features = pair_features(vt, one.roles, vi, ri, text_similarity=text, distance_km=distance)
    linear = np.where(ok, model.linear(features), -np.inf)
    best = _top_indices(rank_key(linear, vi), k)
    best = best[np.isfinite(linear[best])]
    pool = _Pool(vi[best], ri[best], linear[best], text[best], distance[best])
    return list(_suggestions(one, vt, pool, np.arange(1, len(best) + 1), labels, model))


def _suggestions(
    index: MatchIndex,
    vt: VolunteerTable,
    pool: _Pool,
    ranks: NDArray[np.int64],
    labels: Labels,
    model: ScoringModel,
) -> Iterator[Suggestion]:
    features = pair_features(
        vt, index.roles, pool.vi, pool.ri, text_similarity=pool.text, distance_km=pool.distance
    )
    scores = model.score_from_linear(pool.linear)
    for i in range(len(pool.vi)):
        volunteer = vt.records[pool.vi[i]]
        role = index.roles.records[pool.ri[i]]
        named = {
            name: round(float(x), 4) for name, x in zip(FEATURE_NAMES, features[i], strict=True)
        }
        km = None if np.isnan(pool.distance[i]) else float(pool.distance[i])
        yield Suggestion(
            volunteer_id=volunteer.id,
            opportunity_id=role.id,
            score=round(float(scores[i]), 6),
            rank=int(ranks[i]),
            features=named,
            reasons=build_reasons(
                volunteer, role, named, distance_km=km, today=index.today, labels=labels
            ),
        )


# ---------------------------------------------------------------------------------------- full run


@dataclass
class RankedMatches:
    """A full run's result as arrays; :meth:`suggestions` turns rows into :class:`Suggestion`."""

    index: MatchIndex
    volunteers: VolunteerTable
    pool: _Pool  # the shown pairs, grouped by volunteer, in rank order
    ranks: NDArray[np.int64]
    labels: Labels
    stats: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.pool.vi)

    @property
    def scores(self) -> NDArray[np.float64]:
        return self.index.model.score_from_linear(self.pool.linear)

    @property
    def volunteer_ids(self) -> NDArray[np.int64]:
        return self.volunteers.ids[self.pool.vi]

    @property
    def opportunity_ids(self) -> NDArray[np.int64]:
        return self.index.roles.ids[self.pool.ri]

    def suggestions(self, start: int = 0, stop: int | None = None) -> Iterator[Suggestion]:
        """Build Suggestion objects (with reasons) for rows [start, stop): persist in batches."""
        part = slice(start, stop)
        pool = _Pool(
            self.pool.vi[part],
            self.pool.ri[part],
            self.pool.linear[part],
            self.pool.text[part],
            self.pool.distance[part],
        )
        return _suggestions(
            self.index, self.volunteers, pool, self.ranks[part], self.labels, self.index.model
        )


def rank_all(
    volunteers: Sequence[VolunteerRecord],
    opportunities: Sequence[OpportunityRecord],
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    fair: bool = True,
    prior_exposures: PriorExposures | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible roles per volunteer for a full run, grouped by volunteer, best first."""
    ranked = rank_all_arrays(
        volunteers,
        opportunities,
        today=today,
        k=k,
        model=model,
        labels=labels,
        excluded=excluded,
        fair=fair,
        prior_exposures=prior_exposures,
    )
    return list(ranked.suggestions())


def rank_all_arrays(
    volunteers: Sequence[VolunteerRecord],
    opportunities: Sequence[OpportunityRecord] | None = None,
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    fair: bool = True,
    index: MatchIndex | None = None,
    fair_strength: float = fairness.DEFAULT_STRENGTH,
    prior_exposures: PriorExposures | None = None,
) -> RankedMatches:
    """The full run as arrays (what ``rank_all`` wraps). Give ``index`` to reuse a built one.

    ``prior_exposures`` ({opportunity id: open suggestions from volunteers outside this call})
    seed fair exposure when this call is one chunk of a run; ignored when ``fair`` is False.
    ``stats`` count only this call's suggestions."""
    if index is None:
        if opportunities is None:
            raise ValueError("give opportunities or a built index")
        index = MatchIndex.build(opportunities, today=today, model=model)
    model = model or index.model
    vt, vtext = index.encode(volunteers)
    pool_size = POOL_FACTOR * k
    if len(index.roles) == 0 or not vt.is_available.any() or k < 1:
        empty = _Pool.empty()
        return RankedMatches(
            index,
            vt,
            empty,
            np.empty(0, dtype=np.int64),
            labels,
            {"suggestions": 0.0, "share_published_roles_shown": 0.0},
        )
    candidates = _fetch_candidates(
        index, vt, vtext, model, fetch=pool_size + FETCH_MARGIN, excluded=excluded
    )
    pool, fallbacks = _certified_pools(
        index, vt, vtext, candidates, model, k=k, pool_size=pool_size, excluded=excluded
    )
    shown, ranks = _pick(
        pool,
        len(vt),
        index.roles.capacity_left,
        model,
        k=k,
        fair=fair,
        strength=fair_strength,
        prior_exposures=_prior_rows(index, prior_exposures),
    )
    scores = model.score_from_linear(shown.linear)
    stats = {
        "volunteers": float(len(vt)),
        "open_roles": float(len(index.roles)),
        "published_roles": float(index.n_published),
        "suggestions": float(len(shown.vi)),
        "fallback_volunteers": float(fallbacks),
        "roles_shown": float(len(np.unique(shown.ri))),
        "share_published_roles_shown": len(np.unique(shown.ri)) / max(index.n_published, 1),
        "mean_score_shown": float(scores.mean()) if len(scores) else 0.0,
    }
    return RankedMatches(index, vt, shown, ranks, labels, stats)


@dataclass
class _Candidates:
    """Pairs retrieved by the fused product, with each block's bound on what it left out."""

    pool: _Pool  # checked and exactly scored
    bound: NDArray[np.float64]  # per volunteer row: max linear of anything not retrieved


def _fetch_candidates(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    model: ScoringModel,
    *,
    fetch: int,
    excluded: Collection[tuple[int, int]],
) -> _Candidates:
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
        distance_bound = 0.5 ** (nearest / DISTANCE_HALF_KM)
        role_matrix = fused.roles(roles, distance_bound=distance_bound)
        pools.append(fused.top(rows, roles, distance_bound, role_matrix, fetch, bound))
    retrieved = Retrieved(
        *(
            np.concatenate([getattr(p, f) for p in pools]) if pools else np.empty(0)
            for f in ("vi", "ri", "value", "fused_distance")
        )
    )
    exact = _check_and_score(index, vt, retrieved, fused, model, excluded)
    return _Candidates(exact, bound)


def _check_and_score(
    index: MatchIndex,
    vt: VolunteerTable,
    retrieved: Retrieved,
    fused: FusedProduct,
    model: ScoringModel,
    excluded: Collection[tuple[int, int]],
) -> _Pool:
    """Exact eligibility and exact linear score of every retrieved pair."""
    vi, ri = retrieved.vi.astype(np.int64), retrieved.ri.astype(np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~_excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    kept = retrieved.take(ok)
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    features = pair_features(
        vt, index.roles, vi, ri, text_similarity=np.zeros(len(vi)), distance_km=distance
    )
    features[:, _I_TEXT] = np.round(fused.text_from_value(kept, features), 5)
    return _Pool(vi, ri, model.linear(features), features[:, _I_TEXT].copy(), distance)


def _certified_pools(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    candidates: _Candidates,
    model: ScoringModel,
    *,
    k: int,
    pool_size: int,
    excluded: Collection[tuple[int, int]],
) -> tuple[_Pool, int]:
    """Each volunteer's best ``pool_size`` checked candidates, grouped by volunteer, best first.

    A volunteer is certified when nothing left out could beat their k-th: their k-th exact linear
    score is >= the bound of every block that was cut off (or no block was cut off). The others
    are redone by the exact one-volunteer path.
    """
    pool = candidates.pool.take(_by_volunteer_best_first(candidates.pool))
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
        _exact_pool(index, vt, vtext, int(row), size=pool_size, excluded=excluded, model=model)
        for row in redo
    ]
    merged = _Pool.concat([pool, *again])
    return merged.take(_by_volunteer_best_first(merged)), len(redo)


def _by_volunteer_best_first(pool: _Pool) -> NDArray[np.int64]:
    """Order grouping pairs by volunteer, best score first; ties by role row (deterministic).

    Two stable sorts instead of one lexsort (the volunteer sort is a radix sort): measured about
    1 s vs 4.6 s for lexsort on 8 million pairs."""
    order = np.argsort(-rank_key(pool.linear, pool.ri), kind="stable")
    return order[np.argsort(pool.vi[order], kind="stable")]


def _pick(
    pool: _Pool,
    n_volunteers: int,
    capacity_left: NDArray[np.int64],
    model: ScoringModel,
    *,
    k: int,
    fair: bool,
    strength: float,
    prior_exposures: NDArray[np.float64] | None = None,
) -> tuple[_Pool, NDArray[np.int64]]:
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
