"""The email that tells someone an organization invited them. The invitee may have no account yet,
so the email goes to the invitation's address, not to a notification row; it says how to accept,
and that nothing happens unless they do."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from organizations.models import Invitation

INVITATION_TITLE = "{organization} invites you to Kindred Match"
INVITATION_BODY = (
    "Hello,\n\n{organization} invites you to join its team on Kindred Match as {role}.\n"
    "To accept, sign in (or sign up) with this email address and open your invitations at\n"
    "{link}\n"
    "You can also decline there. You join only if you accept. The invitation expires on {date}.\n\n"
    "If you did not expect this, ignore this email: nothing changes.\n"
)


def invitation_email_send(*, invitation_id: int) -> bool:
    """Email a pending, unexpired invitation to its address; False when there is nothing to send."""
    invitation = Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
    if (
        invitation is None
        or invitation.status != Invitation.Status.PENDING
        or invitation.expires_at <= timezone.now()
    ):
        return False
    values = {
        "organization": invitation.organization.name,
        "role": invitation.get_role_display().lower(),
        "date": timezone.localdate(invitation.expires_at).isoformat(),
        "link": f"{settings.PUBLIC_BASE_URL}{reverse('pages:invitations')}",
    }
    EmailMessage(
        subject=INVITATION_TITLE.format(**values),
        body=INVITATION_BODY.format(**values),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    ).send()
    return True
