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
    """Platform staff verified an organization, or took the verification back."""

    name = "organization_verification_changed"
    subject = "organization_id"
    organization_id: int
    verified: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberAdded(DomainEvent):
    name = "member_added"
    subject = "organization_id"
    organization_id: int
    user_id: int
    role: str
