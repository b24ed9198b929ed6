"""What the organizations app records and tells the others (backend/events.py)."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationCreated(DomainEvent):
    name = "organization_created"
    subject = "organization_id"
    organization_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationUpdated(DomainEvent):
    name = "organization_updated"
    subject = "organization_id"
    organization_id: int
    fields: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationVerificationChanged(DomainEvent):
    """Platform staff verified or refused an organization (``status``), or took a verification
    back by refusing it; ``verification_id`` is the decision row with the evidence."""

    name = "organization_verification_changed"
    subject = "organization_id"
    organization_id: int
    verified: bool
    status: str = ""
    previous_status: str = ""
    verification_id: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberAdded(DomainEvent):
    name = "member_added"
    subject = "organization_id"
    organization_id: int
    user_id: int
    role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberInvited(DomainEvent):
    """An admin invited someone by email (the address stays on the invitation, not in the log)."""

    name = "member_invited"
    subject = "invitation_id"
    invitation_id: int
    organization_id: int
    role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationAnswered(DomainEvent):
    """The invitee accepted or declined (``status``), or an admin revoked the invitation."""

    name = "invitation_answered"
    subject = "invitation_id"
    invitation_id: int
    organization_id: int
    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberRoleChanged(DomainEvent):
    name = "member_role_changed"
    subject = "organization_id"
    organization_id: int
    user_id: int
    role: str
    previous_role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberRemoved(DomainEvent):
    """An admin removed a member, or the member left (``left``)."""

    name = "member_removed"
    subject = "organization_id"
    organization_id: int
    user_id: int
    role: str
    left: bool
