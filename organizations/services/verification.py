"""Platform staff verify or refuse an organization, with the evidence they checked.

A new organization is ``pending``. Until it is verified it may draft roles but not publish them,
its roles are never matched and its members see no volunteer data (opportunities' publish gate,
the suggestions' candidates, ``matching.selectors``). Each decision is a new
``OrganizationVerification`` row (never edited) and an audit entry through the event. Refusing an
organization that was verified (a revocation) takes its published roles back to draft: the
opportunities app does it through its own service when it hears the event, so the rematch and the
sweep withdraw their open suggestions and offers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ConflictError, ForbiddenError
from backend.events import emit
from organizations.events import OrganizationVerificationChanged
from organizations.models import Organization, OrganizationVerification, VerificationStatus

ONLY_STAFF_VERIFY_MESSAGE = gettext_noop(
    "Only platform staff can verify or refuse an organization."
)
UNKNOWN_DECISION_MESSAGE = gettext_noop('Choose "verified" or "refused".')
REGISTRATION_NUMBER_REQUIRED_MESSAGE = gettext_noop(
    "Give the registered charity or EIN number you checked before verifying."
)
CONTACT_REQUIRED_MESSAGE = gettext_noop(
    "Say who confirmed the organization, and how, before verifying."
)
NOTE_REQUIRED_MESSAGE = gettext_noop("Say why the organization is refused.")
ALREADY_DECIDED_MESSAGE = gettext_noop("This organization is already {status}.")

#: What the Django admin's actions record (they use the organization's own details as evidence).
ADMIN_VERIFIED_NOTE = "verified in the admin"
ADMIN_REFUSED_NOTE = "refused in the admin"


def _clean(value: str | None) -> str:
    return (value or "").strip()


def organization_verification_decide(
    *,
    organization: Organization,
    actor: Any,
    decision: str,
    registration_number: str = "",
    website: str = "",
    contact: str = "",
    note: str = "",
) -> OrganizationVerification:
    """Record staff's decision on ``organization`` and set its status.

    ``verified`` needs the registration number checked (the organization's own one when none is
    given) and who confirmed it; ``refused`` needs a note. Deciding what is already decided is a
    conflict (409): a decision changes something, or it is not recorded.
    """
    if not getattr(actor, "is_staff", False) or not getattr(actor, "is_active", False):
        raise ForbiddenError(gettext(ONLY_STAFF_VERIFY_MESSAGE))
    if decision not in OrganizationVerification.Decision.values:
        raise ApplicationError(
            gettext(UNKNOWN_DECISION_MESSAGE),
            fields={"decision": [gettext(UNKNOWN_DECISION_MESSAGE)]},
        )
    registration_number, website = _clean(registration_number), _clean(website)
    contact, note = _clean(contact), _clean(note)

    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        verified = decision == OrganizationVerification.Decision.VERIFIED
        if verified:
            registration_number = registration_number or organization.registration_number.strip()
            website = website or organization.website
            problems: dict[str, list[str]] = {}
            if not registration_number:
                problems["registration_number"] = [gettext(REGISTRATION_NUMBER_REQUIRED_MESSAGE)]
            if not contact:
                problems["contact"] = [gettext(CONTACT_REQUIRED_MESSAGE)]
            if problems:
                raise ApplicationError(next(iter(problems.values()))[0], fields=problems)
        elif not note:
            raise ApplicationError(
                gettext(NOTE_REQUIRED_MESSAGE), fields={"note": [gettext(NOTE_REQUIRED_MESSAGE)]}
            )
        previous = organization.verification_status
        if previous == decision:
            raise ConflictError(gettext(ALREADY_DECIDED_MESSAGE).format(status=decision))

        record = OrganizationVerification(
            organization=organization,
            decision=decision,
            decided_by=actor,
            registration_number=registration_number,
            website=website,
            contact=contact,
            note=note,
        )
        record.full_clean(exclude=["organization", "decided_by"])
        record.save()
        organization.verification_status = decision
        # Who verified the organization as it stands now; a refusal's author is in its record.
        organization.verified_by = actor if verified else None
        organization.verified_at = timezone.now() if verified else None
        if verified and not organization.registration_number:
            organization.registration_number = registration_number
        organization.save(
            update_fields=[
                "verification_status",
                "verified_by",
                "verified_at",
                "registration_number",
                "updated_at",
            ]
        )
        emit(
            OrganizationVerificationChanged(
                actor_id=actor.pk,
                organization_id=organization.pk,
                verified=verified,
                status=decision,
                previous_status=previous,
                verification_id=record.pk,
            )
        )
    return record


def organization_verify_from_admin(*, organization: Organization, actor: Any) -> None:
    """The admin action: the organization's own registration number, website and contact email
    are the evidence."""
    organization_verification_decide(
        organization=organization,
        actor=actor,
        decision=VerificationStatus.VERIFIED,
        registration_number=organization.registration_number,
        website=organization.website,
        contact=organization.contact_email,
        note=ADMIN_VERIFIED_NOTE,
    )


def organization_refuse_from_admin(*, organization: Organization, actor: Any) -> None:
    organization_verification_decide(
        organization=organization,
        actor=actor,
        decision=VerificationStatus.REFUSED,
        note=ADMIN_REFUSED_NOTE,
    )
