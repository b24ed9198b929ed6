"""Who is shown where: a capacity-aware assignment over eligible pairs (min-cost flow, OR-Tools).

Independent top-tens let the same few strong profiles sit in hundreds of role queues (one demo
volunteer was in 377 of 717). Here every pair is chosen at once, under two capacities:

* a volunteer holds at most ``volunteer_cap`` open suggestions (MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER,
  minus what they already hold outside the call);
* a role is shown at most ``role_cap`` candidates (MAX_CANDIDATES_PER_PLACE x open places, minus
  its open suggestions from volunteers outside the call).

The flow network, SmartSort-like::

    source --(1, -8)----------> volunteer --(1, -score)--> role --(1, -FIRST_BONUS)--> sink
           --(2, -4)---------->                                 --(cap_r - 1, 0)----->
           --(keep_v - 3, -2)->
           --(cap_v - keep_v, 0)->
    source ------------------------------(everything, 0)----------------------------> sink

(bonuses in units of KEEP_UNIT, more than any score). Every unit of flow is one shown pair. The
bypass arc lets supply go unused, so the solver maximises: first every volunteer's first suggestion,
then their second and third, then a first candidate for every role that has none (FIRST_BONUS),
then the rest of each volunteer's ``keep`` (nobody gets fewer than their plain top ``keep`` where
the roles' capacity allows), then the total score. The volunteer's bonuses fall with each slot, so
when places are scarce they are spread over many volunteers instead of filling a few lists. Only
eligible pairs are ever given, so no assignment can break a rule; the scores shown stay the real
scores.

Deterministic: the pairs are put in one canonical order (volunteer id, role id) before the network
is built, so the same pairs give the same assignment whatever order they arrive in (a chunk's order,
a worker's), and the single-threaded solver breaks ties the same way every time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

#: Scores in [0, 1] become integer costs with this resolution (six decimals, as stored), and each
#: unit is split in TIE_STEPS so that equal scores go to the lower ids (see _tie_break).
SCORE_SCALE = 1_000_000
TIE_STEPS = 64
#: Worth more than any score (scores are at most SCORE_SCALE * TIE_STEPS).
KEEP_UNIT = SCORE_SCALE * TIE_STEPS
#: (slots up to, bonus) for a volunteer's suggestions within ``keep``: falling, so scarce places
#: are spread over volunteers (the solver fills the cheapest arc of a volunteer first).
KEEP_TIERS = ((1, 8 * KEEP_UNIT), (3, 4 * KEEP_UNIT), (None, 2 * KEEP_UNIT))
#: A role's first candidate: after a volunteer's first three suggestions, before the rest.
FIRST_BONUS = 3 * KEEP_UNIT


@dataclass(frozen=True)
class Limits:
    """The two bounds of the assignment (settings MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER and
    MAX_CANDIDATES_PER_PLACE in the product)."""

    per_volunteer: int = 15
    per_place: int = 10


@dataclass(frozen=True)
class Capacities:
    """What each side may still take in this call, aligned with the rows the pairs refer to.

    ``volunteer_cap[v]`` / ``role_cap[r]``: suggestions volunteer row v / role row r may still be
    given; ``keep[v]``: how many the volunteer is favoured to keep (the plain top-k size);
    ``role_has_candidate[r]``: the role already has an open suggestion from outside the call (no
    first-candidate bonus for it)."""

    volunteer_cap: NDArray[np.int64]
    role_cap: NDArray[np.int64]
    keep: NDArray[np.int64]
    role_has_candidate: NDArray[np.bool_]


def capacities(
    *,
    n_volunteers: int,
    places_left: NDArray[np.int64],
    per_volunteer: int,
    per_place: int,
    keep: int,
    volunteer_holds: NDArray[np.int64] | None = None,
    role_holds: NDArray[np.int64] | None = None,
) -> Capacities:
    """Capacities from the settings and what each side already holds outside the call
    (``volunteer_holds`` per volunteer row, ``role_holds`` per role row; none by default)."""
    v_holds = np.zeros(n_volunteers, np.int64) if volunteer_holds is None else volunteer_holds
    r_holds = np.zeros(len(places_left), np.int64) if role_holds is None else role_holds
    volunteer_cap = np.maximum(per_volunteer - np.asarray(v_holds, np.int64), 0)
    role_cap = np.maximum(per_place * np.asarray(places_left, np.int64) - r_holds, 0)
    return Capacities(
        volunteer_cap=volunteer_cap,
        role_cap=role_cap,
        keep=np.minimum(keep, volunteer_cap),
        role_has_candidate=np.asarray(r_holds) > 0,
    )


def allocate(
    vi: NDArray[np.int64],
    ri: NDArray[np.int64],
    scores: NDArray[np.float64],
    caps: Capacities,
    *,
    volunteer_ids: NDArray[np.int64],
    role_ids: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Indices (into the pair arrays) of the pairs shown, grouped by volunteer id, best first.

    ``vi``/``ri`` are rows of ``volunteer_ids``/``role_ids`` (and of ``caps``); every pair must be
    eligible and appear once. Ties in the output order are broken by role id."""
    n = len(vi)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((role_ids[ri], volunteer_ids[vi]))  # canonical: by volunteer id, role id
    ok = (caps.volunteer_cap[vi[order]] > 0) & (caps.role_cap[ri[order]] > 0)
    order = order[ok]
    if len(order) == 0:
        return np.empty(0, dtype=np.int64)
    pv, pr = vi[order], ri[order]
    # Only the volunteers and roles that appear get nodes, numbered in id order.
    vols, v_node = np.unique(volunteer_ids[pv], return_inverse=True)
    roles, r_node = np.unique(role_ids[pr], return_inverse=True)
    v_rows = _first_rows(v_node, pv, len(vols))
    r_rows = _first_rows(r_node, pr, len(roles))
    degree = np.bincount(v_node, minlength=len(vols))
    v_cap = np.minimum(caps.volunteer_cap[v_rows], degree)
    v_keep = np.minimum(caps.keep[v_rows], v_cap)
    r_cap = np.minimum(caps.role_cap[r_rows], np.bincount(r_node, minlength=len(roles)))
    r_first = np.where(caps.role_has_candidate[r_rows], 0, np.minimum(r_cap, 1))

    source, sink = 0, 1 + len(vols) + len(roles)
    v_nodes = 1 + np.arange(len(vols))
    r_nodes = 1 + len(vols) + np.arange(len(roles))
    supply = int(v_cap.sum())
    # The volunteer's arcs from the source: one per tier of KEEP_TIERS, then the rest of the cap.
    tier_caps, tier_costs, low = [], [], np.zeros(len(vols), np.int64)
    for up_to, bonus in KEEP_TIERS:
        high = v_keep if up_to is None else np.minimum(v_keep, up_to)
        tier_caps.append(np.maximum(high - low, 0))
        tier_costs.append(np.full(len(vols), -bonus))
        low = np.maximum(low, high)
    tier_caps.append(v_cap - v_keep)
    tier_costs.append(np.zeros(len(vols)))
    n_tiers = len(tier_caps)
    tails = np.concatenate(
        [1 + v_node, np.zeros(n_tiers * len(vols) + 1, np.int64), r_nodes, r_nodes]
    ).astype(np.int32)
    heads = np.concatenate(
        [1 + len(vols) + r_node, np.tile(v_nodes, n_tiers), [sink], np.full(2 * len(roles), sink)]
    ).astype(np.int32)
    caps_arc = np.concatenate(
        [np.ones(len(pv)), *tier_caps, [supply], r_first, r_cap - r_first]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            -np.rint(np.clip(scores[order], 0.0, 1.0) * SCORE_SCALE) * TIE_STEPS
            - _tie_break(v_node, r_node, len(vols), len(roles)),
            *tier_costs,
            [0],
            np.full(len(roles), -FIRST_BONUS),
            np.zeros(len(roles)),
        ]
    ).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps_arc, costs)
    solver.set_nodes_supplies(np.array([source, sink], np.int32), np.array([supply, -supply]))
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"the assignment did not solve (status {status})")
    chosen = order[solver.flows(arcs[: len(pv)]) > 0]
    return _grouped_best_first(chosen, vi, ri, scores, volunteer_ids, role_ids)


def _tie_break(
    v_node: NDArray[np.int64], r_node: NDArray[np.int64], n_vols: int, n_roles: int
) -> NDArray[np.int64]:
    """A preference below one score unit (1e-6) for lower role ids, then lower volunteer ids, so
    that between equal scores the solver's choice follows the ids, not the arc order."""
    half = TIE_STEPS // 2
    role_pref = (half - 1) * (n_roles - 1 - r_node) // max(n_roles - 1, 1)
    volunteer_pref = (half - 1) * (n_vols - 1 - v_node) // max(n_vols - 1, 1)
    return (role_pref + volunteer_pref).astype(np.int64)


def _first_rows(node: NDArray[np.int64], rows: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """The input row of each node (every pair of a node names the same row)."""
    out = np.empty(n, dtype=np.int64)
    out[node] = rows
    return out


def _grouped_best_first(
    chosen: NDArray[np.int64],
    vi: NDArray[np.int64],
    ri: NDArray[np.int64],
    scores: NDArray[np.float64],
    volunteer_ids: NDArray[np.int64],
    role_ids: NDArray[np.int64],
) -> NDArray[np.int64]:
    return chosen[np.lexsort((role_ids[ri[chosen]], -scores[chosen], volunteer_ids[vi[chosen]]))]


def ranks_within(groups: NDArray[np.int64]) -> NDArray[np.int64]:
    """1, 2, 3... within each run of equal values (rows already grouped): the rank shown."""
    if len(groups) == 0:
        return np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    return (np.arange(len(groups)) - first + 1).astype(np.int64)
