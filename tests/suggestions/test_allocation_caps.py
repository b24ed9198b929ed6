"""Who is shown where, against a real database: the per-volunteer cap holds in a full run, in a
volunteer's rematch and in a role's rematch; a role's bound per open place holds in a volunteer's
rematch; and a full run's suggestions do not depend on its chunks or the order they ran in."""

from __future__ import annotations

import pytest
from django.db.models import Count

from matching.models import Match, MatchRunChunk, MatchStatus
from suggestions.models import RunPlanSlice
from suggestions.services import rematch, run_plan, runs
from tests.factories import MatchFactory, OpportunityFactory, VolunteerProfileFactory
from tests.suggestions.test_suggestions_services import (
    listening_role,
    make_listener,
    shown_to,
)

pytestmark = pytest.mark.django_db


def open_per_volunteer() -> dict[int, int]:
    rows = Match.objects.filter(status=MatchStatus.SUGGESTED).values_list("volunteer_id")
    return dict(rows.annotate(n=Count("id")))


def listeners(n: int) -> list:
    return [
        make_listener(VolunteerProfileFactory.create(display_name=f"Listener {i}"))
        for i in range(n)
    ]


def open_suggestions() -> list[tuple[int, int, float]]:
    return sorted(
        Match.objects.filter(status=MatchStatus.SUGGESTED).values_list(
            "volunteer_id", "opportunity_id", "score"
        )
    )


def test_a_full_run_gives_no_volunteer_more_than_the_cap(settings, ada, bo, harbor):
    """Six roles fit Ada and Bo; the cap is three: each is shown three, in chunks of one."""
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 3
    make_listener(ada)
    make_listener(bo)
    for i in range(6):
        listening_role(harbor, title=f"Listener {i}")

    run = runs.match_run_start(requested_by=None, chunk_size=1)
    for chunk in run.chunks.order_by("index"):
        runs.match_run_chunk_execute(chunk_id=chunk.id)

    assert open_per_volunteer() == {ada.id: 3, bo.id: 3}
    assert not RunPlanSlice.objects.exists()  # each chunk deleted its slice once stored


def test_a_run_gives_the_same_suggestions_whatever_its_chunks_and_their_order(settings, harbor):
    """Eight listeners, five roles of one place each taking two candidates a place, three
    suggestions each at most: places are scarce, so who gets what depends on everyone else.
    Run in chunks of one executed backwards, then in one chunk, then in chunks of three: the
    same suggestions with the same scores every time."""
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 3
    settings.MAX_CANDIDATES_PER_PLACE = 2
    listeners(8)
    for i in range(5):
        listening_role(harbor, title=f"Listener {i}", capacity=1)

    def run_with(chunk_size: int, *, backwards: bool) -> list[tuple[int, int, float]]:
        run = runs.match_run_start(requested_by=None, chunk_size=chunk_size)
        chunks = list(run.chunks.order_by("-index" if backwards else "index"))
        for chunk in chunks:
            runs.match_run_chunk_execute(chunk_id=chunk.id)
        run.refresh_from_db()
        assert run.status == run.Status.SUCCEEDED
        return open_suggestions()

    first = run_with(1, backwards=True)
    assert len(first) == 5 * 2  # every place's two candidates
    assert max(open_per_volunteer().values()) <= 3
    assert run_with(8, backwards=False) == first
    assert run_with(3, backwards=True) == first


def test_a_second_worker_that_solved_the_same_run_uses_the_first_ones_assignment(harbor):
    """Two deliveries solve the run at the same time; the one that writes second is refused by the
    slices already there and uses those, not its own."""
    listeners(2)
    listening_role(harbor)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first, second = list(run.chunks.order_by("index"))
    real_solve = run_plan._solve
    calls = 0

    def solve_while_the_other_writes(run_id):
        nonlocal calls
        calls += 1
        if calls == 1:  # the other worker solves and writes first
            run_plan.run_plan_slice(chunk=MatchRunChunk.objects.get(id=second.id))
            return {first.id: b"", second.id: b""}  # what this one would have written
        return real_solve(run_id)

    run_plan._solve = solve_while_the_other_writes
    try:
        mine = run_plan.run_plan_slice(chunk=first)
    finally:
        run_plan._solve = real_solve

    assert calls == 2
    stored = bytes(RunPlanSlice.objects.get(chunk_id=first.id).pairs)
    assert mine == stored != b""


def test_a_volunteers_rematch_skips_a_role_whose_places_have_their_candidates(
    settings, ada, harbor
):
    """The one-place circle already shows two candidates, its bound: Ada's rematch is shown the
    other circle only."""
    settings.MAX_CANDIDATES_PER_PLACE = 2
    make_listener(ada)
    full = listening_role(harbor, title="Full circle", capacity=1)
    other = listening_role(harbor, title="Other circle", capacity=1)
    for person in listeners(2):
        MatchFactory.create(volunteer=person, opportunity=full, status=MatchStatus.SUGGESTED)

    rematch.volunteer_rematch(profile_id=ada.id)

    assert shown_to(ada) == [other.id]


def test_a_volunteers_rematch_keeps_to_the_cap_and_withdraws_the_rest(settings, ada, harbor):
    """Ada holds four open suggestions; the cap drops to two: her rematch leaves her two."""
    make_listener(ada)
    roles = [listening_role(harbor, title=f"Circle {i}") for i in range(4)]
    rematch.volunteer_rematch(profile_id=ada.id)
    assert len(shown_to(ada)) == 4
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 2

    rematch.volunteer_rematch(profile_id=ada.id)

    assert len(shown_to(ada)) == 2
    assert set(shown_to(ada)) <= {r.id for r in roles}


def test_a_roles_rematch_gives_no_volunteer_a_suggestion_past_the_cap(settings, ada, bo, harbor):
    """Ada holds fifteen open suggestions of other roles: a new role's rematch passes her by and
    is shown Bo. Bo holds fourteen plus one of this role: he keeps it (room is counted without
    this role's own)."""
    make_listener(ada)
    make_listener(bo)
    elsewhere = OpportunityFactory.create_batch(15, organization=harbor)
    for role in elsewhere:
        MatchFactory.create(volunteer=ada, opportunity=role, status=MatchStatus.SUGGESTED)
    for role in elsewhere[:14]:
        MatchFactory.create(volunteer=bo, opportunity=role, status=MatchStatus.SUGGESTED)
    new = listening_role(harbor, title="New circle")
    MatchFactory.create(volunteer=bo, opportunity=new, status=MatchStatus.SUGGESTED)

    rematch.opportunity_rematch(opportunity_id=new.id)

    on_new = Match.objects.filter(opportunity=new, status=MatchStatus.SUGGESTED)
    assert list(on_new.values_list("volunteer_id", flat=True)) == [bo.id]
    assert open_per_volunteer() == {ada.id: 15, bo.id: 15}


def test_a_strong_profile_among_many_roles_holds_no_more_than_the_cap(settings, ada, harbor):
    """The finding "one volunteer sat in 377 of 717 role queues": Ada fits every one of 25 roles
    best, and each role's rematch runs; she ends in five queues, the cap, not 25."""
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 5
    make_listener(ada)
    roles = [listening_role(harbor, title=f"Circle {i}") for i in range(25)]

    rematch.volunteer_rematch(profile_id=ada.id)
    for role in roles:
        rematch.opportunity_rematch(opportunity_id=role.id)

    assert open_per_volunteer() == {ada.id: 5}
