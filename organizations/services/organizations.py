"""Creating an organization and changing its details (its admins; staff verify it in
``verification``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError
from backend.events import emit
from backend.places import place_from_postcode
from organizations.events import OrganizationCreated, OrganizationUpdated
from organizations.models import Membership, Organization

EMAIL_NOT_VERIFIED_CODE = "email_not_verified"
EMAIL_NOT_VERIFIED_MESSAGE = gettext_noop(
    "Verify your email address before you register an organization: follow the link we emailed "
    "you, or ask for a new one (POST /api/v1/auth/email/verify/resend/)."
)

#: Fields an organization's admins may change; its verification is decided by platform staff only
#: (``verification.organization_verification_decide``). The registration number is the evidence
#: they check, so the admins may give it.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "website",
        "contact_email",
        "address",
        "postcode",
        "latitude",
        "longitude",
        "registration_number",
    }
)


def organization_create(
    *,
    creator: Any,
    name: str,
    contact_email: str,
    description: str = "",
    website: str = "",
    address: str = "",
    postcode: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    registration_number: str = "",
) -> Organization:
    """Create an organization, ``pending`` until platform staff verify it; its creator becomes its
    first admin, in the same transaction. Creating one submits it for verification, so its creator
    must have verified their email address (issue 9): staff judge the evidence of a person who
    at least receives the address they signed up with."""
    if not getattr(creator, "email_verified", False):
        raise ApplicationError(gettext(EMAIL_NOT_VERIFIED_MESSAGE), code=EMAIL_NOT_VERIFIED_CODE)
    organization = Organization(
        registration_number=registration_number,
        name=name,
        contact_email=contact_email,
        description=description,
        website=website,
        address=address,
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
    )
    # An organization's place is optional: a postcode that does not resolve is kept as it is.
    place_from_postcode(
        organization, {"postcode"} if latitude is None and longitude is None else set()
    )
    organization.full_clean()
    with transaction.atomic():
        organization.save()
        Membership.objects.create(
            user=creator, organization=organization, role=Membership.Role.ADMIN
        )
        emit(OrganizationCreated(actor_id=creator.pk, organization_id=organization.pk))
    return organization


def organization_update(
    *, organization: Organization, data: dict[str, Any], actor: Any | None = None
) -> Organization:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for field, value in data.items():
        setattr(organization, field, value)
    place_from_postcode(organization, set(data))
    organization.full_clean()
    with transaction.atomic():
        organization.save()
        emit(
            OrganizationUpdated(
                actor_id=getattr(actor, "pk", None),
                organization_id=organization.pk,
                fields=tuple(sorted(data)),
            )
        )
    return organization
