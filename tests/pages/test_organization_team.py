"""Alex, admin of Harbor House, manages the team on its page: invites Lee, revokes an invitation,
makes Sam an admin and removes him, and is stopped from leaving Harbor without an admin. Lee
accepts on his invitations page. The services decide; their refusals are shown as they word them."""

from __future__ import annotations

import pytest

from organizations.models import Invitation, Membership
from organizations.services.invitations import (
    ALREADY_MEMBER_MESSAGE,
    invitation_create,
)
from organizations.services.members import LAST_ADMIN_MESSAGE
from tests.factories import UserFactory
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_alex_sees_the_team_and_invites_lee(alex, sam, harbor):
    browser = browser_for(alex)

    page = browser.get(f"/organizations/{harbor.pk}/team/").content.decode()
    response = browser.post(
        f"/organizations/{harbor.pk}/team/invite/", {"email": "Lee@Example.org", "role": "admin"}
    )

    assert "sam@harbor.example" in page
    assert response["Location"] == f"/organizations/{harbor.pk}/team/"
    invitation = Invitation.objects.get(organization=harbor)
    assert (invitation.email, invitation.role, invitation.status) == (
        "lee@example.org",
        "admin",
        "pending",
    )
    assert "lee@example.org" in browser.get(f"/organizations/{harbor.pk}/team/").content.decode()


def test_a_bad_or_taken_address_is_refused_on_its_field(alex, sam, harbor):
    browser = browser_for(alex)

    bad = browser.post(f"/organizations/{harbor.pk}/team/invite/", {"email": "not an address"})
    taken = browser.post(
        f"/organizations/{harbor.pk}/team/invite/", {"email": "sam@harbor.example"}
    )

    assert (bad.status_code, taken.status_code) == (400, 400)
    assert 'id="id_email_error"' in bad.content.decode()
    assert ALREADY_MEMBER_MESSAGE in taken.content.decode()
    assert not Invitation.objects.exists()


def test_alex_revokes_an_invitation(alex, harbor):
    invitation = invitation_create(
        organization=harbor, actor=alex, email="lee@example.org", role="coordinator"
    )

    response = browser_for(alex).post(f"/invitations/{invitation.pk}/revoke/")

    assert response["Location"] == f"/organizations/{harbor.pk}/team/"
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"


def test_alex_changes_roles_and_removes_a_member_but_harbor_keeps_an_admin(alex, sam, harbor):
    browser = browser_for(alex)
    alex_in = Membership.objects.get(user=alex)
    sam_in = Membership.objects.get(user=sam)

    browser.post(f"/members/{sam_in.pk}/role/", {"role": "admin"})
    promoted = Membership.objects.get(pk=sam_in.pk).role
    browser.post(f"/members/{sam_in.pk}/remove/")
    demoting = browser.post(f"/members/{alex_in.pk}/role/", {"role": "coordinator"}, follow=True)
    leaving = browser.post(f"/members/{alex_in.pk}/remove/", follow=True)

    assert promoted == "admin"
    assert not Membership.objects.filter(pk=sam_in.pk).exists()
    assert LAST_ADMIN_MESSAGE in demoting.content.decode()
    assert LAST_ADMIN_MESSAGE in leaving.content.decode()
    assert Membership.objects.get(pk=alex_in.pk).role == "admin"


def test_lee_accepts_one_invitation_and_declines_another(alex, harbor, rita, riverside):
    lee = UserFactory.create(email="lee@example.org")
    harbors = invitation_create(
        organization=harbor, actor=alex, email="lee@example.org", role="coordinator"
    )
    rita_admin = Membership.objects.get(user=rita)
    rita_admin.role = "admin"
    rita_admin.save()
    riversides = invitation_create(
        organization=riverside, actor=rita, email="lee@example.org", role="coordinator"
    )
    browser = browser_for(lee)

    page = browser.get("/me/invitations/").content.decode()
    joined = browser.post(f"/me/invitations/{harbors.pk}/accept/")
    browser.post(f"/me/invitations/{riversides.pk}/decline/")

    assert "Harbor House" in page
    assert "Riverside Helpline" in page
    assert joined["Location"] == f"/organizations/{harbor.pk}/"
    assert Membership.objects.get(user=lee).organization == harbor
    assert Invitation.objects.get(pk=riversides.pk).status == "declined"


def test_an_unverified_address_cannot_accept_and_is_told_why(alex, harbor):
    lee = UserFactory.create(email="lee@example.org", email_verified_at=None)
    invitation = invitation_create(
        organization=harbor, actor=alex, email="lee@example.org", role="coordinator"
    )

    response = browser_for(lee).post(f"/me/invitations/{invitation.pk}/accept/", follow=True)

    assert "message-error" in response.content.decode()
    assert not Membership.objects.filter(user=lee).exists()


def test_nobody_but_the_invitee_answers_an_invitation(alex, harbor, bo):
    invitation = invitation_create(
        organization=harbor, actor=alex, email="lee@example.org", role="coordinator"
    )
    browser = browser_for(bo.user)

    answers = [
        browser.post(f"/me/invitations/{invitation.pk}/accept/"),
        browser.post(f"/me/invitations/{invitation.pk}/decline/"),
    ]

    assert {a.status_code for a in answers} == {404}
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("sam the coordinator", 403), ("rita of another organization", 404)],
)
def test_only_harbors_admins_manage_its_team(who, expected, alex, sam, rita, harbor):
    people = {"anonymous": None, "sam the coordinator": sam, "rita of another organization": rita}
    browser = browser_for(people[who])

    answers = [
        browser.get(f"/organizations/{harbor.pk}/team/"),
        browser.post(f"/organizations/{harbor.pk}/team/invite/", {"email": "x@example.org"}),
    ]

    assert {a.status_code for a in answers} == {expected}
    assert not Invitation.objects.exists()


def test_members_of_other_organizations_find_no_membership_or_invitation(alex, sam, rita, harbor):
    invitation = invitation_create(
        organization=harbor, actor=alex, email="lee@example.org", role="coordinator"
    )
    sam_in = Membership.objects.get(user=sam)
    browser = browser_for(rita)

    answers = [
        browser.post(f"/invitations/{invitation.pk}/revoke/"),
        browser.post(f"/members/{sam_in.pk}/role/", {"role": "admin"}),
        browser.post(f"/members/{sam_in.pk}/remove/"),
    ]

    assert {a.status_code for a in answers} == {404}
    assert Membership.objects.get(pk=sam_in.pk).role == "coordinator"
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
