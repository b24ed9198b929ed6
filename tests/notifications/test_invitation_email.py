"""An invitation reaches the invitee by email, whether or not they have an account yet; a revoked or
expired one is not sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.services.invitation_notices import INVITATION_TITLE, invitation_email_send
from organizations.models import Invitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_a_newcomer_invited_by_harbor_gets_an_email_saying_how_to_accept(
    harbor, alex_client, django_capture_on_commit_callbacks
):
    """Given Alex, Harbor's admin, when he invites kim@example.org (no account yet), then Kim gets
    one email naming Harbor House, the role, the expiry, and that she joins only if she accepts."""
    with django_capture_on_commit_callbacks(execute=True):
        response = alex_client.post(
            f"/api/v1/organizations/{harbor.id}/invitations/",
            {"email": "kim@example.org", "role": "coordinator"},
        )

    assert response.status_code == 201
    assert [message.to for message in mail.outbox] == [["kim@example.org"]]
    message = mail.outbox[0]
    assert message.subject == INVITATION_TITLE.format(organization="Harbor House")
    assert "as coordinator" in message.body
    assert "You join only if you accept" in message.body
    assert f"{settings.PUBLIC_BASE_URL}/me/invitations/" in message.body


def test_a_revoked_or_expired_invitation_is_not_emailed(harbor, alex):
    now = timezone.now()
    revoked = Invitation.objects.create(
        organization=harbor,
        email="lee@example.org",
        invited_by=alex,
        status=Invitation.Status.REVOKED,
        expires_at=now + dt.timedelta(days=14),
    )
    expired = Invitation.objects.create(
        organization=harbor, email="mo@example.org", invited_by=alex, expires_at=now
    )

    assert invitation_email_send(invitation_id=revoked.pk) is False
    assert invitation_email_send(invitation_id=expired.pk) is False
    assert mail.outbox == []
