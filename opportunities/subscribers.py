"""What the opportunities app does when another app reports a change (backend/events.py): an
organization that is no longer verified has its published roles taken back to draft."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from backend.events import subscribe
from opportunities.services import opportunities_unpublish_for_unverified
from organizations.events import OrganizationVerificationChanged


def unpublish_roles(event: OrganizationVerificationChanged) -> None:
    actor = (
        get_user_model().objects.filter(pk=event.actor_id).first()
        if event.actor_id is not None
        else None
    )
    opportunities_unpublish_for_unverified(organization_id=event.organization_id, actor=actor)


def _no_longer_verified(event: OrganizationVerificationChanged) -> bool:
    return not event.verified


def register() -> None:
    subscribe(OrganizationVerificationChanged, unpublish_roles, when=_no_longer_verified)
