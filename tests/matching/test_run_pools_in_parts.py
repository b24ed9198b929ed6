"""A full run's pools computed in parts and assigned together (matching/engine/parts.py, issue 11):
the same shown pairs, scores and ranks as the run in one call, however many parts, in whatever
order, through the bytes a chunk stores. Engine only (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import MatchIndex, rank_all_arrays
from matching.engine.allocation import Limits
from matching.engine.fused import spatial_keys
from matching.engine.parts import ON_SITE_MODES, assign_pools, split_by_place, volunteer_pools
from matching.engine.plan import pool_part, pool_part_bytes

#: Scarce places: who is shown where depends on every other volunteer, so a part that assigned
#: alone would differ.
LIMITS = Limits(per_volunteer=6, per_place=2)
K = 10


@pytest.fixture(scope="module")
def catalogue():
    from bench._synthetic import make_catalogue

    c = make_catalogue(1500, 400, seed=7)
    index = MatchIndex.build(c.opportunities, today=c.today)
    volunteers = sorted(c.volunteers, key=lambda v: v.id)
    rng = np.random.default_rng(7)
    roles = index.roles.ids
    # Pairs never to suggest again, and open suggestions of volunteers outside the run.
    excluded = frozenset(
        (int(volunteers[i].id), int(roles[j]))
        for i, j in zip(
            rng.integers(0, len(volunteers), 300), rng.integers(0, len(roles), 300), strict=True
        )
    )
    every_seventh = roles[::7]
    prior = dict(
        zip(every_seventh.tolist(), rng.integers(1, 4, len(every_seventh)).tolist(), strict=True)
    )
    return volunteers, index, excluded, prior


def shown(volunteer_ids, opportunity_ids, linear, ranks):
    return list(
        zip(
            np.asarray(volunteer_ids).tolist(),
            np.asarray(opportunity_ids).tolist(),
            np.asarray(linear).tolist(),
            np.asarray(ranks).tolist(),
            strict=True,
        )
    )


def pairs_of(*parts):
    return [
        pair
        for p in parts
        for pair in zip(
            p.volunteer_ids.tolist(), p.opportunity_ids.tolist(), p.linear.tolist(), strict=True
        )
    ]


def parts_of(volunteers, n: int) -> list[list]:
    by_id = {v.id: v for v in volunteers}
    ids = split_by_place(
        [v.id for v in volunteers],
        [v.latitude for v in volunteers],
        [v.longitude for v in volunteers],
        [v.max_travel_km for v in volunteers],
        [v.modes for v in volunteers],
        size=-(-len(volunteers) // n),
    )
    return [[by_id[i] for i in part] for part in ids]


@pytest.mark.parametrize("n_parts", [1, 3, 7])
def test_pools_in_parts_assigned_together_give_the_whole_runs_pairs_and_ranks(catalogue, n_parts):
    volunteers, index, excluded, prior = catalogue
    whole = rank_all_arrays(
        volunteers,
        index=index,
        today=index.today,
        k=K,
        excluded=excluded,
        prior_exposures=prior,
        limits=LIMITS,
    )
    parts = parts_of(volunteers, n_parts)
    assert len(parts) == n_parts
    pools = [volunteer_pools(part, index, k=K, limits=LIMITS, excluded=excluded) for part in parts]
    # Each volunteer's pool is the one the whole run computes (a split anywhere else than at the
    # travel groups' edges already differs by a pair here).
    one = volunteer_pools(volunteers, index, k=K, limits=LIMITS, excluded=excluded)
    assert sorted(pairs_of(*pools)) == sorted(pairs_of(one))
    # Stored and read back as a chunk does, and put together in another order.
    stored = [pool_part(pool_part_bytes(p)) for p in reversed(pools)]
    together = assign_pools(stored, index, k=K, limits=LIMITS, prior_exposures=prior)

    expected = shown(whole.volunteer_ids, whole.opportunity_ids, whole.pool.linear, whole.ranks)
    assert len(expected) > 500
    assert (
        shown(
            together.volunteer_ids, together.opportunity_ids, together.pool.linear, together.ranks
        )
        == expected
    )
    assert np.array_equal(together.pool.text, whole.pool.text)
    assert np.array_equal(together.pool.distance, whole.pool.distance, equal_nan=True)
    # The places are scarce: some role takes all the candidates its places allow.
    counts = np.bincount(together.pool.ri)
    assert counts.max() == LIMITS.per_place * index.roles.capacity_left[counts.argmax()]


def test_a_split_by_place_never_cuts_a_travel_group(catalogue):
    volunteers, *_ = catalogue
    parts = parts_of(volunteers, 7)
    assert sorted(v.id for part in parts for v in part) == sorted(v.id for v in volunteers)
    seen: dict[tuple[int, ...], int] = {}
    for p, part in enumerate(parts):
        assert [v.id for v in part] == sorted(v.id for v in part)
        located = [v for v in part if v.has_location and v.modes & ON_SITE_MODES]
        keys = spatial_keys(
            np.radians([v.latitude for v in located]),
            np.radians([v.longitude for v in located]),
            np.array([v.max_travel_km for v in located]),
        )
        for key in map(tuple, keys.tolist()):
            assert seen.setdefault(key, p) == p


def test_a_role_the_assignments_index_no_longer_holds_is_left_out(catalogue):
    """A part computed before a role closed names it; the assignment's index does not have it."""
    volunteers, index, excluded, _ = catalogue
    part = volunteer_pools(volunteers[:200], index, k=K, limits=LIMITS, excluded=excluded)
    gone = int(part.opportunity_ids[0])
    later = MatchIndex.build(
        [o for o in index.roles.records if o.id != gone], today=index.today, model=index.model
    )
    together = assign_pools([part], later, k=K, limits=LIMITS)
    assert len(together.pool.vi) > 0
    assert gone not in together.opportunity_ids.tolist()


def test_volunteers_in_no_travel_group_are_cut_anywhere_in_id_order():
    """Remote volunteers, or on-site ones without coordinates, share no candidate query: parts of
    one, as asked. Two on-site neighbours stay together in a part of two."""
    here = (40.73, -73.99)
    parts = split_by_place(
        [5, 3, 4, 1, 2],
        [here[0], here[0], None, here[0], here[0]],
        [here[1], here[1], None, here[1], here[1]],
        [5.0] * 5,
        [["remote"], ["phone"], ["in_person"], ["in_person"], ["hybrid", "remote"]],
        size=1,
    )
    assert parts == [[1, 2], [3], [4], [5]]
