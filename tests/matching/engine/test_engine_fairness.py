"""Fair exposure: one excellent role must not take everyone's top slot, within one call or, with
prior exposures, across the chunks of a run and single rematches."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import MatchIndex, rank_all, rank_for_volunteer
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


# --- prior exposures: fairness across the chunks of a run and single rematches -----------------


def circles():
    """Two listening circles Ada fits, the busy one scoring a little higher, and a Spanish-speaking
    circle she cannot take (she speaks English only)."""
    busy = listening_line(
        id=11,
        text="Listening circle host: active listening and peer support for mental health (peer "
        "support)",
    )
    quiet = listening_line(id=12)
    spanish = listening_line(id=13, text=busy.text, languages=frozenset({"es"}))
    return busy, quiet, spanish


def test_prior_exposures_move_ada_from_a_busy_role_to_an_unshown_one_of_similar_score():
    """Given thirty other volunteers already have the busy circle in their lists and nobody has
    the quiet one, Ada's single rematch shows her the quiet circle first, never the Spanish one."""
    busy, quiet, spanish = circles()
    index = MatchIndex.build([busy, quiet, spanish], today=TODAY)

    plain = rank_for_volunteer(ada(), index, k=1)
    fair = rank_for_volunteer(ada(), index, k=1, prior_exposures={11: 30, 12: 0, 13: 0})

    assert [s.opportunity_id for s in plain] == [11]
    assert [s.opportunity_id for s in fair] == [12]
    # The shown score is the quiet circle's real score, a little below the busy one's.
    everything = {s.opportunity_id: s.score for s in rank_for_volunteer(ada(), index, k=3)}
    assert set(everything) == {11, 12}  # the Spanish circle is not eligible at any k
    assert fair[0].score == everything[12]
    assert 0.9 * everything[11] < everything[12] < everything[11]
    # With k = 2 she sees both circles, quiet first; the ineligible one never comes in.
    both = rank_for_volunteer(ada(), index, k=2, prior_exposures={11: 30, 13: 0})
    assert [(s.opportunity_id, s.rank) for s in both] == [(12, 1), (11, 2)]


def test_prior_exposures_on_an_equally_busy_pool_keep_the_score_order():
    """The discount is relative to the pool's fair share: if both circles are equally busy per
    place, Ada sees them in score order, as without priors."""
    busy, quiet, _ = circles()
    index = MatchIndex.build([busy, quiet], today=TODAY)

    shown = rank_for_volunteer(ada(), index, k=2, prior_exposures={11: 40, 12: 40})

    assert [s.opportunity_id for s in shown] == [11, 12]


def test_no_priors_and_zero_priors_rank_exactly_as_before():
    people, roles = catalogue()
    index = MatchIndex.build(roles, today=TODAY)
    zeros = {r.id: 0 for r in roles}

    for fair in (True, False):
        before = rank_all(people, roles, today=TODAY, k=2, fair=fair)
        assert rank_all(people, roles, today=TODAY, k=2, fair=fair, prior_exposures=None) == before
        assert rank_all(people, roles, today=TODAY, k=2, fair=fair, prior_exposures=zeros) == before
    for person in people[:3]:
        before = rank_for_volunteer(person, index, k=3)
        assert rank_for_volunteer(person, index, k=3, prior_exposures=None) == before
        assert rank_for_volunteer(person, index, k=3, prior_exposures=zeros) == before


def test_priors_from_an_earlier_chunk_make_up_for_its_exposure():
    """Two equally good roles, 1 place vs 3: across 200 volunteers exposure should split 50/150.
    Chunk one showed only the big role, 100 times. The next 100 volunteers, told so, see the
    small role 50 times; without priors they would split 25/75 and the small role ends at 25."""
    roles = np.tile([0, 1], (100, 1))
    scores = np.full((100, 2), 0.8)
    capacity = np.array([1, 3])

    def shown(prior):
        picks = pick_fair(roles, scores, capacity, k=1, batch_size=1, prior_exposures=prior)
        return np.bincount(roles[np.arange(100), picks[:, 0]], minlength=2).tolist()

    assert shown(np.array([0, 100])) == [50, 50]
    assert shown(None) == shown(np.array([0, 0])) == [25, 75]


def test_prior_exposures_must_be_counts_one_per_role():
    roles, scores = np.array([[0, 1]]), np.array([[0.5, 0.4]])
    with pytest.raises(ValueError, match="one per role"):
        pick_fair(roles, scores, np.array([1, 1]), k=1, prior_exposures=np.array([1]))
    with pytest.raises(ValueError, match=">= 0"):
        pick_fair(roles, scores, np.array([1, 1]), k=1, prior_exposures=np.array([-1, 0]))
