"""Writes for organizations: their details, staff's verification, invitations and the team."""

from organizations.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
)
from organizations.services.members import membership_remove, membership_role_change
from organizations.services.organizations import (
    EDITABLE_FIELDS,
    organization_create,
    organization_update,
)
from organizations.services.verification import (
    organization_refuse_from_admin,
    organization_verification_decide,
    organization_verify_from_admin,
)

__all__ = [
    "EDITABLE_FIELDS",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_revoke",
    "membership_remove",
    "membership_role_change",
    "organization_create",
    "organization_refuse_from_admin",
    "organization_update",
    "organization_verification_decide",
    "organization_verify_from_admin",
]
