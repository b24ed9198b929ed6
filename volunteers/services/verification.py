"""Verification by platform staff (or a coordinator of the volunteer's organization): the outcome
of a background check, and a declared training marked verified."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.errors import ApplicationError, ForbiddenError
from backend.events import emit
from volunteers.events import BackgroundCheckRecorded, TrainingVerified
from volunteers.models import BackgroundCheckStatus, TrainingRecord, VolunteerProfile
from volunteers.permissions import can_verify_volunteer
from volunteers.services.profile_update import INVALID_PROFILE_MESSAGE

NOT_ALLOWED_TO_VERIFY_MESSAGE = "You cannot verify this volunteer."
CLEARED_NEEDS_DATE_MESSAGE = "A cleared check needs the date it was cleared."
CLEARED_ON_FUTURE_MESSAGE = "The clearance date cannot be in the future."
CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE = "The expiry date cannot be before the clearance date."
CLEARED_BUT_EXPIRED_MESSAGE = "This check has already expired: record it as 'expired'."


def _ensure_can_verify(user: Any, profile: VolunteerProfile) -> None:
    if not can_verify_volunteer(user, profile):
        raise ForbiddenError(NOT_ALLOWED_TO_VERIFY_MESSAGE)


@transaction.atomic
def background_check_record(
    *,
    profile: VolunteerProfile,
    verified_by: Any,
    status: str,
    cleared_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> VolunteerProfile:
    """Record the outcome of a background check that ``verified_by`` has seen."""
    _ensure_can_verify(verified_by, profile)
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status == BackgroundCheckStatus.CLEARED and cleared_on is None:
        errors["cleared_on"] = [CLEARED_NEEDS_DATE_MESSAGE]
    if cleared_on is not None and cleared_on > today:
        errors["cleared_on"] = [CLEARED_ON_FUTURE_MESSAGE]
    if cleared_on is not None and expires_on is not None and expires_on < cleared_on:
        errors["expires_on"] = [CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE]
    elif status == BackgroundCheckStatus.CLEARED and expires_on is not None and expires_on < today:
        errors["expires_on"] = [CLEARED_BUT_EXPIRED_MESSAGE]
    if errors:
        raise ApplicationError(INVALID_PROFILE_MESSAGE, fields=errors)

    profile.background_check_status = status
    profile.background_check_cleared_on = cleared_on
    profile.background_check_expires_on = expires_on
    profile.background_check_verified_by = verified_by
    profile.background_check_verified_at = timezone.now()
    profile.full_clean()
    profile.save()
    emit(BackgroundCheckRecorded(actor_id=verified_by.pk, profile_id=profile.pk, status=status))
    return profile


@transaction.atomic
def training_verify(*, record: TrainingRecord, verified_by: Any) -> TrainingRecord:
    """Mark a declared training verified. Verifying twice keeps the first verification: that is
    when someone actually looked at the certificate."""
    _ensure_can_verify(verified_by, record.profile)
    record = (
        TrainingRecord.objects.select_for_update()
        .select_related("training_type", "profile")
        .get(pk=record.pk)
    )
    if record.verified:
        return record
    record.verified, record.verified_by, record.verified_at = True, verified_by, timezone.now()
    record.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    emit(
        TrainingVerified(
            actor_id=verified_by.pk,
            profile_id=record.profile_id,
            training=record.training_type.slug,
        )
    )
    return record
