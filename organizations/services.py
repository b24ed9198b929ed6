"""Writes for organizations and their members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from backend.errors import ApplicationError
from backend.events import emit
from backend.places import place_from_postcode
from organizations.events import (
    MemberAdded,
    OrganizationCreated,
    OrganizationUpdated,
    OrganizationVerificationChanged,
)
from organizations.models import Membership, Organization, VerificationStatus

NO_ACCOUNT_MESSAGE = "No account uses this email address; ask them to sign up first."
ALREADY_MEMBER_MESSAGE = "This person is already a member of the organization."

#: Fields an organization's admins may change; ``verified`` is set by platform staff in the admin.
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
) -> Organization:
    """Create an organization; its creator becomes its first admin, in the same transaction."""
    organization = Organization(
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


def organization_verification_set(
    *, organization: Organization, verified: bool, actor: Any
) -> Organization:
    """Platform staff verify an organization (or take it back) after checking who they are; the
    audit row says who and when. Setting what is already set changes nothing and records nothing."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.is_verified == verified:
            return organization
        organization.verification_status = (
            VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING
        )
        organization.save(update_fields=["verification_status", "updated_at"])
        emit(
            OrganizationVerificationChanged(
                actor_id=getattr(actor, "pk", None),
                organization_id=organization.pk,
                verified=verified,
            )
        )
    return organization


def membership_add(
    *, organization: Organization, email: str, role: str, actor: Any | None = None
) -> Membership:
    """Add an existing account to the organization with the given role."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ApplicationError(NO_ACCOUNT_MESSAGE, fields={"email": [NO_ACCOUNT_MESSAGE]})
    already = ApplicationError(ALREADY_MEMBER_MESSAGE, fields={"email": [ALREADY_MEMBER_MESSAGE]})
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise already
    membership = Membership(organization=organization, user=user, role=role)
    # validate_unique would report the pair on a non-field key; the exists() above says it better.
    membership.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
            emit(
                MemberAdded(
                    actor_id=getattr(actor, "pk", None),
                    organization_id=organization.pk,
                    user_id=user.pk,
                    role=role,
                )
            )
    except IntegrityError:  # two admins adding the same person at once: the constraint decides
        raise already from None
    return membership
