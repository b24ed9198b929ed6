"""Ranking: which eligible roles to suggest to whom, best first.

Three entry points share one exact definition of score and eligibility:

* :func:`rank_for_volunteer` - one volunteer against a prepared :class:`MatchIndex` (milliseconds);
* :func:`rank_for_opportunity` - one role against a list of volunteers;
* :func:`rank_all` / :func:`rank_all_arrays` - the full run, top ``k`` roles per volunteer.

With ``limits`` (what the product passes), who is shown where is one capacity-aware assignment
over every volunteer's eligible pool (:mod:`matching.engine.allocation`): no volunteer is given more
than ``limits.per_volunteer`` and no role more than ``limits.per_place`` per open place. Without,
fair exposure (:mod:`matching.engine.fairness`, applied by :mod:`matching.engine.picking`) reorders
each volunteer's eligible pool in the full run. ``prior_exposures`` ({opportunity id: open
suggestions it already has from other volunteers}) lets a chunk of a run, or one volunteer's
rematch, take the rest of the run into account; with them, :func:`rank_for_volunteer` applies the
same discount to its own pool (a chunk of one).

How the full run stays fast (figures in docs/benchmarks.md): :mod:`matching.engine.fused`
retrieves each volunteer's best candidates with one sparse product per block, geography and static
rules cutting the work first. Every retrieved pair is then checked and scored exactly
(:mod:`matching.engine.retrieval`: dates, age, hours, the volunteer's own radius, excluded pairs).
A volunteer is done when their k-th exact score is at least the bound on anything not retrieved;
the rare others go through the exact one-volunteer path (:mod:`matching.engine.exact`), so the full
run returns what :func:`rank_for_volunteer` would.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from matching.engine import allocation, fairness
from matching.engine.exact import exact_pool
from matching.engine.fused import rank_key
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable, pair_distance_km, pair_eligible, pair_features
from matching.engine.parts import (
    NO_PAIRS,
    POOL_FACTOR,
    assign_pools,
    pool_size,
    rows_of,
    table_part,
    table_pools,
)
from matching.engine.picking import PriorExposures, assign, pick, prior_rows
from matching.engine.pool import Pool, excluded_mask, top_indices
from matching.engine.records import Labels, OpportunityRecord, VolunteerRecord
from matching.engine.results import Suggestion
from matching.engine.scoring import DEFAULT_MODEL, ScoringModel
from matching.engine.suggesting import suggestions_from_pool

NO_LABELS: dict[str, str] = {}


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
    limits: allocation.Limits | None = None,
) -> list[Suggestion]:
    """``k`` eligible roles for one volunteer (a single rematch).

    With ``limits``: the assignment of the full run for a run of one, so at most
    ``limits.per_volunteer`` roles, each with room left once ``prior_exposures`` (its open
    suggestions from others) are counted; a role nobody else is shown to gets the first-candidate
    bonus. The pool reaches past the roles that are full, so a volunteer is not left with nothing
    because their best roles have all the candidates they may take.

    Without ``prior_exposures``: the top ``k`` by score, best first. With them: the fair-exposure
    discount of the full run, applied to this volunteer's pool of ``POOL_FACTOR * k`` eligible
    roles as a chunk of one, so a role already in many other lists gives way to a less-shown one
    of similar score. Only the order within eligible roles changes; scores shown are real scores.
    """
    model = model or index.model
    vt, vtext = index.encode([volunteer])
    prior = prior_rows(index, prior_exposures)
    if limits is not None:
        size = max(POOL_FACTOR * k, limits.per_volunteer)
        if prior is not None:
            size += int((limits.per_place * index.roles.capacity_left <= prior).sum())
        pool = exact_pool(index, vt, vtext, 0, size=size, excluded=excluded, model=model)
        shown, ranks = assign(
            pool, vt.ids, index, model, keep=k, limits=limits, prior_exposures=prior
        )
        return list(suggestions_from_pool(index, vt, shown, ranks, labels, model))
    if prior is None:
        pool = exact_pool(index, vt, vtext, 0, size=k, excluded=excluded, model=model)
        return list(
            suggestions_from_pool(index, vt, pool, np.arange(1, len(pool.vi) + 1), labels, model)
        )
    pool = exact_pool(index, vt, vtext, 0, size=POOL_FACTOR * k, excluded=excluded, model=model)
    shown, ranks = pick(
        pool,
        1,
        index.roles.capacity_left,
        model,
        k=k,
        fair=True,
        strength=fair_strength,
        prior_exposures=prior,
    )
    return list(suggestions_from_pool(index, vt, shown, ranks, labels, model))


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
    limits: allocation.Limits | None = None,
    volunteer_holds: PriorExposures | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible volunteers for one role, best first.

    Pass the run's ``index`` to reuse its fitted vectorizer (same text scores as the full run);
    otherwise one is fitted on this role and the volunteers' texts. With ``limits``, ``k`` is
    ``limits.per_place`` per open place and a volunteer is left out when ``volunteer_holds``
    ({volunteer id: open suggestions of other roles}) already reach ``limits.per_volunteer``.
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
    ok = pair_eligible(vt, one.roles, vi, ri, distance) & ~excluded_mask(
        vt, one.roles, vi, ri, excluded
    )
    text = (vtext @ one.role_text_t).toarray().ravel().astype(np.float64)
    features = pair_features(vt, one.roles, vi, ri, text_similarity=text, distance_km=distance)
    if limits is not None:
        k = limits.per_place * int(one.roles.capacity_left[0])
        if volunteer_holds:
            held = np.array([volunteer_holds.get(int(i), 0) for i in vt.ids], dtype=np.int64)
            ok &= held < limits.per_volunteer
    linear = np.where(ok, model.linear(features), -np.inf)
    best = top_indices(rank_key(linear, vi), k)
    best = best[np.isfinite(linear[best])]
    pool = Pool(vi[best], ri[best], linear[best], text[best], distance[best])
    return list(suggestions_from_pool(one, vt, pool, np.arange(1, len(best) + 1), labels, model))


# ---------------------------------------------------------------------------------------- full run


@dataclass
class RankedMatches:
    """A full run's result as arrays; :meth:`suggestions` turns rows into :class:`Suggestion`."""

    index: MatchIndex
    volunteers: VolunteerTable
    pool: Pool  # the shown pairs, grouped by volunteer, in rank order
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
        pool = Pool(
            self.pool.vi[part],
            self.pool.ri[part],
            self.pool.linear[part],
            self.pool.text[part],
            self.pool.distance[part],
        )
        return suggestions_from_pool(
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
    limits: allocation.Limits | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible roles per volunteer for a full run, grouped by volunteer, best first
    (with ``limits``: the assignment, see :func:`rank_all_arrays`)."""
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
        limits=limits,
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
    limits: allocation.Limits | None = None,
) -> RankedMatches:
    """The full run as arrays (what ``rank_all`` wraps). Give ``index`` to reuse a built one.

    ``prior_exposures`` ({opportunity id: open suggestions from volunteers outside this call})
    seed fair exposure when this call is one chunk of a run; ignored when ``fair`` is False.
    With ``limits`` the shown pairs are the capacity-aware assignment over every volunteer's pool
    of ``max(POOL_FACTOR * k, limits.per_volunteer)`` (each favoured to keep ``k``), and
    ``prior_exposures`` take from the roles' capacity; ``fair`` is then not used.
    ``stats`` count only this call's suggestions."""
    if index is None:
        if opportunities is None:
            raise ValueError("give opportunities or a built index")
        index = MatchIndex.build(opportunities, today=today, model=model)
    model = model or index.model
    vt, vtext = index.encode(volunteers)
    if len(index.roles) == 0 or not vt.is_available.any() or k < 1:
        empty = Pool.empty()
        return RankedMatches(
            index,
            vt,
            empty,
            np.empty(0, dtype=np.int64),
            labels,
            {"suggestions": 0.0, "share_published_roles_shown": 0.0},
        )
    if limits is not None:
        # The two halves a run shares out (matching.engine.parts): this call is a run of one part.
        part = table_part(index, vt, vtext, model, k=k, limits=limits, excluded=excluded)
        fallbacks = part.fallbacks
        assigned = assign_pools(
            [part], index, k=k, limits=limits, prior_exposures=prior_exposures, model=model
        )
        rows, _ = rows_of(vt.ids, assigned.volunteer_ids)
        shown, ranks = assigned.pool, assigned.ranks
        shown = Pool(rows, shown.ri, shown.linear, shown.text, shown.distance)
    else:
        size = pool_size(k, limits)
        pool, fallbacks = table_pools(index, vt, vtext, model, k=k, size=size, excluded=excluded)
        shown, ranks = pick(
            pool,
            len(vt),
            index.roles.capacity_left,
            model,
            k=k,
            fair=fair,
            strength=fair_strength,
            prior_exposures=prior_rows(index, prior_exposures),
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
        "max_per_volunteer": float(np.bincount(shown.vi).max()) if len(shown.vi) else 0.0,
    }
    return RankedMatches(index, vt, shown, ranks, labels, stats)
