"""Finding 8: a volunteer who is also a coordinator approved their own match. A coordinator acts
on a match in which they are the volunteer only as the volunteer: never approve, reject, start,
withdraw as the organization, verify its hours or rate it as the organization."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.errors import ApplicationError, ForbiddenError
from engagement import services as engagement
from matching.models import Match, MatchStatus
from placements import permissions
from placements.services import transitions
from tests.conftest import client_for
from tests.factories import VolunteerProfileFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def sam_as_volunteer(sam):
    """Sam coordinates at Harbor House and also volunteers, with a profile of his own."""
    return ready_volunteer(VolunteerProfileFactory.create(user=sam, display_name="Sam"))


@pytest.fixture
def sams_suggestion(sam_as_volunteer, harbor) -> Match:
    return suggestion(sam_as_volunteer, peer_line(harbor))


def test_sam_cannot_approve_his_own_match_and_alex_can(sam, alex, sams_suggestion):
    """Given Sam, a Harbor House coordinator, suggested as a volunteer for Harbor's peer line, when
    he approves his own suggestion he is refused (403) and it stays suggested; when Alex, Harbor's
    admin, approves it, it is offered."""
    url = f"/api/v1/matches/{sams_suggestion.pk}/approve/"

    by_sam = client_for(sam).post(url, {}, format="json")

    assert by_sam.status_code == 403
    assert by_sam.json()["error"]["message"] == transitions.NOT_A_COORDINATOR
    assert Match.objects.get(pk=sams_suggestion.pk).status == MatchStatus.SUGGESTED

    by_alex = client_for(alex).post(url, {}, format="json")

    assert by_alex.status_code == 200, by_alex.content
    assert Match.objects.get(pk=sams_suggestion.pk).status == MatchStatus.OFFERED


def test_sam_cannot_reject_or_bulk_approve_his_own_match(sam, sams_suggestion):
    """Given Sam's own suggestion, rejecting it or approving it in bulk is refused too."""
    reject = client_for(sam).post(
        f"/api/v1/matches/{sams_suggestion.pk}/reject/", {"reason": "not_a_fit"}, format="json"
    )
    bulk = client_for(sam).post(
        "/api/v1/matches/bulk/",
        {"action": "approve", "ids": [sams_suggestion.pk]},
        format="json",
    )

    assert reject.status_code == 403
    assert bulk.json()["results"][0]["status"] == 403
    assert Match.objects.get(pk=sams_suggestion.pk).status == MatchStatus.SUGGESTED


def test_sam_acts_on_his_own_active_match_only_as_its_volunteer(sam, alex, sams_suggestion):
    """Given Sam's match approved by Alex and accepted by Sam, Sam may not verify his own hours nor
    start or withdraw it as the organization; he still withdraws as a volunteer would."""
    transitions.match_approve(match_id=sams_suggestion.pk, actor=alex)
    match = transitions.match_accept(match_id=sams_suggestion.pk, actor=sam)
    assert match.status == MatchStatus.ACTIVE
    assert permissions.can_review(sam, match) is False
    assert permissions.is_match_volunteer(sam, match) is True
    assert permissions.can_review(alex, match) is True

    log = engagement.hours_log_add(
        match_id=match.pk, actor=sam, date=timezone.localdate(), hours=Decimal(1)
    )
    with pytest.raises(ApplicationError) as refused:
        engagement.hours_log_verify(log_id=log.pk, actor=sam)
    assert refused.value.status_code == 403
    assert engagement.hours_log_verify(log_id=log.pk, actor=alex).verified_by == alex

    # As the organization, a coordinator's reason would do; as the volunteer it is refused.
    with pytest.raises(ApplicationError):
        transitions.match_withdraw(match_id=match.pk, actor=sam, reason="capacity")
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACTIVE


def test_sam_rates_his_own_completed_match_only_as_the_volunteer(sam, alex, sams_suggestion):
    """Given Sam's completed match, his rating is the volunteer's, and Alex rates as Harbor."""
    transitions.match_approve(match_id=sams_suggestion.pk, actor=alex)
    transitions.match_accept(match_id=sams_suggestion.pk, actor=sam)
    transitions.match_complete(match_id=sams_suggestion.pk, actor=alex)

    by_sam = engagement.rating_leave(match_id=sams_suggestion.pk, actor=sam, score=5)
    by_alex = engagement.rating_leave(match_id=sams_suggestion.pk, actor=alex, score=4)

    assert (by_sam.side, by_alex.side) == ("volunteer", "organization")


def test_sam_cannot_start_his_own_accepted_match_early(sam, alex, harbor):
    """Given Sam's match accepted before the role starts, Sam cannot start it early himself; Alex
    can."""
    volunteer = ready_volunteer(VolunteerProfileFactory.create(user=sam, display_name="Sam"))
    next_week = timezone.localdate() + dt.timedelta(days=7)
    later = peer_line(harbor, title="Spring drop-in", starts_on=next_week)
    match = suggestion(volunteer, later)
    transitions.match_approve(match_id=match.pk, actor=alex)
    transitions.match_accept(match_id=match.pk, actor=sam)

    with pytest.raises(ForbiddenError):
        transitions.match_activate(match_id=match.pk, actor=sam)
    assert transitions.match_activate(match_id=match.pk, actor=alex).status == MatchStatus.ACTIVE
