"""Fair exposure: one excellent role must not take everyone's top slot."""

from __future__ import annotations

import numpy as np

from matching.engine import rank_all
from matching.engine.fairness import pick_fair
from tests.matching.engine.engine_people import TODAY, ada, listening_line


def catalogue():
    """Twenty volunteers like Ada; one star role with a single place, five decent roles."""
    people = [ada(id=i) for i in range(1, 21)]
    star = listening_line(id=10, capacity_left=1)
    decent = [
        listening_line(
            id=20 + j,
            capacity_left=2,
            text="Peer support volunteer",
            causes=frozenset(),
            availability=frozenset({"sat-morning"}),
        )
        for j in range(5)
    ]
    full = listening_line(id=99, capacity_left=0)
    return people, [star, *decent, full]


def test_fair_exposure_shows_more_roles_in_the_top_slot():
    people, roles = catalogue()
    unfair = rank_all(people, roles, today=TODAY, k=2, fair=False)
    fair = rank_all(people, roles, today=TODAY, k=2, fair=True)

    def top_slot_roles(shown):
        return {s.opportunity_id for s in shown if s.rank == 1}

    assert top_slot_roles(unfair) == {10}  # everyone's first choice is the star role
    assert len(top_slot_roles(fair)) >= 3
    assert len({s.opportunity_id for s in fair}) > len({s.opportunity_id for s in unfair})
    # Same number of suggestions, none to a full role, and the scores shown are the real ones.
    assert len(fair) == len(unfair) == 40
    assert 99 not in {s.opportunity_id for s in fair}
    real = {(s.volunteer_id, s.opportunity_id): s.score for s in unfair}
    for s in fair:
        if (s.volunteer_id, s.opportunity_id) in real:
            assert s.score == real[(s.volunteer_id, s.opportunity_id)]


def test_exposure_follows_capacity():
    # 100 volunteers with identical pools of two equally good roles: 1 place vs 3 places.
    roles = np.tile([0, 1], (100, 1))
    scores = np.full((100, 2), 0.8)
    picks = pick_fair(roles, scores, np.array([1, 3]), k=1, batch_size=1)
    shown = np.bincount(roles[np.arange(100), picks[:, 0]], minlength=2)
    assert shown.tolist() == [25, 75]
