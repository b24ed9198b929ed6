"""Writes for volunteer roles. Every change that can affect matching asks for a rematch after commit:
creating or editing a draft does not (drafts are never matched); publishing, closing, unpublishing
and editing a published role do.

Only a verified organization publishes: a pending or refused one may draft roles, and when staff
refuse an organization that was verified its published roles go back to draft here
(``opportunities_unpublish_for_unverified``), so the rematch withdraws their suggestions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ConflictError
from backend.events import emit
from backend.places import place_from_postcode
from opportunities.events import OpportunityChanged
from opportunities.models import Mode, Opportunity
from organizations.models import Organization, VerificationStatus
from taxonomy.availability import normalise_slots
from taxonomy.models import Cause, Language, Skill, TrainingType

POSTCODE_NOT_FOUND_MESSAGE = gettext_noop(
    "We could not find this postcode; add latitude and longitude for in-person and hybrid roles."
)
NOT_READY_MESSAGE = gettext_noop("This role is not ready to publish yet.")
ALREADY_PUBLISHED_MESSAGE = gettext_noop("This role is already published.")
ALREADY_CLOSED_MESSAGE = gettext_noop("This role is already closed.")
ORGANIZATION_NOT_VERIFIED_MESSAGE = gettext_noop(
    "Your organization is not verified yet: platform staff check every organization before its "
    "roles reach volunteers. You can keep drafting; publish once it is verified."
)

MANY_TO_MANY_FIELDS = frozenset(
    {"causes", "required_skills", "preferred_skills", "languages", "required_trainings"}
)
SCALAR_FIELDS = frozenset(
    {
        "title",
        "description",
        "mode",
        "address",
        "postcode",
        "latitude",
        "longitude",
        "hide_address",
        "availability",
        "schedule_fixed",
        "hours_per_week",
        "starts_on",
        "ends_on",
        "capacity",
        "min_age",
        "background_check_required",
        "skills_learnable_on_the_job",
        "audience",
        "lived_experience_valued",
    }
)


def _place_from_postcode(opportunity: Opportunity, changed: set[str]) -> None:
    """A postcode that does not resolve is refused for roles that need a place (the volunteer has to
    find it) and kept as written for remote and phone roles."""
    if not place_from_postcode(opportunity, changed) and opportunity.needs_travel:
        raise ApplicationError(
            gettext(POSTCODE_NOT_FOUND_MESSAGE),
            fields={"postcode": [gettext(POSTCODE_NOT_FOUND_MESSAGE)]},
        )


def _normalise_lists(opportunity: Opportunity) -> None:
    if isinstance(opportunity.availability, list):
        opportunity.availability = normalise_slots(opportunity.availability)
    if isinstance(opportunity.audience, list):
        opportunity.audience = list(dict.fromkeys(opportunity.audience))


def _refuse_incomplete_publication(opportunity: Opportunity) -> None:
    problems = opportunity.publication_problems()
    if problems:
        raise ApplicationError(gettext(NOT_READY_MESSAGE), code="incomplete", fields=problems)


def _set_many_to_many(opportunity: Opportunity, values: dict[str, Iterable[Any]]) -> None:
    for field in MANY_TO_MANY_FIELDS & set(values):
        getattr(opportunity, field).set(values[field])


def _actor_id(actor: Any | None) -> int | None:
    return getattr(actor, "pk", None)


def opportunity_create(
    *,
    organization: Organization,
    title: str,
    description: str = "",
    causes: Iterable[Cause] = (),
    required_skills: Iterable[Skill] = (),
    preferred_skills: Iterable[Skill] = (),
    languages: Iterable[Language] = (),
    mode: str = Mode.IN_PERSON,
    address: str = "",
    postcode: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    hide_address: bool = False,
    availability: Iterable[str] = (),
    schedule_fixed: bool = True,
    hours_per_week: Decimal | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    capacity: int = 1,
    min_age: int | None = None,
    background_check_required: bool = False,
    skills_learnable_on_the_job: bool = False,
    required_trainings: Iterable[TrainingType] = (),
    audience: Iterable[str] = (),
    lived_experience_valued: bool = False,
    actor: Any | None = None,
) -> Opportunity:
    """Create a draft role. The caller's right to post for ``organization`` is checked by the API
    (it offers only the caller's own organizations)."""
    opportunity = Opportunity(
        organization=organization,
        title=title,
        description=description,
        mode=mode,
        address=address,
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        hide_address=hide_address,
        availability=list(availability),
        schedule_fixed=schedule_fixed,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        min_age=min_age,
        background_check_required=background_check_required,
        skills_learnable_on_the_job=skills_learnable_on_the_job,
        audience=list(audience),
        lived_experience_valued=lived_experience_valued,
        status=Opportunity.Status.DRAFT,
    )
    given = {"postcode"} if postcode else set()
    if latitude is not None or longitude is not None:
        given |= {"latitude", "longitude"}
    _place_from_postcode(opportunity, given)
    _normalise_lists(opportunity)
    opportunity.full_clean()
    with transaction.atomic():
        opportunity.save()
        _set_many_to_many(
            opportunity,
            {
                "causes": causes,
                "required_skills": required_skills,
                "preferred_skills": preferred_skills,
                "languages": languages,
                "required_trainings": required_trainings,
            },
        )
        # A draft suits nobody yet: nothing to rematch until it is published.
        emit(
            OpportunityChanged(
                actor_id=_actor_id(actor),
                opportunity_id=opportunity.id,
                change="created",
                matching_changed=False,
            )
        )
    return opportunity


def opportunity_update(
    *, opportunity: Opportunity, data: dict[str, Any], actor: Any | None = None
) -> Opportunity:
    """Change a role's details (not its organization or status). A published role must stay
    publishable: editing it into an incomplete state is refused."""
    unknown = set(data) - SCALAR_FIELDS - MANY_TO_MANY_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        # Lock the row: a coordinator editing while another publishes must not lose either change.
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        for field in SCALAR_FIELDS & set(data):
            setattr(opportunity, field, data[field])
        _place_from_postcode(opportunity, set(data))
        _normalise_lists(opportunity)
        opportunity.full_clean()
        if opportunity.status == Opportunity.Status.PUBLISHED:
            _refuse_incomplete_publication(opportunity)
        opportunity.save()
        _set_many_to_many(opportunity, data)
        emit(
            OpportunityChanged(
                actor_id=_actor_id(actor),
                opportunity_id=opportunity.id,
                change="updated",
                fields=tuple(sorted(data)),
                matching_changed=opportunity.status == Opportunity.Status.PUBLISHED,
            )
        )
    return opportunity


def opportunity_publish(*, opportunity: Opportunity, actor: Any | None = None) -> Opportunity:
    """Show a draft (or re-open a closed role) to volunteers, once it is complete."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.status == Opportunity.Status.PUBLISHED:
            raise ConflictError(gettext(ALREADY_PUBLISHED_MESSAGE))
        # Read now, inside the lock: a refusal committed a moment ago is seen.
        if not Organization.objects.get(pk=opportunity.organization_id).is_verified:
            raise ConflictError(
                gettext(ORGANIZATION_NOT_VERIFIED_MESSAGE), code="organization_not_verified"
            )
        _refuse_incomplete_publication(opportunity)
        opportunity.status = Opportunity.Status.PUBLISHED
        opportunity.published_at = timezone.now()
        opportunity.save(update_fields=["status", "published_at", "updated_at"])
        emit(
            OpportunityChanged(
                actor_id=_actor_id(actor), opportunity_id=opportunity.id, change="published"
            )
        )
    return opportunity


def opportunity_close(*, opportunity: Opportunity, actor: Any | None = None) -> Opportunity:
    """Stop showing a role; the rematch withdraws its open suggestions."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.status == Opportunity.Status.CLOSED:
            raise ConflictError(gettext(ALREADY_CLOSED_MESSAGE))
        opportunity.status = Opportunity.Status.CLOSED
        opportunity.save(update_fields=["status", "updated_at"])
        emit(
            OpportunityChanged(
                actor_id=_actor_id(actor), opportunity_id=opportunity.id, change="closed"
            )
        )
    return opportunity


def opportunity_unpublish(*, opportunity: Opportunity, actor: Any | None = None) -> Opportunity:
    """Take a published role back to draft (its organization is no longer verified); the
    rematch withdraws its open suggestions as no longer eligible. Anything else is left alone."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.status != Opportunity.Status.PUBLISHED:
            return opportunity
        opportunity.status = Opportunity.Status.DRAFT
        opportunity.save(update_fields=["status", "updated_at"])
        emit(
            OpportunityChanged(
                actor_id=_actor_id(actor), opportunity_id=opportunity.id, change="unpublished"
            )
        )
    return opportunity


def opportunities_unpublish_for_unverified(
    *, organization_id: int | None = None, actor: Any | None = None
) -> list[int]:
    """Every published role of an organization that is not verified goes back to draft, one by
    one through ``opportunity_unpublish``; the ids changed. Idempotent: it is what the
    organization's refusal triggers, and a sweep may call it to catch a delivery that failed."""
    roles = Opportunity.objects.published().exclude(
        organization__verification_status=VerificationStatus.VERIFIED
    )
    if organization_id is not None:
        roles = roles.filter(organization_id=organization_id)
    changed = []
    for opportunity in roles.order_by("id"):
        opportunity_unpublish(opportunity=opportunity, actor=actor)
        changed.append(opportunity.id)
    return changed
