"""Who is shown where: the capacity-aware assignment (matching/engine/allocation.py).

A volunteer never holds more than the cap, a role never takes more than its bound per open place,
an empty role gets its first candidate, every volunteer keeps their plain top-k where capacity
allows, the same pairs give the same assignment in any order, and no assigned pair breaks a rule.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matching.engine import MatchIndex, is_eligible, rank_all, rank_all_arrays, rank_for_volunteer
from matching.engine.allocation import Limits, allocate, capacities
from tests.matching.engine.engine_people import TODAY, ada, listening_line
from tests.matching.engine.test_engine_properties import (
    PROPERTY_SETTINGS,
    catalogues,
    restated_ok,
)


def solve(pairs, *, per_volunteer, places, per_place=10, keep=10, role_holds=None):
    """Assign ``pairs`` [(volunteer row, role row, score)]; ids are rows + 1 (volunteers) and
    rows + 101 (roles). Returns the chosen (volunteer row, role row) in output order."""
    vi = np.array([p[0] for p in pairs], dtype=np.int64)
    ri = np.array([p[1] for p in pairs], dtype=np.int64)
    scores = np.array([p[2] for p in pairs], dtype=np.float64)
    n_v = int(vi.max()) + 1
    caps = capacities(
        n_volunteers=n_v,
        places_left=np.array(places, dtype=np.int64),
        per_volunteer=per_volunteer,
        per_place=per_place,
        keep=keep,
        role_holds=None if role_holds is None else np.array(role_holds, dtype=np.int64),
    )
    rows = allocate(
        vi,
        ri,
        scores,
        caps,
        volunteer_ids=np.arange(n_v, dtype=np.int64) + 1,
        role_ids=np.arange(len(places), dtype=np.int64) + 101,
    )
    return [(int(vi[r]), int(ri[r])) for r in rows]


def test_an_empty_role_gets_its_first_candidate_before_a_higher_total_score():
    """Two volunteers each shown one role; both score the first circle 0.9 and the second 0.3.
    By score alone both would go to the first circle and the second would reach nobody; the
    first-candidate bonus gives the second circle one of them."""
    pairs = [(0, 0, 0.9), (0, 1, 0.3), (1, 0, 0.9), (1, 1, 0.3)]

    chosen = solve(pairs, per_volunteer=1, places=[1, 1], keep=1)

    assert sorted(r for _, r in chosen) == [0, 1]


def test_a_role_someone_else_already_shows_gets_no_first_candidate_bonus():
    """The second circle already has a candidate from outside the call, so the better-scoring
    first circle gets the volunteer."""
    pairs = [(0, 0, 0.9), (0, 1, 0.3), (1, 0, 0.9), (1, 1, 0.3)]

    chosen = solve(pairs, per_volunteer=1, places=[1, 1], keep=1, role_holds=[0, 1])

    assert sorted(r for _, r in chosen) == [0, 0]


def test_each_open_place_takes_at_most_its_bound_of_candidates():
    """Twelve volunteers want a role with one place: ten candidates a place, the best ten."""
    pairs = [(v, 0, 0.5 + v / 100) for v in range(12)]

    chosen = solve(pairs, per_volunteer=15, places=[1])

    assert sorted(v for v, _ in chosen) == list(range(2, 12))


def test_capacity_left_by_other_volunteers_is_respected():
    """A role with one place already shows nine candidates from elsewhere: one more, not ten."""
    pairs = [(v, 0, 0.5) for v in range(5)]

    assert len(solve(pairs, per_volunteer=15, places=[1], role_holds=[9])) == 1
    assert solve(pairs, per_volunteer=15, places=[1], role_holds=[10]) == []


def test_the_strong_profile_sits_in_no_more_queues_than_the_cap():
    """The finding "one volunteer sat in 377 of 717 role queues": Ada fits all of 717 roles best,
    each role takes ten candidates, and 30 other volunteers fit them less well. Each role's own
    top ten would include Ada everywhere; the assignment keeps her at 15."""
    n_roles, others = 717, 30
    pairs = [(0, r, 0.95) for r in range(n_roles)]
    pairs += [(1 + v, r, 0.4) for v in range(others) for r in range(v, n_roles, others)]

    chosen = solve(pairs, per_volunteer=15, places=[1] * n_roles)

    per_volunteer = np.bincount([v for v, _ in chosen])
    assert per_volunteer[0] == 15
    assert per_volunteer.max() == 15


def test_every_volunteer_keeps_their_top_k_where_capacity_allows():
    """Volunteer 0 fits twenty roles well, volunteer 1 only the first ten of them, weakly; each
    role takes one candidate. By score volunteer 0 would take fifteen (five of volunteer 1's
    roles); keeping each volunteer's top ten comes first, so both get ten."""
    pairs = [(0, r, 0.9) for r in range(20)] + [(1, r, 0.2) for r in range(10)]

    chosen = solve(pairs, per_volunteer=15, places=[1] * 20, per_place=1)

    assert list(np.bincount([v for v, _ in chosen])) == [10, 10]


def test_the_same_pairs_in_any_order_give_the_same_assignment():
    rng = np.random.default_rng(7)
    pairs = [
        (v, r, float(rng.choice([0.3, 0.5, 0.7])))
        for v in range(40)
        for r in rng.choice(30, size=12, replace=False)
    ]
    first = solve(pairs, per_volunteer=5, places=[1] * 30, per_place=3, keep=4)
    for seed in range(3):
        shuffled = [pairs[i] for i in np.random.default_rng(seed).permutation(len(pairs))]
        assert solve(shuffled, per_volunteer=5, places=[1] * 30, per_place=3, keep=4) == first


def test_equal_scores_go_to_the_lower_ids():
    """Two identical circles and one volunteer who may take one: the first circle created."""
    assert solve([(0, 1, 0.5), (0, 0, 0.5)], per_volunteer=1, places=[1, 1], keep=1) == [(0, 0)]


def test_the_full_run_gives_the_same_pairs_whatever_the_volunteers_order():
    people = [ada(id=i, max_travel_km=3.0 + i / 10) for i in range(1, 25)]
    roles = [listening_line(id=100 + j, capacity_left=1 + j % 2) for j in range(8)]
    index = MatchIndex.build(roles, today=TODAY)
    limits = Limits(per_volunteer=3, per_place=2)

    def pairs(volunteers):
        ranked = rank_all_arrays(volunteers, index=index, today=TODAY, k=2, limits=limits)
        return sorted(
            zip(ranked.volunteer_ids.tolist(), ranked.opportunity_ids.tolist(), strict=True)
        )

    assert pairs(people) == pairs(people[::-1]) == pairs(people[5:] + people[:5])


def test_a_single_rematch_skips_roles_that_are_full_and_reaches_further_down():
    """Ada's best two circles already show their ten candidates: her rematch is shown the others."""
    roles = [listening_line(id=100 + j) for j in range(5)]
    index = MatchIndex.build(roles, today=TODAY)

    shown = rank_for_volunteer(
        ada(), index, k=2, prior_exposures={100: 10, 101: 10}, limits=Limits(per_volunteer=3)
    )

    assert {s.opportunity_id for s in shown} == {102, 103, 104}
    assert [s.rank for s in shown] == [1, 2, 3]


@PROPERTY_SETTINGS
@given(catalogues(), st.integers(1, 4), st.integers(1, 3))
def test_the_assignment_never_suggests_an_ineligible_pair_nor_breaks_a_bound(
    catalogue, per_volunteer, per_place
):
    vols, opps, excluded = catalogue
    by_id = {o.id: o for o in opps}
    people = {v.id: v for v in vols}
    limits = Limits(per_volunteer=per_volunteer, per_place=per_place)
    shown = rank_all(vols, opps, today=TODAY, k=2, excluded=excluded, limits=limits)
    for s in shown:
        v, o = people[s.volunteer_id], by_id[s.opportunity_id]
        assert is_eligible(v, o, today=TODAY, excluded=excluded)
        assert restated_ok(v, o, excluded)
    pairs = [(s.volunteer_id, s.opportunity_id) for s in shown]
    assert len(pairs) == len(set(pairs))
    for v in vols:
        held = sum(1 for s in shown if s.volunteer_id == v.id)
        assert held <= per_volunteer
        eligible = sum(1 for o in opps if restated_ok(v, o, excluded))
        assert held >= min(1, eligible) or any(
            sum(1 for s in shown if s.opportunity_id == o.id) >= per_place * o.capacity_left
            for o in opps
            if restated_ok(v, o, excluded)
        )
    for o in opps:
        assert sum(1 for s in shown if s.opportunity_id == o.id) <= per_place * o.capacity_left
