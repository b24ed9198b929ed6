"""Finding 4 of issue 8, as regression tests: offers and commitments are re-checked whenever the
volunteer or the role changes and in the daily sweep, so nothing stale survives.

Before: after pausing, changing mode, moving away, reaching the commitment cap or a changed date of
birth, offers stayed ``offered`` (only accepting refused them); an active match stayed active after
the background check expired, and only the volunteer was reminded.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.engine import eligibility
from matching.models import Match, MatchTransition
from notifications.models import Notification
from placements.services import reasons, rechecks, sweep, transitions
from tests.factories import MatchFactory, TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import TODAY, peer_line, ready_volunteer, suggestion
from tests.support.dates import days_from_today
from volunteers.models import VolunteerProfile
from volunteers.services.profile_update import volunteer_profile_update
from volunteers.services.verification import background_check_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HOME = {"latitude": 40.75, "longitude": -73.99, "max_travel_km": 25}


def drop_in(harbor, **changes):
    """An in-person drop-in near Ada's home, already started, for adults."""
    return peer_line(harbor, title="Drop-in", mode="in_person", min_age=18, **changes)


def offer(volunteer, role, coordinator):
    return transitions.match_approve(match_id=suggestion(volunteer, role).pk, actor=coordinator)


def last_step(match):
    step = MatchTransition.objects.filter(match=match).order_by("id").last()
    assert step is not None
    return step.from_status, step.to_status, step.actor_id, step.reason, step.note


def told(match, kind):
    """Who was told, by email address, and the bodies they read."""
    rows = Notification.objects.filter(match=match, kind=kind).select_related("recipient")
    return {row.recipient.email for row in rows}, [row.body for row in rows]


def adult_near_home(ada, **changes):
    return ready_volunteer(ada, date_of_birth=days_from_today(-30 * 365), **HOME, **changes)


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        ({"paused": True}, eligibility.VOLUNTEER_UNAVAILABLE),
        ({"modes": ["remote", "phone"]}, eligibility.MODE_NOT_ACCEPTED),
        ({"postcode": "12207"}, eligibility.TOO_FAR),  # Albany, about 210 km north
        ({"latitude": 42.65, "longitude": -73.75}, eligibility.TOO_FAR),
    ],
    ids=["pausing", "changing mode", "moving by postcode", "moving by coordinates"],
)
def test_an_offer_is_withdrawn_with_its_reason_as_soon_as_the_volunteer_edits_their_profile(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks, edit, code
):
    """Given Ada was offered the drop-in, when she edits her profile so that she no longer fits it,
    then the offer is withdrawn by the system at once, naming the rule, and Ada, Sam and Alex are
    told why in words."""
    match = offer(adult_near_home(ada), drop_in(harbor), sam)

    with django_capture_on_commit_callbacks(execute=True):
        volunteer_profile_update(profile=ada, data=edit)

    assert Match.objects.get(pk=match.pk).status == "withdrawn"
    assert last_step(match) == ("offered", "withdrawn", None, "no_longer_eligible", code)
    recipients, bodies = told(match, Notification.Kind.MATCH_WITHDRAWN)
    assert recipients == {"ada@example.org", "sam@harbor.example", "alex@harbor.example"}
    assert all(reasons.INELIGIBILITY_TEXT[code] in body for body in bodies)


def test_accepting_one_role_withdraws_the_offer_the_commitment_leaves_no_room_for(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks
):
    """Given Ada allowed two commitments when two roles offered her a place, then lowered it to
    one (both offers still fit: an offer does not count against another), when she accepts the
    first, then the second offer is withdrawn at once and both sides hear."""
    adult_near_home(ada, max_commitments=2)
    first = offer(ada, peer_line(harbor, title="First"), sam)
    second = offer(ada, peer_line(harbor, title="Second"), sam)
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_profile_update(profile=ada, data={"max_commitments": 1})
    assert Match.objects.get(pk=second.pk).status == "offered"

    with django_capture_on_commit_callbacks(execute=True):
        transitions.match_accept(match_id=first.pk, actor=ada.user)

    assert Match.objects.get(pk=first.pk).status == "active"
    assert last_step(second) == (
        "offered",
        "withdrawn",
        None,
        "no_longer_eligible",
        eligibility.VOLUNTEER_UNAVAILABLE,
    )
    recipients, _ = told(second, Notification.Kind.MATCH_WITHDRAWN)
    assert recipients == {"ada@example.org", "sam@harbor.example", "alex@harbor.example"}


def test_a_changed_date_of_birth_withdraws_the_offer_in_the_daily_sweep(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks
):
    """Given Ada was offered an adults-only role, when her date of birth is corrected (no event
    announces a row changed this way) to make her 16, then the next sweep withdraws the offer as
    too young, and both sides hear."""
    match = offer(adult_near_home(ada), drop_in(harbor), sam)
    VolunteerProfile.objects.filter(pk=ada.pk).update(date_of_birth=days_from_today(-16 * 365))

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.matches_sweep(today=TODAY())

    assert result["withdrawn"] == 1
    assert last_step(match) == ("offered", "withdrawn", None, "no_longer_eligible", "too_young")
    recipients, _ = told(match, Notification.Kind.MATCH_WITHDRAWN)
    assert recipients == {"ada@example.org", "sam@harbor.example", "alex@harbor.example"}
    assert sweep.matches_sweep(today=TODAY())["withdrawn"] == 0  # safe to run twice


def test_a_suggestion_that_broke_a_rule_is_withdrawn_by_the_sweep_and_only_coordinators_hear(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks
):
    """Given Ada is suggested for the drop-in and paused without an event (a data fix), when the
    sweep runs, then the suggestion is withdrawn naming the rule; Sam and Alex hear, Ada (who never
    saw it) does not."""
    match = suggestion(adult_near_home(ada), drop_in(harbor))
    VolunteerProfile.objects.filter(pk=ada.pk).update(paused=True)

    with django_capture_on_commit_callbacks(execute=True):
        sweep.matches_sweep(today=TODAY())

    assert last_step(match)[1:] == (
        "withdrawn",
        None,
        "no_longer_eligible",
        "volunteer_unavailable",
    )
    recipients, _ = told(match, Notification.Kind.MATCH_WITHDRAWN)
    assert recipients == {"sam@harbor.example", "alex@harbor.example"}


# --- Active matches: on hold when a credential lapses, active again when renewed ----------------


def checked(ada, expires_in_days: int):
    return adult_near_home(
        ada,
        background_check_status="cleared",
        background_check_cleared_on=days_from_today(-300),
        background_check_expires_on=days_from_today(expires_in_days),
        background_check_verified_at=timezone.now(),  # verified by staff: it counts everywhere
    )


def active_match(volunteer, role, coordinator):
    match = offer(volunteer, role, coordinator)
    return transitions.match_accept(match_id=match.pk, actor=volunteer.user)


def test_an_active_match_goes_on_hold_when_the_check_expires_and_resumes_when_renewed(
    ada, harbor, sam, alex, staff, django_capture_on_commit_callbacks
):
    """Given Ada volunteers at a role that needs a background check, which expires in ten days,
    when the sweep runs the day after it expired, then the match is on hold (its place kept) and
    Ada, Sam and Alex are told; when staff record her renewed check, it is active again at once
    and they are told that too."""
    role = drop_in(harbor, background_check_required=True, capacity=1)
    match = active_match(checked(ada, 10), role, sam)
    assert match.status == "active"

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep.matches_sweep(today=days_from_today(10))["held"] == 0  # valid on the day
        result = sweep.matches_sweep(today=days_from_today(11))

    assert result["held"] == 1
    assert Match.objects.get(pk=match.pk).status == "on_hold"
    assert last_step(match) == (
        "active",
        "on_hold",
        None,
        reasons.SYSTEM_CREDENTIAL_LAPSED,
        "background_check_missing",
    )
    recipients, _ = told(match, Notification.Kind.MATCH_ON_HOLD)
    assert recipients == {"ada@example.org", "sam@harbor.example", "alex@harbor.example"}
    assert Match.objects.occupying().filter(opportunity=role).count() == 1  # the place is kept

    with django_capture_on_commit_callbacks(execute=True):
        background_check_record(
            profile=ada,
            verified_by=staff,
            status="cleared",
            cleared_on=TODAY(),
            expires_on=days_from_today(400),
        )

    assert Match.objects.get(pk=match.pk).status == "active"
    assert last_step(match) == ("on_hold", "active", None, reasons.SYSTEM_CREDENTIAL_RENEWED, "")
    recipients, _ = told(match, Notification.Kind.MATCH_RESUMED)
    assert recipients == {"ada@example.org", "sam@harbor.example", "alex@harbor.example"}


def test_a_lapsed_training_holds_an_active_match_and_the_sweep_resumes_it_once_renewed(
    ada, harbor, sam
):
    """Given the drop-in needs MHFA and Ada's expired yesterday (a row changed without an event),
    when the sweep runs, then her match is on hold; once the training is renewed, the next sweep
    makes it active again."""
    role = drop_in(harbor)
    role.required_trainings.add(training_type("mhfa"))
    record = TrainingRecordFactory.create(profile=adult_near_home(ada))
    match = active_match(ada, role, sam)
    type(record).objects.filter(pk=record.pk).update(expires_on=days_from_today(-1))

    assert sweep.matches_sweep(today=TODAY())["held"] == 1
    assert last_step(match)[1:] == ("on_hold", None, "credential_lapsed", "training_missing")
    type(record).objects.filter(pk=record.pk).update(expires_on=days_from_today(300))

    assert sweep.matches_sweep(today=TODAY())["resumed"] == 1
    assert Match.objects.get(pk=match.pk).status == "active"


def test_a_running_match_is_not_ended_by_a_profile_edit(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    """Given Ada volunteers at the drop-in, when she pauses and moves away, then the match stays
    active: people in a running role are not dropped by a profile edit; their coordinator
    decides."""
    match = active_match(adult_near_home(ada), drop_in(harbor), sam)

    with django_capture_on_commit_callbacks(execute=True):
        volunteer_profile_update(profile=ada, data={"paused": True, "postcode": "12207"})
        sweep.matches_sweep(today=TODAY())

    assert Match.objects.get(pk=match.pk).status == "active"


def test_an_accepted_match_not_yet_started_is_held_for_a_credential_and_withdrawn_otherwise(
    ada, bo, harbor, sam
):
    """Given Ada and Bo accepted a role starting next month that needs a check, when Ada's check
    turns out to lapse before the start (a corrected row), then her match goes on hold (it must not
    start) and the sweep does not start it; when Bo pauses, his is withdrawn (it must not start
    either)."""
    role = drop_in(
        harbor, background_check_required=True, starts_on=days_from_today(30), capacity=2
    )
    ada_match = active_match(checked(ada, 200), role, sam)
    bo_match = active_match(checked(bo, 200), role, sam)
    assert (ada_match.status, bo_match.status) == ("accepted", "accepted")

    VolunteerProfile.objects.filter(pk=ada.pk).update(
        background_check_expires_on=days_from_today(20)
    )
    VolunteerProfile.objects.filter(pk=bo.pk).update(paused=True)
    sweep.matches_sweep(today=TODAY())
    sweep.matches_sweep(today=days_from_today(30))

    assert Match.objects.get(pk=ada_match.pk).status == "on_hold"
    assert last_step(ada_match)[:2] == ("accepted", "on_hold")
    assert last_step(bo_match) == (
        "accepted",
        "withdrawn",
        None,
        "no_longer_eligible",
        "volunteer_unavailable",
    )


def test_a_coordinator_resumes_a_match_on_hold_only_once_the_credential_is_valid(
    ada, harbor, sam, sam_client
):
    """Given Ada's match is on hold because her check expired, when Sam tries to resume it, then
    he is refused with the reason; once the check is valid again (a row changed without an event,
    so the system has not resumed it yet), his resume makes it active."""
    role = drop_in(harbor, background_check_required=True)
    match = active_match(checked(ada, 10), role, sam)
    VolunteerProfile.objects.filter(pk=ada.pk).update(
        background_check_expires_on=days_from_today(-1)
    )
    assert rechecks.match_recheck(match_id=match.pk) is not None

    refused = sam_client.post(f"/api/v1/matches/{match.pk}/resume/", {}, format="json")
    VolunteerProfile.objects.filter(pk=ada.pk).update(
        background_check_expires_on=days_from_today(200)
    )
    resumed = sam_client.post(f"/api/v1/matches/{match.pk}/resume/", {}, format="json")

    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_eligible")
    assert refused.json()["error"]["fields"] == {"reasons": ["background_check_missing"]}
    assert (resumed.status_code, resumed.json()["status"]) == (200, "active")
    assert last_step(match) == ("on_hold", "active", sam.pk, "", "")


def test_either_side_can_still_end_a_match_on_hold(ada, bo, harbor, sam):
    role = drop_in(harbor, background_check_required=True, capacity=2)
    ada_match = active_match(checked(ada, 10), role, sam)
    bo_match = active_match(checked(bo, 10), role, sam)
    sweep.matches_sweep(today=days_from_today(11))

    transitions.match_complete(match_id=ada_match.pk, actor=sam)
    transitions.match_withdraw(match_id=bo_match.pk, actor=bo.user, reason="personal")

    assert Match.objects.get(pk=ada_match.pk).status == "completed"
    assert Match.objects.get(pk=bo_match.pk).status == "withdrawn"


def test_the_sweep_counts_an_offer_against_commitments_only_not_against_itself(ada, harbor):
    """Given Ada allows one commitment and holds two offers (an offer is not a commitment), when
    the sweep runs, then both offers stay; once she holds an active role elsewhere, both go."""
    adult_near_home(ada, max_commitments=1)
    offers = [
        MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor), status="offered")
        for _ in range(2)
    ]
    assert sweep.matches_sweep(today=TODAY())["withdrawn"] == 0

    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor), status="active")

    assert sweep.matches_sweep(today=TODAY())["withdrawn"] == 2
    assert {Match.objects.get(pk=m.pk).status for m in offers} == {"withdrawn"}


@pytest.mark.parametrize("by", ["edit", "sweep"])
def test_when_a_role_loses_a_place_the_latest_offer_gives_way(
    ada, bo, harbor, sam, by, django_capture_on_commit_callbacks
):
    """Given three offers on a three-place role (Ada's first, then Bo's, then Cy's), when Sam cuts
    it to two places (or the sweep finds it so), then only Cy's offer, the latest, is withdrawn:
    the earliest offers keep their places."""
    from opportunities.models import Opportunity
    from opportunities.services import opportunity_update
    from tests.placements.lifecycle_helpers import new_volunteer

    role = peer_line(harbor, capacity=3)
    first, second, third = (
        offer(ready_volunteer(person), role, sam) for person in (ada, bo, new_volunteer("Cy"))
    )

    if by == "edit":
        with django_capture_on_commit_callbacks(execute=True):
            opportunity_update(opportunity=role, data={"capacity": 2}, actor=sam)
    else:
        Opportunity.objects.filter(pk=role.pk).update(capacity=2)
        sweep.matches_sweep()

    statuses = [Match.objects.get(pk=m.pk).status for m in (first, second, third)]
    assert statuses == ["offered", "offered", "withdrawn"]


def test_the_sweep_takes_back_the_roles_of_an_organization_no_longer_verified(ada, harbor, sam):
    """Given Harbor's refusal whose delivery was lost (its role still published, Ada offered),
    when the daily sweep runs, then the role is back to draft and the offer withdrawn."""
    from opportunities.models import Opportunity
    from organizations.models import Organization

    role = peer_line(harbor)
    match = offer(ready_volunteer(ada), role, sam)
    Organization.objects.filter(pk=harbor.pk).update(verification_status="refused")

    result = sweep.matches_sweep()

    assert result["unpublished"] == 1
    assert Opportunity.objects.get(pk=role.pk).status == Opportunity.Status.DRAFT
    assert Match.objects.get(pk=match.pk).status == "withdrawn"
