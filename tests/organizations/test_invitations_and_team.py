"""Finding 9 of issue 8: an organization's admin could add any existing user as a member (even as
admin) without their consent. Now membership needs the invited person's acceptance, and the team
changes only through its services: an admin changes roles and removes members, a member may
leave, and the last admin can neither leave, be removed nor be demoted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from organizations.models import Invitation, Membership
from organizations.services.invitations import (
    ALREADY_INVITED_MESSAGE,
    ALREADY_MEMBER_MESSAGE,
    EMAIL_NOT_VERIFIED_TO_ACCEPT_MESSAGE,
    INVITATION_ANSWERED_MESSAGE,
    INVITATION_DAYS,
    INVITATION_EXPIRED_MESSAGE,
    ONLY_ADMINS_INVITE_MESSAGE,
)
from organizations.services.members import LAST_ADMIN_MESSAGE, ONLY_ADMINS_REMOVE_MESSAGE
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim():
    """Kim has an account but never asked to join anything."""
    return UserFactory.create(email="kim@example.org")


def invite(client, organization, email="kim@example.org", role="coordinator"):
    return client.post(
        f"/api/v1/organizations/{organization.id}/invitations/", {"email": email, "role": role}
    )


def error_of(response) -> str:
    return response.json()["error"]["message"]


def test_an_admin_cannot_make_someone_a_member_without_their_consent(harbor, alex_client, kim):
    """Given Kim, who has an account, when Alex (Harbor's admin) invites her as an admin,
    then she is not a member (neither the member list nor her own organizations show Harbor)
    until she accepts; the invitation is pending for 14 days and the audit log holds ids only."""
    response = invite(alex_client, harbor, email="KIM@example.org", role="admin")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == ("kim@example.org", "admin", "pending")
    assert not Membership.objects.filter(user=kim).exists()
    mine = client_for(kim).get("/api/v1/organizations/?mine=true").json()["results"]
    assert mine == []
    invitation = Invitation.objects.get()
    expected = timezone.now() + dt.timedelta(days=INVITATION_DAYS)
    assert abs(invitation.expires_at - expected) < dt.timedelta(minutes=1)
    entry = AuditEntry.objects.get(event="member_invited")
    assert "kim@example.org" not in str(entry.data)


def test_the_invitee_sees_and_accepts_and_only_then_joins(harbor, alex_client, kim):
    """Given Alex invited Kim as a coordinator, when Kim lists her invitations and accepts,
    then she is a coordinator of Harbor House, the invitation is accepted, and a MemberAdded
    event names her as the actor."""
    invitation_id = invite(alex_client, harbor).json()["id"]
    kim_client = client_for(kim)

    pending = kim_client.get("/api/v1/invitations/").json()["results"]
    accepted = kim_client.post(f"/api/v1/invitations/{invitation_id}/accept/")

    assert [(i["id"], i["organization_name"]) for i in pending] == [(invitation_id, "Harbor House")]
    assert accepted.status_code == 201, accepted.content
    assert Membership.objects.get(user=kim, organization=harbor).role == "coordinator"
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
    entry = AuditEntry.objects.get(event="member_added")
    assert (entry.actor, entry.data["user_id"]) == (kim, kim.id)
    assert kim_client.get("/api/v1/invitations/").json()["results"] == []
    again = kim_client.post(f"/api/v1/invitations/{invitation_id}/accept/")
    assert again.status_code == 409
    assert error_of(again) == INVITATION_ANSWERED_MESSAGE.format(status="accepted")


def test_whoever_signed_up_with_the_invitees_address_cannot_accept_before_verifying_it(
    harbor, alex_client
):
    """Given Alex invited kim@example.org and someone else signed up with that address (they
    cannot follow the link emailed to it), when they accept, then 400 email_not_verified and
    nobody joins (docs/safety.md)."""
    invitation_id = invite(alex_client, harbor).json()["id"]
    impostor = UserFactory.create(email="kim@example.org", email_verified_at=None)

    response = client_for(impostor).post(f"/api/v1/invitations/{invitation_id}/accept/")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "email_not_verified"
    assert error_of(response) == EMAIL_NOT_VERIFIED_TO_ACCEPT_MESSAGE
    assert not Membership.objects.filter(user=impostor).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_someone_else_cannot_accept_or_decline_an_invitation(harbor, alex_client, kim, ada):
    """Ada (an outsider) and even Alex, who sent it, get a 404 for Kim's invitation; it stays
    pending and nobody joined."""
    invitation_id = invite(alex_client, harbor).json()["id"]

    for client in (client_for(ada.user), alex_client):
        assert client.post(f"/api/v1/invitations/{invitation_id}/accept/").status_code == 404
        assert client.post(f"/api/v1/invitations/{invitation_id}/decline/").status_code == 404
    assert client_for(None).post(f"/api/v1/invitations/{invitation_id}/accept/").status_code == 401
    assert client_for(ada.user).get("/api/v1/invitations/").json()["results"] == []
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=ada.user).exists()


def test_declining_leaves_no_membership(harbor, alex_client, kim):
    invitation_id = invite(alex_client, harbor).json()["id"]

    declined = client_for(kim).post(f"/api/v1/invitations/{invitation_id}/decline/")

    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert not Membership.objects.filter(user=kim).exists()


def test_an_expired_invitation_cannot_be_accepted_and_a_new_one_replaces_it(
    harbor, alex_client, kim
):
    """Given Kim's invitation lapsed yesterday, when she accepts it, then 409 and no membership;
    it is no longer in her list, and Alex may invite her again (the lapsed one is revoked)."""
    invitation_id = invite(alex_client, harbor).json()["id"]
    Invitation.objects.filter(pk=invitation_id).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )

    answer = client_for(kim).post(f"/api/v1/invitations/{invitation_id}/accept/")

    assert answer.status_code == 409
    assert error_of(answer) == INVITATION_EXPIRED_MESSAGE
    assert not Membership.objects.filter(user=kim).exists()
    assert client_for(kim).get("/api/v1/invitations/").json()["results"] == []
    again = invite(alex_client, harbor)
    assert again.status_code == 201, again.content
    assert Invitation.objects.get(pk=invitation_id).status == Invitation.Status.REVOKED


@pytest.mark.parametrize(
    ("email", "field_message"),
    [("sam@harbor.example", ALREADY_MEMBER_MESSAGE), ("kim@example.org", ALREADY_INVITED_MESSAGE)],
)
def test_inviting_a_member_or_inviting_twice_is_refused(
    harbor, alex_client, sam, kim, email, field_message
):
    invite(alex_client, harbor)
    before = Invitation.objects.count()

    response = invite(alex_client, harbor, email=email.upper())

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"email": [field_message]}
    assert Invitation.objects.count() == before


def test_inviting_an_address_with_no_account_answers_the_same(harbor, alex_client):
    """The answer does not tell whether anyone uses the address."""
    response = invite(alex_client, harbor, email="nobody-yet@example.org")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"


def test_only_admins_invite_list_and_revoke(harbor, alex_client, sam_client, rita_client, kim):
    """Sam (coordinator) gets 403, Rita (outsider) 404; Alex revokes, after which Kim cannot
    accept."""
    invitation_id = invite(alex_client, harbor).json()["id"]
    url = f"/api/v1/organizations/{harbor.id}/invitations/"

    assert invite(sam_client, harbor, email="lee@example.org").status_code == 403
    assert error_of(sam_client.get(url)) == ONLY_ADMINS_INVITE_MESSAGE
    assert rita_client.get(url).status_code == 404
    assert rita_client.post(f"{url}{invitation_id}/revoke/").status_code == 404
    assert sam_client.post(f"{url}{invitation_id}/revoke/").status_code == 403
    assert [i["id"] for i in alex_client.get(url).json()["results"]] == [invitation_id]

    revoked = alex_client.post(f"{url}{invitation_id}/revoke/")

    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert client_for(kim).post(f"/api/v1/invitations/{invitation_id}/accept/").status_code == 409
    assert alex_client.post(f"{url}{invitation_id}/revoke/").status_code == 409


def test_an_admin_changes_a_role_and_removes_a_member_a_coordinator_may_only_leave(
    harbor, alex, alex_client, sam, sam_client, kim
):
    sam_membership = Membership.objects.get(user=sam)
    alex_membership = Membership.objects.get(user=alex)
    members = f"/api/v1/organizations/{harbor.id}/members/"

    refused = sam_client.patch(f"{members}{alex_membership.id}/", {"role": "coordinator"})
    promoted = alex_client.patch(f"{members}{sam_membership.id}/", {"role": "admin"})
    demoted = alex_client.patch(f"{members}{sam_membership.id}/", {"role": "coordinator"})
    bad_role = alex_client.patch(f"{members}{sam_membership.id}/", {"role": "owner"})

    assert refused.status_code == 403
    assert (promoted.status_code, promoted.json()["role"]) == (200, "admin")
    assert (demoted.status_code, demoted.json()["role"]) == (200, "coordinator")
    assert bad_role.status_code == 400
    assert sam_client.delete(f"{members}{alex_membership.id}/").status_code == 403
    assert error_of(sam_client.delete(f"{members}{alex_membership.id}/")) == (
        ONLY_ADMINS_REMOVE_MESSAGE
    )
    assert client_for(kim).delete(f"{members}{sam_membership.id}/").status_code == 404

    left = sam_client.delete(f"{members}{sam_membership.id}/")

    assert left.status_code == 204
    assert not Membership.objects.filter(user=sam).exists()
    events = list(AuditEntry.objects.values_list("event", flat=True).order_by("id"))
    assert events[-3:] == ["member_role_changed", "member_role_changed", "member_removed"]
    assert AuditEntry.objects.filter(event="member_removed").get().data["left"] is True


def test_the_last_admin_can_neither_leave_be_removed_nor_be_demoted(
    harbor, alex, alex_client, sam, sam_client
):
    """Alex is Harbor's only admin: leaving, demoting himself is a 409 saying why; once Sam is
    an admin too, Alex may leave."""
    alex_membership = Membership.objects.get(user=alex)
    members = f"/api/v1/organizations/{harbor.id}/members/"

    leave = alex_client.delete(f"{members}{alex_membership.id}/")
    demote = alex_client.patch(f"{members}{alex_membership.id}/", {"role": "coordinator"})

    assert (leave.status_code, error_of(leave)) == (409, LAST_ADMIN_MESSAGE)
    assert (demote.status_code, error_of(demote)) == (409, LAST_ADMIN_MESSAGE)
    assert Membership.objects.get(user=alex).role == "admin"

    sam_membership = Membership.objects.get(user=sam)
    alex_client.patch(f"{members}{sam_membership.id}/", {"role": "admin"})
    # Sam, now an admin, removes Alex; and then Sam is the last admin in turn.
    assert sam_client.delete(f"{members}{alex_membership.id}/").status_code == 204
    last = sam_client.delete(f"{members}{sam_membership.id}/")
    assert (last.status_code, error_of(last)) == (409, LAST_ADMIN_MESSAGE)


@pytest.fixture
def tight_member_add_rate(monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"member_add": "2/minute"})
    cache.clear()
    yield
    cache.clear()


def test_inviting_address_after_address_is_throttled_but_reading_is_not(
    alex_client, harbor, tight_member_add_rate
):
    """The third invitation within a minute is refused with 429 (the member_add scope that
    bounded the old direct add); listing invitations stays open."""
    answers = [invite(alex_client, harbor, email=f"guess{n}@example.org") for n in range(3)]
    url = f"/api/v1/organizations/{harbor.id}/invitations/"

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert [alex_client.get(url).status_code for _ in range(3)] == [200, 200, 200]
