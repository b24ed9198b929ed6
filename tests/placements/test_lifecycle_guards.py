"""The guards of each lifecycle service, one edge per story: who is refused, with which code and
words, what the audit row records, and how a place already held is counted. Found by mutation
testing (bench/mutation.py --target placements)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from backend.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from matching.engine import eligibility
from matching.models import Match, MatchTransition
from placements import permissions
from placements.services import eligibility as placement_rules
from placements.services import reasons, rechecks, transitions
from tests.factories import (
    MatchFactory,
    TrainingRecordFactory,
    VolunteerProfileFactory,
    training_type,
)
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate


def offered(volunteer, role, sam):
    match = suggestion(volunteer, role)
    return transitions.match_approve(match_id=match.pk, actor=sam)


def steps(match):
    return list(
        MatchTransition.objects.filter(match=match)
        .order_by("id")
        .values_list("from_status", "to_status", "actor", "reason", "note")
    )


def refusal(error: pytest.ExceptionInfo) -> tuple:
    e = error.value
    return (type(e), e.status_code, e.code, e.message)


# --- Who may act (placements/permissions.py) -------------------------------------------------------


def test_nobody_signed_out_is_a_reviewer_a_volunteer_or_a_party(ada, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    for nobody in (None, AnonymousUser()):
        assert permissions.can_review(nobody, match) is False
        assert permissions.is_match_volunteer(nobody, match) is False
        assert permissions.is_party(nobody, match) is False


def test_the_parties_to_a_match_are_its_volunteer_and_the_roles_coordinators(
    ada, bo, sam, alex, rita, harbor
):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    people = (ada.user, sam, alex, bo.user, rita)
    assert [permissions.is_party(u, match) for u in people] == [True, True, True, False, False]
    assert [permissions.can_review(u, match) for u in people] == [False, True, True, False, False]
    assert [permissions.is_match_volunteer(u, match) for u in people] == [
        True,
        False,
        False,
        False,
        False,
    ]


# --- Approve ---------------------------------------------------------------------------------------


def test_approving_records_the_approval_and_the_offer_with_the_note_trimmed(ada, sam, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    approved = transitions.match_approve(match_id=match.pk, actor=sam, note="  Call her first ")

    assert approved.status == "offered"
    assert steps(match) == [
        ("suggested", "approved", sam.pk, "", "Call her first"),
        ("approved", "offered", sam.pk, "", ""),
    ]


def test_a_closed_or_ended_role_cannot_be_approved(ada, bo, sam, harbor):
    closed = suggestion(ready_volunteer(ada), peer_line(harbor, status="closed"))
    ended = suggestion(
        ready_volunteer(bo), peer_line(harbor, ends_on=TODAY() - dt.timedelta(days=1))
    )
    for match in (closed, ended):
        with pytest.raises(ConflictError) as refused:
            transitions.match_approve(match_id=match.pk, actor=sam)
        assert refusal(refused) == (ConflictError, 409, "role_not_open", transitions.ROLE_NOT_OPEN)
        assert Match.objects.get(pk=match.pk).status == "suggested"


def test_a_full_role_cannot_be_approved_and_the_message_names_its_places(ada, bo, sam, harbor):
    role = peer_line(harbor, capacity=1)
    offered(ready_volunteer(bo), role, sam)
    match = suggestion(ready_volunteer(ada), role)

    with pytest.raises(ConflictError) as refused:
        transitions.match_approve(match_id=match.pk, actor=sam)

    assert refusal(refused) == (
        ConflictError,
        409,
        "role_full",
        "The role has no place left: all 1 places are taken.",
    )


def test_approving_rechecks_the_pair_with_the_engines_rules(ada, sam, harbor):
    match = suggestion(ready_volunteer(ada, paused=True), peer_line(harbor))

    with pytest.raises(ConflictError) as refused:
        transitions.match_approve(match_id=match.pk, actor=sam)

    assert refused.value.code == "not_eligible"
    assert refused.value.fields == {"reasons": [eligibility.VOLUNTEER_UNAVAILABLE]}


def test_only_a_suggestion_can_be_approved_and_only_by_its_coordinators(ada, sam, rita, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor), sam)

    with pytest.raises(ConflictError) as again:
        transitions.match_approve(match_id=match.pk, actor=sam)
    with pytest.raises(ApplicationError) as outsider:
        transitions.match_approve(match_id=match.pk, actor=rita)
    with pytest.raises(ApplicationError) as missing:
        transitions.match_approve(match_id=match.pk + 1000, actor=sam)

    assert refusal(again) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_APPROVE.format(status="offered"),
    )
    assert refusal(outsider) == (ForbiddenError, 403, "forbidden", transitions.NOT_A_COORDINATOR)
    assert refusal(missing) == (NotFoundError, 404, "not_found", transitions.MATCH_NOT_FOUND)


def test_rejecting_is_for_harbors_coordinators_only(ada, sam, rita, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    with pytest.raises(ApplicationError) as outsider:
        transitions.match_reject(match_id=match.pk, actor=rita, reason="skills")
    transitions.match_reject(match_id=match.pk, actor=sam, reason=" skills ", note=" n ")

    assert refusal(outsider) == (ForbiddenError, 403, "forbidden", transitions.NOT_A_COORDINATOR)
    assert steps(match) == [("suggested", "rejected", sam.pk, "skills", "n")]


# --- Accept ----------------------------------------------------------------------------------------


def test_a_role_starting_today_makes_the_accepted_match_active_at_once(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor, starts_on=TODAY()), sam)

    assert transitions.match_accept(match_id=match.pk, actor=ada.user).status == "active"
    assert steps(match)[2:] == [
        ("offered", "accepted", ada.user.pk, "", ""),
        ("accepted", "active", None, "role_started", ""),
    ]


def test_a_role_starting_tomorrow_waits_and_one_without_a_start_starts_now(ada, bo, sam, harbor):
    later = offered(
        ready_volunteer(ada), peer_line(harbor, starts_on=TODAY() + dt.timedelta(days=1)), sam
    )
    open_ended = offered(ready_volunteer(bo), peer_line(harbor, starts_on=None), sam)

    assert transitions.match_accept(match_id=later.pk, actor=ada.user).status == "accepted"
    assert transitions.match_accept(match_id=open_ended.pk, actor=bo.user).status == "active"


def test_only_the_volunteer_accepts_and_only_an_offer(ada, sam, harbor):
    role = peer_line(harbor)
    match = offered(ready_volunteer(ada), role, sam)
    waiting = suggestion(new_volunteer("Cy"), role)

    with pytest.raises(ApplicationError) as not_hers:
        transitions.match_accept(match_id=match.pk, actor=sam)
    with pytest.raises(ConflictError) as not_offered:
        transitions.match_accept(match_id=waiting.pk, actor=waiting.volunteer.user)

    assert refusal(not_hers) == (ForbiddenError, 403, "forbidden", transitions.NOT_THE_VOLUNTEER)
    assert refusal(not_offered) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_ACCEPT.format(status="suggested"),
    )


def test_the_offer_ada_holds_is_her_place_on_a_role_with_one_place(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor, capacity=1), sam)

    assert transitions.match_accept(match_id=match.pk, actor=ada.user).status == "active"


def test_a_place_taken_by_someone_else_meanwhile_refuses_the_accept(ada, bo, sam, harbor):
    role = peer_line(harbor, capacity=1)
    match = offered(ready_volunteer(ada), role, sam)
    MatchFactory.create(volunteer=ready_volunteer(bo), opportunity=role, status="active")

    with pytest.raises(ConflictError) as refused:
        transitions.match_accept(match_id=match.pk, actor=ada.user)

    assert refused.value.fields == {"reasons": [eligibility.ROLE_NOT_OPEN]}


# --- Decline, start, complete ------------------------------------------------------------------------


def test_declining_is_the_volunteers_and_records_her_reason(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor), sam)

    with pytest.raises(ApplicationError) as not_hers:
        transitions.match_decline(match_id=match.pk, actor=sam)
    transitions.match_decline(match_id=match.pk, actor=ada.user, reason="schedule", note=" busy ")
    with pytest.raises(ConflictError) as again:
        transitions.match_decline(match_id=match.pk, actor=ada.user)

    assert refusal(not_hers) == (ForbiddenError, 403, "forbidden", transitions.NOT_THE_VOLUNTEER)
    assert steps(match)[-1] == ("offered", "declined", ada.user.pk, "schedule", "busy")
    assert refusal(again) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_DECLINE.format(status="declined"),
    )


def test_the_system_starts_a_match_on_its_start_day_not_before(ada, sam, harbor):
    start = TODAY() + dt.timedelta(days=5)
    match = offered(ready_volunteer(ada), peer_line(harbor, starts_on=start), sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)

    with pytest.raises(ConflictError) as early:
        transitions.match_activate(match_id=match.pk, actor=None, today=start - dt.timedelta(1))
    started = transitions.match_activate(match_id=match.pk, actor=None, today=start)

    assert refusal(early) == (
        ConflictError,
        409,
        "not_started",
        transitions.CANNOT_ACTIVATE.format(status="not started"),
    )
    assert started.status == "active"
    assert steps(match)[-1] == ("accepted", "active", None, "role_started", "")


def test_a_coordinator_starts_early_without_a_system_reason_an_outsider_cannot(
    ada, sam, rita, harbor
):
    start = TODAY() + dt.timedelta(days=5)
    match = offered(ready_volunteer(ada), peer_line(harbor, starts_on=start), sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)

    with pytest.raises(ApplicationError) as outsider:
        transitions.match_activate(match_id=match.pk, actor=rita)
    transitions.match_activate(match_id=match.pk, actor=sam)

    assert refusal(outsider) == (ForbiddenError, 403, "forbidden", transitions.NOT_A_COORDINATOR)
    assert steps(match)[-1] == ("accepted", "active", sam.pk, "", "")


def test_either_party_completes_an_active_match_and_nobody_else(ada, bo, sam, harbor):
    role = peer_line(harbor)
    hers = offered(ready_volunteer(ada), role, sam)
    transitions.match_accept(match_id=hers.pk, actor=ada.user)
    his = offered(ready_volunteer(bo), peer_line(harbor, title="Other"), sam)
    transitions.match_accept(match_id=his.pk, actor=bo.user)

    with pytest.raises(ApplicationError) as outsider:
        transitions.match_complete(match_id=hers.pk, actor=bo.user)
    transitions.match_complete(match_id=hers.pk, actor=ada.user, reason="finished", note=" ok ")
    transitions.match_complete(match_id=his.pk, actor=sam, reason="term_ended")
    with pytest.raises(ConflictError) as again:
        transitions.match_complete(match_id=hers.pk, actor=sam)

    assert refusal(outsider) == (ForbiddenError, 403, "forbidden", transitions.NOT_A_PARTY)
    assert steps(hers)[-1] == ("active", "completed", ada.user.pk, "finished", "ok")
    assert steps(his)[-1] == ("active", "completed", sam.pk, "term_ended", "")
    assert refusal(again) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_COMPLETE.format(status="completed"),
    )


# --- Withdraw --------------------------------------------------------------------------------------


def test_ada_declines_an_offer_rather_than_withdrawing_and_never_sees_a_suggestion(
    ada, sam, harbor
):
    offer = offered(ready_volunteer(ada), peer_line(harbor), sam)
    hidden = suggestion(ada, peer_line(harbor, title="Other"))

    with pytest.raises(ConflictError) as from_offer:
        transitions.match_withdraw(match_id=offer.pk, actor=ada.user, reason="personal")
    with pytest.raises(ConflictError) as from_suggestion:
        transitions.match_withdraw(match_id=hidden.pk, actor=ada.user, reason="personal")

    assert refusal(from_offer) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.VOLUNTEER_CANNOT_WITHDRAW_OFFER,
    )
    assert refusal(from_suggestion) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_WITHDRAW.format(status="suggested"),
    )


def test_each_side_withdraws_with_a_reason_from_its_own_list(ada, bo, sam, harbor):
    hers = offered(ready_volunteer(ada), peer_line(harbor), sam)
    transitions.match_accept(match_id=hers.pk, actor=ada.user)
    his = suggestion(ready_volunteer(bo), peer_line(harbor, title="Other"))

    with pytest.raises(ApplicationError) as coordinators_word:
        transitions.match_withdraw(match_id=hers.pk, actor=ada.user, reason="safety")
    with pytest.raises(ApplicationError) as volunteers_word:
        transitions.match_withdraw(match_id=his.pk, actor=sam, reason="personal")
    transitions.match_withdraw(match_id=hers.pk, actor=ada.user, reason="found_another")
    transitions.match_withdraw(match_id=his.pk, actor=sam, reason="capacity", note=" full ")

    assert coordinators_word.value.fields == {
        "reason": [reasons.REASON_UNKNOWN.format(choices=", ".join(reasons.VOLUNTEER_REASONS))]
    }
    assert volunteers_word.value.fields == {
        "reason": [reasons.REASON_UNKNOWN.format(choices=", ".join(reasons.COORDINATOR_REASONS))]
    }
    assert steps(hers)[-1] == ("active", "withdrawn", ada.user.pk, "found_another", "")
    assert steps(his)[-1] == ("suggested", "withdrawn", sam.pk, "capacity", "full")


def test_the_system_withdraws_with_a_system_reason_only(ada, sam, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    with pytest.raises(ApplicationError) as a_persons_word:
        transitions.match_withdraw(match_id=match.pk, actor=None, reason="other")
    transitions.match_withdraw(match_id=match.pk, actor=None, reason="no_longer_eligible")

    assert a_persons_word.value.fields == {
        "reason": [reasons.REASON_UNKNOWN.format(choices=", ".join(reasons.SYSTEM_REASONS))]
    }
    assert steps(match) == [("suggested", "withdrawn", None, "no_longer_eligible", "")]


def test_a_coordinator_who_volunteers_on_her_own_role_acts_on_it_only_as_the_volunteer(
    sam, alex, harbor
):
    """Sam also has a volunteer profile; Alex offers Sam the role. Sam cannot withdraw the offer as
    the coordinator (finding 8: nobody reviews their own match): as its volunteer he declines it."""
    own = ready_volunteer(VolunteerProfileFactory.create(user=sam, display_name="Sam"))
    match = offered(own, peer_line(harbor), alex)

    with pytest.raises(ApplicationError) as coordinators_reason:
        transitions.match_withdraw(match_id=match.pk, actor=sam, reason="capacity")
    with pytest.raises(ConflictError) as volunteers_reason:
        transitions.match_withdraw(match_id=match.pk, actor=sam, reason="other")

    assert refusal(coordinators_reason)[1] == 400  # "capacity" is not a volunteer's reason
    assert refusal(volunteers_reason)[3] == transitions.VOLUNTEER_CANNOT_WITHDRAW_OFFER
    assert steps(match)[-1][1] == "offered"


def test_an_outsider_cannot_withdraw_and_a_closed_match_cannot_be_withdrawn(ada, sam, rita, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    with pytest.raises(ApplicationError) as outsider:
        transitions.match_withdraw(match_id=match.pk, actor=rita, reason="other")
    transitions.match_reject(match_id=match.pk, actor=sam, reason="skills")
    with pytest.raises(ConflictError) as closed:
        transitions.match_withdraw(match_id=match.pk, actor=sam, reason="other")

    assert refusal(outsider) == (ForbiddenError, 403, "forbidden", transitions.NOT_A_PARTY)
    assert refusal(closed) == (
        ConflictError,
        409,
        "invalid_transition",
        transitions.CANNOT_WITHDRAW.format(status="rejected"),
    )


# --- The sweep's single-match withdrawal --------------------------------------------------------------


def test_the_recheck_keeps_an_accepted_match_whose_role_closed_but_withdraws_a_paused_suggestion(
    ada, bo, sam, harbor
):
    """Given Ada accepted a role starting in three days that then closed to newcomers, and Bo, who
    paused, is suggested for another role, when the system re-checks both, then Ada's commitment
    stands and Bo's suggestion is withdrawn (every rule counts for a suggestion now)."""
    later = peer_line(harbor, starts_on=TODAY() + dt.timedelta(days=3))
    accepted = offered(ready_volunteer(ada), later, sam)
    transitions.match_accept(match_id=accepted.pk, actor=ada.user)
    accepted.opportunity.status = "closed"
    accepted.opportunity.save()
    paused = suggestion(ready_volunteer(bo, paused=True), peer_line(harbor, title="Other"))

    assert rechecks.match_recheck(match_id=accepted.pk, today=TODAY()) is None
    assert rechecks.match_recheck(match_id=paused.pk, today=TODAY()) == placement_rules.SystemMove(
        "withdrawn", "no_longer_eligible", ("volunteer_unavailable",)
    )
    assert Match.objects.get(pk=accepted.pk).status == "accepted"
    assert Match.objects.get(pk=paused.pk).status == "withdrawn"


def test_the_sweep_counts_an_offers_own_place_as_its_own(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor, capacity=1), sam)

    assert rechecks.match_recheck(match_id=match.pk, today=TODAY()) is None
    assert Match.objects.get(pk=match.pk).status == "offered"


def test_the_sweep_notes_every_sweep_reason_it_withdrew_for(ada, sam, harbor):
    role = peer_line(harbor)
    role.required_trainings.add(training_type("mhfa"))
    record = TrainingRecordFactory.create(profile=ready_volunteer(ada))
    match = offered(ada, role, sam)
    record.expires_on = TODAY() - dt.timedelta(days=1)
    record.save()
    role.status = "closed"
    role.save()

    assert rechecks.match_recheck(match_id=match.pk, today=TODAY()) is not None
    assert steps(match)[-1] == (
        "offered",
        "withdrawn",
        None,
        "no_longer_eligible",
        "role_not_open, training_missing",
    )


# --- The re-check's records and words (placements/services/eligibility.py) ---------------------------


def test_a_held_place_counts_only_what_ada_committed_to_elsewhere(ada, sam, harbor):
    ready_volunteer(ada, max_commitments=3)
    match = offered(ada, peer_line(harbor, capacity=3, hours_per_week=3), sam)
    MatchFactory.create(
        volunteer=ada, opportunity=peer_line(harbor, hours_per_week=4), status="active"
    )
    MatchFactory.create(
        volunteer=ada, opportunity=peer_line(harbor, hours_per_week=2), status="accepted"
    )
    MatchFactory.create(
        volunteer=ada, opportunity=peer_line(harbor, hours_per_week=8), status="offered"
    )
    MatchFactory.create(
        volunteer=new_volunteer("Cy"), opportunity=match.opportunity, status="active"
    )

    volunteer, role = placement_rules.pair_records(match, today=TODAY(), holding_place=True)

    assert (volunteer.active_commitments, volunteer.committed_hours) == (2, 6.0)
    assert role.capacity_left == 2  # 3 places, one taken by Cy; Ada's own does not count


def test_a_held_place_never_reports_fewer_than_zero_places(ada, bo, sam, harbor):
    role = peer_line(harbor, capacity=2)
    match = offered(ready_volunteer(ada), role, sam)
    MatchFactory.create(volunteer=ready_volunteer(bo), opportunity=role, status="active")
    MatchFactory.create(volunteer=new_volunteer("Cy"), opportunity=role, status="active")
    role.capacity = 1
    role.save()

    _, record = placement_rules.pair_records(match, today=TODAY(), holding_place=True)

    assert record.capacity_left == 0


def test_without_a_held_place_the_records_are_the_engines_own(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor, capacity=1), sam)

    volunteer, role = placement_rules.pair_records(match, today=TODAY(), holding_place=False)

    assert (volunteer.active_commitments, role.capacity_left) == (1, 0)


def test_a_refusal_names_every_broken_rule_in_order(ada):
    placement_rules.refuse_if_ineligible([])  # eligible: nothing raised
    codes = [eligibility.TOO_FAR, "a_future_rule"]

    with pytest.raises(ConflictError) as refused:
        placement_rules.refuse_if_ineligible(codes)

    text = reasons.INELIGIBILITY_TEXT[eligibility.TOO_FAR] + "; a_future_rule"
    assert refusal(refused) == (
        ConflictError,
        409,
        "not_eligible",
        placement_rules.NOT_ELIGIBLE.format(reasons=text),
    )
    assert refused.value.fields == {"reasons": codes}


def test_the_sweep_acts_on_every_rule_in_the_order_given():
    codes = [
        eligibility.TOO_FAR,
        eligibility.TRAINING_MISSING,
        eligibility.HOURS_EXCEEDED,
        eligibility.ROLE_NOT_OPEN,
        eligibility.BACKGROUND_CHECK_MISSING,
    ]
    assert placement_rules.sweep_codes(codes) == codes
    assert {code for code, _ in eligibility.RULES} <= placement_rules.SWEEP_CODES


def test_a_rejection_or_a_decline_without_a_note_records_an_empty_note(ada, bo, sam, harbor):
    rejected = suggestion(ready_volunteer(ada), peer_line(harbor))
    declined = offered(ready_volunteer(bo), peer_line(harbor, title="Other"), sam)

    transitions.match_reject(match_id=rejected.pk, actor=sam, reason="skills")
    transitions.match_decline(match_id=declined.pk, actor=bo.user)

    assert steps(rejected)[-1] == ("suggested", "rejected", sam.pk, "skills", "")
    assert steps(declined)[-1] == ("offered", "declined", bo.user.pk, "", "")


def test_nobody_withdraws_without_a_reason_not_even_the_system(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor), sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)

    for actor in (None, ada.user, sam):
        with pytest.raises(ApplicationError) as refused:
            transitions.match_withdraw(match_id=match.pk, actor=actor, reason="  ")
        assert refusal(refused) == (ApplicationError, 400, "invalid", reasons.REASON_REQUIRED)
        assert refused.value.fields == {"reason": [reasons.REASON_REQUIRED]}
    assert Match.objects.get(pk=match.pk).status == "active"


def test_accepting_locks_the_role_then_the_volunteer_then_the_match(ada, sam, harbor):
    """The documented lock order (placements/services/transitions.py): on accept the volunteer's
    row is read (FOR UPDATE where the database has row locks) between the role's and the match's,
    so two accepts by one volunteer are serialised and cannot deadlock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opportunities.models import Opportunity
    from volunteers.models import VolunteerProfile

    match = offered(ready_volunteer(ada), peer_line(harbor), sam)
    tables = {
        Match._meta.db_table: "match",
        Opportunity._meta.db_table: "role",
        VolunteerProfile._meta.db_table: "volunteer",
    }

    with CaptureQueriesContext(connection) as queries:
        transitions.match_accept(match_id=match.pk, actor=ada.user)

    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    first_from = [
        next((name for table, name in tables.items() if f'FROM "{table}"' in sql), None)
        for sql in reads[:4]
    ]
    assert first_from == ["match", "role", "volunteer", "match"]  # ids, then the three locks
    if connection.features.has_select_for_update:
        assert all("FOR UPDATE" in sql for sql in reads[1:4])


def test_a_held_place_never_counts_the_match_itself_among_the_commitments(ada, sam, harbor):
    match = offered(ready_volunteer(ada), peer_line(harbor, hours_per_week=3), sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)  # now active

    volunteer, _ = placement_rules.pair_records(match, today=TODAY(), holding_place=True)

    assert (volunteer.active_commitments, volunteer.committed_hours) == (0, 0.0)


def test_approving_without_a_note_records_an_empty_note(ada, sam, harbor):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    transitions.match_approve(match_id=match.pk, actor=sam)

    assert [step[4] for step in steps(match)] == ["", ""]


def test_an_offer_still_waiting_counts_against_adas_limit_when_the_next_is_approved(
    ada, sam, harbor
):
    """At approval the place is not yet held, so every offer Ada holds counts (the engine's own
    records); only at accept time do waiting offers stop counting."""
    ready_volunteer(ada, max_commitments=1)
    offered(ada, peer_line(harbor, title="First"), sam)
    second = suggestion(ada, peer_line(harbor, title="Second"))

    with pytest.raises(ConflictError) as refused:
        transitions.match_approve(match_id=second.pk, actor=sam)

    assert refused.value.fields == {"reasons": [eligibility.VOLUNTEER_UNAVAILABLE]}
    assert Match.objects.get(pk=second.pk).status == "suggested"


def test_every_move_leaves_an_audit_entry_naming_the_actor_the_match_and_its_row(ada, sam, harbor):
    from audit.models import AuditEntry

    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=match.pk, actor=sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)  # the role has started

    rows = list(MatchTransition.objects.filter(match=match).order_by("id"))
    entries = list(
        AuditEntry.objects.filter(event="match_transitioned")
        .order_by("id")
        .values_list("actor_id", "subject_id", "data")
    )
    assert entries == [
        (
            actor_id,
            str(match.pk),
            {
                "match_id": match.pk,
                "transition_id": row.pk,
                "from_status": row.from_status,
                "to_status": row.to_status,
            },
        )
        for actor_id, row in zip([sam.pk, sam.pk, ada.user.pk, None], rows, strict=True)
    ]


def test_a_move_writes_only_the_status_and_a_plain_service_never_locks_the_volunteer(
    ada, sam, harbor
):
    """Saves name their fields, so the engine's features are never rewritten; only accept takes
    the volunteer's row, and it takes Ada's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opportunities.models import Opportunity
    from volunteers.models import VolunteerProfile

    match = offered(ready_volunteer(ada), peer_line(harbor), sam)
    tables = {
        Match._meta.db_table: "match",
        Opportunity._meta.db_table: "role",
        VolunteerProfile._meta.db_table: "volunteer",
    }

    def first_reads(queries, n):
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        return [
            next((name for table, name in tables.items() if f'FROM "{table}"' in sql), None)
            for sql in reads[:n]
        ], reads

    with CaptureQueriesContext(connection) as accepting:
        transitions.match_accept(match_id=match.pk, actor=ada.user)
    with CaptureQueriesContext(connection) as withdrawing:
        transitions.match_withdraw(match_id=match.pk, actor=sam, reason="other")

    _, reads = first_reads(accepting, 4)
    assert f'"{VolunteerProfile._meta.db_table}"."id" = {ada.pk}' in reads[2]
    assert first_reads(withdrawing, 3)[0] == ["match", "role", "match"]
    updates = [
        q["sql"]
        for q in accepting.captured_queries + withdrawing.captured_queries
        if q["sql"].startswith(f'UPDATE "{Match._meta.db_table}"')
    ]
    assert len(updates) == 3  # accepted, active, withdrawn
    for sql in updates:
        assigned = sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        assert sorted(part.split(" = ")[0] for part in assigned.split(", ")) == [
            '"status"',
            '"updated_at"',
        ]
