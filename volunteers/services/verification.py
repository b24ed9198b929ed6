"""Verification of a volunteer's credentials: the outcome of a background check, and a declared
training marked verified.

Platform staff verify for every role (``verified_for`` empty). A coordinator or admin of a
verified organization whose role the volunteer is matched with verifies for that organization's
roles only (``verified_for`` = it), until platform staff confirm it. A coordinator who could
verify for several organizations names the one (``organization_id``). Nobody verifies their own
profile, and a coordinator never replaces what staff or another organization verified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ConflictError, ForbiddenError
from backend.events import emit
from volunteers.events import BackgroundCheckRecorded, TrainingVerified
from volunteers.expiry import effective_expiry
from volunteers.models import BackgroundCheckStatus, TrainingRecord, VolunteerProfile
from volunteers.permissions import (
    can_confirm_verification,
    can_verify_volunteer,
    is_platform_staff,
    verifying_organization_ids,
)
from volunteers.services.profile_update import INVALID_PROFILE_MESSAGE

NOT_ALLOWED_TO_VERIFY_MESSAGE = gettext_noop("You cannot verify this volunteer.")
#: A verifier's note on the evidence they saw, kept with the check or training it describes
#: (the audit row holds no personal data, so not there).
NOTE_MAX_LENGTH = 500
NOTE_TOO_LONG_MESSAGE = gettext_noop("Keep the note to {limit} characters.")
NOT_ALLOWED_TO_CONFIRM_MESSAGE = gettext_noop(
    "Only platform staff confirm a coordinator's verification."
)
CLEARED_NEEDS_DATE_MESSAGE = gettext_noop("A cleared check needs the date it was cleared.")
CLEARED_ON_FUTURE_MESSAGE = gettext_noop("The clearance date cannot be in the future.")
CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE = gettext_noop(
    "The expiry date cannot be before the clearance date."
)
CLEARED_BUT_EXPIRED_MESSAGE = gettext_noop(
    "This check has already expired: record it as 'expired'."
)
ORGANIZATION_REQUIRED_MESSAGE = gettext_noop(
    "This volunteer is matched with roles of more than one of your organizations: name the "
    "organization this verification is for."
)
ORGANIZATION_NOT_YOURS_MESSAGE = gettext_noop(
    "You can verify this volunteer only for one of your verified organizations whose roles they "
    "are matched with."
)
TRAINING_NEEDS_COMPLETION_MESSAGE = gettext_noop(
    "{name} is valid for {months} months after completion: the completion date is needed "
    "before it can be verified."
)
VERIFIED_ELSEWHERE_MESSAGE = gettext_noop(
    "This is already verified by platform staff or for another organization; only platform "
    "staff can change or confirm it."
)
NOTHING_TO_CONFIRM_MESSAGE = gettext_noop(
    "There is no coordinator's verification to confirm: it is not verified, or it already "
    "counts for every role."
)


def verification_scope(
    user: Any, profile: VolunteerProfile, organization_id: int | None
) -> int | None:
    """The organization a verification by ``user`` counts for; None (every role) for staff."""
    if not can_verify_volunteer(user, profile):
        raise ForbiddenError(gettext(NOT_ALLOWED_TO_VERIFY_MESSAGE))
    if is_platform_staff(user):
        return None
    candidates = verifying_organization_ids(user, profile)
    if organization_id is None:
        if len(candidates) == 1:
            return candidates[0]
        raise ApplicationError(
            gettext(INVALID_PROFILE_MESSAGE),
            fields={"organization": [gettext(ORGANIZATION_REQUIRED_MESSAGE)]},
        )
    if organization_id not in candidates:
        raise ApplicationError(
            gettext(INVALID_PROFILE_MESSAGE),
            fields={"organization": [gettext(ORGANIZATION_NOT_YOURS_MESSAGE)]},
        )
    return organization_id


def _verification_note(note: str) -> str:
    """A verifier's note, trimmed; longer than NOTE_MAX_LENGTH is refused, not cut."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = gettext(NOTE_TOO_LONG_MESSAGE).format(limit=NOTE_MAX_LENGTH)
        raise ApplicationError(gettext(INVALID_PROFILE_MESSAGE), fields={"note": [message]})
    return note


def _check_errors(
    status: str, cleared_on: dt.date | None, expires_on: dt.date | None
) -> dict[str, list[str]]:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status == BackgroundCheckStatus.CLEARED and cleared_on is None:
        errors["cleared_on"] = [gettext(CLEARED_NEEDS_DATE_MESSAGE)]
    if cleared_on is not None and cleared_on > today:
        errors["cleared_on"] = [gettext(CLEARED_ON_FUTURE_MESSAGE)]
    if cleared_on is not None and expires_on is not None and expires_on < cleared_on:
        errors["expires_on"] = [gettext(CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE)]
    elif status == BackgroundCheckStatus.CLEARED and expires_on is not None and expires_on < today:
        errors["expires_on"] = [gettext(CLEARED_BUT_EXPIRED_MESSAGE)]
    return errors


@transaction.atomic
def background_check_record(
    *,
    profile: VolunteerProfile,
    verified_by: Any,
    status: str,
    cleared_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    organization_id: int | None = None,
    note: str = "",
) -> VolunteerProfile:
    """Record the outcome of a background check that ``verified_by`` has seen; ``note`` (what
    they saw) is kept with it (not in the audit row, which holds no personal data)."""
    note = _verification_note(note)
    scope = verification_scope(verified_by, profile, organization_id)
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    errors = _check_errors(status, cleared_on, expires_on)
    if errors:
        raise ApplicationError(gettext(INVALID_PROFILE_MESSAGE), fields=errors)
    recorded = profile.background_check_verified_at is not None
    if scope is not None and recorded and profile.background_check_verified_for_id != scope:
        raise ConflictError(gettext(VERIFIED_ELSEWHERE_MESSAGE))

    profile.background_check_status = status
    profile.background_check_cleared_on = cleared_on
    profile.background_check_expires_on = expires_on
    profile.background_check_verified_by = verified_by
    profile.background_check_verified_at = timezone.now()
    profile.background_check_verified_for_id = scope
    profile.background_check_note = note
    profile.full_clean()
    profile.save()
    emit(
        BackgroundCheckRecorded(
            actor_id=verified_by.pk,
            profile_id=profile.pk,
            status=status,
            organization_id=scope,
        )
    )
    return profile


@transaction.atomic
def background_check_confirm(
    *, profile: VolunteerProfile, confirmed_by: Any, note: str = ""
) -> VolunteerProfile:
    """Platform staff confirm a check a coordinator recorded: it then counts for every role."""
    note = _verification_note(note)
    if not can_confirm_verification(confirmed_by, profile):
        raise ForbiddenError(gettext(NOT_ALLOWED_TO_CONFIRM_MESSAGE))
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if (
        profile.background_check_verified_at is None
        or profile.background_check_verified_for_id is None
    ):
        raise ConflictError(gettext(NOTHING_TO_CONFIRM_MESSAGE))
    profile.background_check_verified_by = confirmed_by
    profile.background_check_verified_at = timezone.now()
    profile.background_check_verified_for = None
    if note:
        profile.background_check_note = note
    profile.save(
        update_fields=[
            "background_check_verified_by",
            "background_check_verified_at",
            "background_check_verified_for",
            "background_check_note",
            "updated_at",
        ]
    )
    emit(
        BackgroundCheckRecorded(
            actor_id=confirmed_by.pk,
            profile_id=profile.pk,
            status=profile.background_check_status,
            confirmed=True,
        )
    )
    return profile


def _locked(record: TrainingRecord) -> TrainingRecord:
    return (
        TrainingRecord.objects.select_for_update()
        .select_related("training_type", "profile")
        .get(pk=record.pk)
    )


def _confirm(record: TrainingRecord, confirmed_by: Any, note: str) -> TrainingRecord:
    record.verified_by, record.verified_at = confirmed_by, timezone.now()
    record.verified_for = None
    if note:
        record.verification_note = note
    record.save(
        update_fields=[
            "verified_by",
            "verified_at",
            "verified_for",
            "verification_note",
            "updated_at",
        ]
    )
    emit(
        TrainingVerified(
            actor_id=confirmed_by.pk,
            profile_id=record.profile_id,
            training=record.training_type.slug,
            confirmed=True,
        )
    )
    return record


@transaction.atomic
def training_verify(
    *,
    record: TrainingRecord,
    verified_by: Any,
    organization_id: int | None = None,
    note: str = "",
) -> TrainingRecord:
    """Mark a declared training verified, its expiry capped at (or filled with) completion + the
    type's ``valid_for_months``. Verifying twice keeps the first verification: that is when
    someone actually looked at the certificate; staff verifying a coordinator's verification
    confirm it for every role. ``note`` (what they saw) is kept with the record."""
    note = _verification_note(note)
    scope = verification_scope(verified_by, record.profile, organization_id)
    record = _locked(record)
    if record.verified:
        if record.verified_for_id is None or record.verified_for_id == scope:
            return record
        if scope is None:
            return _confirm(record, verified_by, note)
        raise ConflictError(gettext(VERIFIED_ELSEWHERE_MESSAGE))
    training_type = record.training_type
    if training_type.valid_for_months is not None and record.completed_on is None:
        message = gettext(TRAINING_NEEDS_COMPLETION_MESSAGE).format(
            name=training_type.name, months=training_type.valid_for_months
        )
        raise ApplicationError(gettext(INVALID_PROFILE_MESSAGE), fields={"completed_on": [message]})
    record.expires_on = effective_expiry(
        valid_for_months=training_type.valid_for_months,
        completed_on=record.completed_on,
        expires_on=record.expires_on,
    ).expires_on
    record.verified, record.verified_by, record.verified_at = True, verified_by, timezone.now()
    record.verified_for_id = scope
    record.verification_note = note
    record.save(update_fields=["expires_on", *TrainingRecord.VERIFICATION_FIELDS, "updated_at"])
    emit(
        TrainingVerified(
            actor_id=verified_by.pk,
            profile_id=record.profile_id,
            training=training_type.slug,
            organization_id=scope,
        )
    )
    return record


@transaction.atomic
def training_confirm(
    *, record: TrainingRecord, confirmed_by: Any, note: str = ""
) -> TrainingRecord:
    """Platform staff confirm a training a coordinator verified: it then counts for every role."""
    note = _verification_note(note)
    if not can_confirm_verification(confirmed_by, record.profile):
        raise ForbiddenError(gettext(NOT_ALLOWED_TO_CONFIRM_MESSAGE))
    record = _locked(record)
    if not record.verified or record.verified_for_id is None:
        raise ConflictError(gettext(NOTHING_TO_CONFIRM_MESSAGE))
    return _confirm(record, confirmed_by, note)
