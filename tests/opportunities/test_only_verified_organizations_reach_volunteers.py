"""Finding 2 of issue 8: an unverified organization saw suggested volunteers (names, shared lived
experience) and could make offers; verification gated nothing, and volunteers could not see
whether an organization was verified.

Now an organization reaches nobody until platform staff verify it: it may draft roles but not
publish them, its roles are never matched, its members see no volunteer data, and every role a
volunteer sees says whether its organization is verified."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.models import Match, MatchStatus
from opportunities.models import Opportunity
from opportunities.services import (
    ORGANIZATION_NOT_VERIFIED_MESSAGE,
    opportunities_unpublish_for_unverified,
)
from organizations.models import Organization
from suggestions.services import rematch
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = pytest.mark.django_db

LISTENING = {
    "name": "Open Ear Collective",
    "contact_email": "hello@openear.example",
    "registration_number": "not checked by anyone",
}


@pytest.fixture
def nia():
    """Nia signed up a minute ago; nobody has checked who she is."""
    return UserFactory.create(email="nia@openear.example")


@pytest.fixture
def sharing_ada(ada):
    """Ada, ready for remote roles, who shares her lived experience with roles that value it."""
    return ready_volunteer(
        ada,
        lived_experience="I lived with panic attacks for ten years.",
        share_lived_experience=True,
    )


def _pending_organization_of(nia) -> Organization:
    response = client_for(nia).post("/api/v1/organizations/", LISTENING)
    assert response.status_code == 201, response.content
    return Organization.objects.get(pk=response.json()["id"])


def test_a_new_organization_drafts_a_role_but_cannot_publish_it(nia, ada_client):
    """Given Nia registered and created Open Ear (pending),
    when she drafts a role that values lived experience and tries to publish it,
    then the draft is kept, publishing answers 409 with a message saying why, and no volunteer
    can see the role."""
    organization = _pending_organization_of(nia)
    client = client_for(nia)
    draft = client.post(
        "/api/v1/opportunities/",
        {
            "organization": organization.id,
            "title": "Peer listener",
            "description": "Listen to people in crisis.",
            "mode": "remote",
            "lived_experience_valued": True,
        },
    )
    assert draft.status_code == 201, draft.content
    role_id = draft.json()["id"]

    published = client.post(f"/api/v1/opportunities/{role_id}/publish/")

    assert published.status_code == 409
    assert published.json()["error"]["message"] == ORGANIZATION_NOT_VERIFIED_MESSAGE
    assert Opportunity.objects.get(pk=role_id).status == Opportunity.Status.DRAFT
    assert ada_client.get(f"/api/v1/opportunities/{role_id}/").status_code == 404
    assert ada_client.get(f"/api/v1/organizations/{organization.id}/").status_code == 404


def test_a_pending_organizations_role_is_never_matched(nia, sharing_ada, bo):
    """Given a role of pending Open Ear that is published anyway (as it was before the gate),
    when the role and each volunteer are rematched,
    then nobody is suggested for it, and it is not in the public list."""
    organization = _pending_organization_of(nia)
    role = peer_line(organization, lived_experience_valued=True)
    ready_volunteer(bo)

    rematch.opportunity_rematch(opportunity_id=role.pk)
    rematch.volunteer_rematch(profile_id=sharing_ada.pk)
    rematch.volunteer_rematch(profile_id=bo.pk)

    assert not Match.objects.filter(opportunity=role).exists()
    listed = client_for(None).get("/api/v1/opportunities/").json()["results"]
    assert role.id not in [r["id"] for r in listed]


def test_a_pending_organizations_coordinator_sees_no_volunteer_and_makes_no_offer(nia, sharing_ada):
    """Given a suggestion of Ada for Open Ear's role (left from before the gate),
    when Nia opens the review queue, reads the match, or tries to approve (offer) it,
    then the queue is empty, the match is a 404, and it stays a suggestion."""
    organization = _pending_organization_of(nia)
    role = peer_line(organization, lived_experience_valued=True)
    match = suggestion(sharing_ada, role)
    client = client_for(nia)

    queue = client.get("/api/v1/matches/")
    detail = client.get(f"/api/v1/matches/{match.id}/")
    offer = client.post(f"/api/v1/matches/{match.id}/approve/")

    assert queue.status_code == 200
    assert queue.json()["results"] == []
    assert b"panic attacks" not in queue.content
    assert detail.status_code == 404
    assert offer.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    assert client.get("/api/v1/hours/").json()["results"] == []


def test_once_staff_verify_it_the_same_organization_publishes_and_is_matched(
    nia, sharing_ada, staff_client
):
    """Given Pat (staff) verifies Open Ear with its charity number and who confirmed it,
    when Nia publishes her role and it is rematched,
    then Ada is suggested and Nia sees her in the review queue."""
    organization = _pending_organization_of(nia)
    role = peer_line(organization, status=Opportunity.Status.DRAFT)
    verified = staff_client.post(
        f"/api/v1/organizations/{organization.id}/verification/",
        {
            "decision": "verified",
            "registration_number": "1180011",
            "contact": "Called the trustee named in the register",
        },
    )
    assert verified.status_code == 201, verified.content

    published = client_for(nia).post(f"/api/v1/opportunities/{role.id}/publish/")
    rematch.opportunity_rematch(opportunity_id=role.pk)

    assert published.status_code == 200, published.content
    queue = client_for(nia).get("/api/v1/matches/").json()["results"]
    assert [row["id"] for row in queue] == list(
        Match.objects.filter(opportunity=role).values_list("id", flat=True)
    )
    assert len(queue) == 1


def test_volunteers_see_whether_the_organization_of_every_role_is_verified(harbor, ada_client, sam):
    """Ada reads Harbor House's published role in the list and on its own page: both say its
    organization is verified; the organization's own page says so too."""
    role = peer_line(harbor)

    listed = ada_client.get("/api/v1/opportunities/").json()["results"]
    detail = ada_client.get(f"/api/v1/opportunities/{role.id}/").json()
    organization = ada_client.get(f"/api/v1/organizations/{harbor.id}/").json()

    assert [(r["id"], r["organization_verified"]) for r in listed] == [(role.id, True)]
    assert detail["organization_verified"] is True
    assert (organization["verified"], organization["verification_status"]) == (True, "verified")
    # The pending organization's own members see its draft marked as not verified.
    pending = Organization.objects.create(name="Quiet", contact_email="q@quiet.example")
    member = MembershipFactory.create(organization=pending, role="admin").user
    draft = peer_line(pending, status=Opportunity.Status.DRAFT)
    seen = client_for(member).get(f"/api/v1/opportunities/{draft.id}/").json()
    assert seen["organization_verified"] is False


def test_a_volunteers_own_offer_says_the_organization_is_verified(harbor, ada, ada_client, sam):
    """Ada's offer from Harbor House, as she reads it among her matches, carries the mark too."""
    from placements.services import transitions

    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=match.pk, actor=sam)

    mine = ada_client.get(f"/api/v1/volunteers/me/matches/{match.pk}/").json()

    assert mine["organization"]["verified"] is True


def test_refusing_a_verified_organization_withdraws_its_suggestions(
    harbor, sharing_ada, staff_client, django_capture_on_commit_callbacks
):
    """Given Ada is suggested for Harbor House's role, when Pat refuses Harbor (its charity number
    belongs to someone else) and the role's rematch runs, then the role is a draft again and
    Ada's suggestion is withdrawn as no longer eligible; Harbor's coordinators see nothing."""
    role = peer_line(harbor)
    rematch.opportunity_rematch(opportunity_id=role.pk)
    assert Match.objects.filter(opportunity=role, status=MatchStatus.SUGGESTED).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/api/v1/organizations/{harbor.id}/verification/",
            {"decision": "refused", "note": "The charity number belongs to another charity."},
        )
    rematch.opportunity_rematch(opportunity_id=role.pk)

    role.refresh_from_db()
    assert role.status == Opportunity.Status.DRAFT
    match = Match.objects.get(opportunity=role)
    assert match.status == MatchStatus.WITHDRAWN
    assert match.transitions.get().reason == "no_longer_eligible"


def test_the_unpublishing_is_idempotent_and_catches_a_missed_delivery(harbor):
    """A refusal whose after-commit delivery failed left a published role: calling the same
    service again (as a sweep may) takes it back to draft, and a second call changes nothing."""
    role = peer_line(harbor)
    Organization.objects.filter(pk=harbor.pk).update(
        verification_status="refused", updated_at=timezone.now()
    )

    assert opportunities_unpublish_for_unverified() == [role.id]
    assert opportunities_unpublish_for_unverified() == []
    role.refresh_from_db()
    assert role.status == Opportunity.Status.DRAFT
