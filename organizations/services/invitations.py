"""Membership by invitation: an organization's admin invites an email address, and the person
becomes a member only when they accept, signed in with that address.

Inviting answers the same whether or not the address has an account, so it tells nobody who uses
the service. Addresses are kept in lower case, so one pending invitation per address holds
whatever the capitals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from backend.events import emit
from organizations import membership
from organizations.events import InvitationAnswered, MemberAdded, MemberInvited
from organizations.models import Invitation, Membership, Organization
from organizations.services.organizations import EMAIL_NOT_VERIFIED_CODE

INVITATION_DAYS = 14

ONLY_ADMINS_INVITE_MESSAGE = gettext_noop("Only the organization's admins can invite members.")
ALREADY_MEMBER_MESSAGE = gettext_noop("This person is already a member of the organization.")
ALREADY_INVITED_MESSAGE = gettext_noop(
    "This address already has a pending invitation to the organization."
)
NOT_YOUR_INVITATION_MESSAGE = gettext_noop("No such invitation.")
INVITATION_EXPIRED_MESSAGE = gettext_noop(
    "This invitation has expired; ask the organization for a new one."
)
INVITATION_ANSWERED_MESSAGE = gettext_noop("This invitation was already {status}.")
EMAIL_NOT_VERIFIED_TO_ACCEPT_MESSAGE = gettext_noop(
    "Verify your email address before you accept: follow the link we emailed you, or ask for a "
    "new one (POST /api/v1/auth/email/verify/resend/)."
)


def _normalise(email: str) -> str:
    return email.strip().lower()


def _is_expired(invitation: Invitation, now: dt.datetime) -> bool:
    return invitation.expires_at <= now


def invitation_create(
    *, organization: Organization, actor: Any, email: str, role: str
) -> Invitation:
    """A pending invitation for ``email`` with ``role``, valid for ``INVITATION_DAYS`` days. A
    lapsed pending invitation to the same address is revoked and replaced."""
    if not membership.is_admin(actor, organization.pk):
        raise ForbiddenError(gettext(ONLY_ADMINS_INVITE_MESSAGE))
    email = _normalise(email)
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError(
            gettext(ALREADY_MEMBER_MESSAGE), fields={"email": [gettext(ALREADY_MEMBER_MESSAGE)]}
        )
    already = ApplicationError(
        gettext(ALREADY_INVITED_MESSAGE), fields={"email": [gettext(ALREADY_INVITED_MESSAGE)]}
    )
    now = timezone.now()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean(exclude=["organization", "invited_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            for lapsed in Invitation.objects.select_for_update().filter(
                organization=organization, email=email, status=Invitation.Status.PENDING
            ):
                if not _is_expired(lapsed, now):
                    raise already
                _answer(lapsed, Invitation.Status.REVOKED, actor=actor, now=now)
            invitation.save()
            emit(
                MemberInvited(
                    actor_id=actor.pk,
                    invitation_id=invitation.pk,
                    organization_id=organization.pk,
                    role=role,
                )
            )
    except IntegrityError:  # two admins inviting the same address at once: the constraint decides
        raise already from None
    return invitation


def _answer(invitation: Invitation, status: str, *, actor: Any, now: dt.datetime) -> None:
    invitation.status = status
    invitation.responded_at = now
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    emit(
        InvitationAnswered(
            actor_id=actor.pk,
            invitation_id=invitation.pk,
            organization_id=invitation.organization_id,
            status=status,
        )
    )


def _locked_pending(invitation: Invitation, now: dt.datetime) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError(gettext(INVITATION_ANSWERED_MESSAGE).format(status=invitation.status))
    if _is_expired(invitation, now):
        raise ConflictError(gettext(INVITATION_EXPIRED_MESSAGE))
    return invitation


def _refuse_unless_invitee(invitation: Invitation, user: Any) -> None:
    email = getattr(user, "email", "") or ""
    if not membership.signed_in(user) or _normalise(email) != invitation.email.lower():
        raise NotFoundError(gettext(NOT_YOUR_INVITATION_MESSAGE))


def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """The invitee joins with the invited role: the membership and the answer in one transaction.
    Only once they verified the address: whoever signs up with an invitee's address before them
    must not join the organization in their name."""
    _refuse_unless_invitee(invitation, user)
    if not getattr(user, "email_verified", False):
        raise ApplicationError(
            gettext(EMAIL_NOT_VERIFIED_TO_ACCEPT_MESSAGE), code=EMAIL_NOT_VERIFIED_CODE
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = _locked_pending(invitation, now)
        if Membership.objects.filter(
            organization_id=invitation.organization_id, user=user
        ).exists():
            raise ConflictError(gettext(ALREADY_MEMBER_MESSAGE))
        joined = Membership.objects.create(
            organization_id=invitation.organization_id, user=user, role=invitation.role
        )
        _answer(invitation, Invitation.Status.ACCEPTED, actor=user, now=now)
        emit(
            MemberAdded(
                actor_id=user.pk,
                organization_id=invitation.organization_id,
                user_id=user.pk,
                role=invitation.role,
            )
        )
    return joined


def invitation_decline(*, invitation: Invitation, user: Any) -> Invitation:
    _refuse_unless_invitee(invitation, user)
    now = timezone.now()
    with transaction.atomic():
        invitation = _locked_pending(invitation, now)
        _answer(invitation, Invitation.Status.DECLINED, actor=user, now=now)
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: Any) -> Invitation:
    """An admin takes back a pending invitation (an expired one too, to tidy the list)."""
    if not membership.is_admin(actor, invitation.organization_id):
        raise ForbiddenError(gettext(ONLY_ADMINS_INVITE_MESSAGE))
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ConflictError(
                gettext(INVITATION_ANSWERED_MESSAGE).format(status=invitation.status)
            )
        _answer(invitation, Invitation.Status.REVOKED, actor=actor, now=now)
    return invitation
