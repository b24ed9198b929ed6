"""Writes to volunteer profiles: registration, the volunteer's own edits, verification by staff.

Every service validates everything first and raises one ``ApplicationError`` (or Django's
``ValidationError`` from ``full_clean``) listing every bad field, before it writes anything; each
runs in one transaction, so a refused request leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from backend.errors import ApplicationError, ForbiddenError
from backend.events import emit
from backend.places import postcode_coordinates, postcode_normalise
from opportunities.models import TRAVEL_MODES, Mode
from taxonomy.availability import normalise_slots
from taxonomy.models import TrainingType
from volunteers.events import BackgroundCheckRecorded, TrainingVerified, VolunteerProfileUpdated

from .models import ENGINE_FIELDS, BackgroundCheckStatus, TrainingRecord, VolunteerProfile
from .permissions import can_verify_volunteer

INVALID_PROFILE_MESSAGE = "The profile has invalid fields; nothing was changed."
EMAIL_TAKEN_MESSAGE = "An account with this email address already exists."
INVALID_REGISTRATION_MESSAGE = "The account could not be created."
COORDINATES_TOGETHER_MESSAGE = "Give latitude and longitude together, or neither."
LOCATION_REQUIRED_MESSAGE = (
    "In-person and hybrid roles need a location: enter a US ZIP code we can locate, "
    "or latitude and longitude."
)
CHECK_STATUS_STAFF_ONLY_MESSAGE = (
    "You can declare a background check as 'none' or 'pending'; "
    "only platform staff record a cleared or expired check."
)
CLEARED_CHECK_LOCKED_MESSAGE = (
    "Your background check is cleared; only platform staff can change it."
)
CHECK_DATES_STAFF_ONLY_MESSAGE = "Only platform staff record the dates of a background check."
TRAINING_DUPLICATE_MESSAGE = "Training '{slug}' is listed more than once."
TRAINING_COMPLETED_FUTURE_MESSAGE = (
    "Training '{slug}': the completion date cannot be in the future."
)
TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE = (
    "Training '{slug}': the expiry date cannot be before the completion date."
)
TRAINING_VERIFY_STAFF_ONLY_MESSAGE = (
    "Training '{slug}': only platform staff or a coordinator can mark a training verified."
)
NOT_ALLOWED_TO_VERIFY_MESSAGE = "You cannot verify this volunteer."
CLEARED_NEEDS_DATE_MESSAGE = "A cleared check needs the date it was cleared."
CLEARED_ON_FUTURE_MESSAGE = "The clearance date cannot be in the future."
CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE = "The expiry date cannot be before the clearance date."
CLEARED_BUT_EXPIRED_MESSAGE = "This check has already expired: record it as 'expired'."

#: Plain fields the volunteer edits directly; the service copies them as given.
PLAIN_FIELDS = (
    "display_name",
    "bio",
    "max_travel_km",
    "max_hours_per_week",
    "max_commitments",
    "date_of_birth",
    "lived_experience",
    "share_lived_experience",
    "paused",
)
#: What a volunteer's matching depends on: every column the engine reads, plus the postcode (it
#: sets the coordinates), the check's clearance date and the lived-experience text a coordinator
#: sees beside a suggestion. The display name alone does not re-run matching.
MATCHING_FIELDS = (
    *ENGINE_FIELDS,
    "postcode",
    "background_check_cleared_on",
    "lived_experience",
)


# --- Registration -------------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, email: str, password: str, display_name: str) -> VolunteerProfile:
    """A new volunteer account, its empty profile and its API token, all or nothing."""
    user_model = get_user_model()
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    if user_model.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN_MESSAGE]
    try:
        # Validated against an unsaved user so the similarity check compares with the email.
        validate_password(password, user=user_model(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ApplicationError(INVALID_REGISTRATION_MESSAGE, fields=errors)

    try:
        # A savepoint: two sign-ups with one address at the same moment both pass the check above;
        # the case-insensitive unique constraint refuses the second, which gets the same answer.
        with transaction.atomic():
            user = user_model.objects.create_user(email=email, password=password)
    except IntegrityError:
        raise ApplicationError(
            INVALID_REGISTRATION_MESSAGE, fields={"email": [EMAIL_TAKEN_MESSAGE]}
        ) from None
    profile = VolunteerProfile(user=user, display_name=display_name.strip())
    profile.full_clean()
    profile.save()
    Token.objects.create(user=user)
    return profile


# --- The volunteer's own edits ------------------------------------------------------------------


@dataclass
class _TrainingPlan:
    training_type: TrainingType
    completed_on: dt.date | None
    expires_on: dt.date | None
    existing: TrainingRecord | None

    @property
    def unchanged(self) -> bool:
        return (
            self.existing is not None
            and self.existing.completed_on == self.completed_on
            and self.existing.expires_on == self.expires_on
        )


def _matching_snapshot(profile: VolunteerProfile) -> tuple:
    return (
        tuple(getattr(profile, name) for name in MATCHING_FIELDS),
        sorted(profile.skills.values_list("pk", flat=True)),
        sorted(profile.causes.values_list("pk", flat=True)),
        sorted(profile.languages.values_list("pk", flat=True)),
        sorted(
            profile.trainings.values_list(
                "training_type_id", "completed_on", "expires_on", "verified"
            )
        ),
    )


def _apply_location(
    profile: VolunteerProfile, data: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    previous_postcode = profile.postcode
    if "postcode" in data:
        profile.postcode = postcode_normalise(data["postcode"])
    if "latitude" in data or "longitude" in data:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            field = "longitude" if latitude is not None else "latitude"
            errors[field] = [COORDINATES_TOGETHER_MESSAGE]
            return
        if latitude is not None:
            # Explicit coordinates are more precise than a ZIP centroid: they win.
            profile.latitude, profile.longitude = latitude, longitude
            return
        # Both cleared: fall back to the postcode, as when coordinates were never given.
        profile.latitude = profile.longitude = None
    elif profile.postcode == previous_postcode:
        return  # same postcode: whatever coordinates the volunteer has stay
    # Coordinates derived from an old postcode would place the volunteer where they no longer are:
    # a new postcode replaces them with its centroid, or with nothing.
    found = postcode_coordinates(profile.postcode)
    profile.latitude, profile.longitude = found if found else (None, None)


def _check_location_for_modes(profile: VolunteerProfile, errors: dict[str, list[str]]) -> None:
    if TRAVEL_MODES.intersection(profile.modes) and profile.latitude is None:
        errors.setdefault("postcode", []).append(LOCATION_REQUIRED_MESSAGE)


def _apply_background_check_declaration(
    profile: VolunteerProfile, declared: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    current = (
        profile.background_check_status,
        profile.background_check_cleared_on,
        profile.background_check_expires_on,
    )
    wanted = (
        declared.get("status", current[0]),
        declared.get("cleared_on", current[1]),
        declared.get("expires_on", current[2]),
    )
    if wanted == current:
        return  # a client sending back what it read changes nothing, whatever the status
    if current[0] == BackgroundCheckStatus.CLEARED:
        errors["background_check"] = [CLEARED_CHECK_LOCKED_MESSAGE]
        return
    if wanted[0] not in (BackgroundCheckStatus.NONE, BackgroundCheckStatus.PENDING):
        errors["background_check"] = [CHECK_STATUS_STAFF_ONLY_MESSAGE]
        return
    if wanted[1:] != current[1:]:
        errors["background_check"] = [CHECK_DATES_STAFF_ONLY_MESSAGE]
        return
    # A volunteer's declaration is unverified by nature: it replaces whatever staff recorded.
    profile.background_check_status = wanted[0]
    profile.background_check_cleared_on = None
    profile.background_check_expires_on = None
    profile.background_check_verified_by = None
    profile.background_check_verified_at = None


def _plan_trainings(
    profile: VolunteerProfile, declared: Iterable[dict[str, Any]], errors: dict[str, list[str]]
) -> list[_TrainingPlan]:
    existing = {record.training_type_id: record for record in profile.trainings.all()}
    today = timezone.localdate()
    plans: list[_TrainingPlan] = []
    problems: list[str] = []
    seen: set[int] = set()
    for item in declared:
        training_type: TrainingType = item["training_type"]
        slug = training_type.slug
        if training_type.pk in seen:
            problems.append(TRAINING_DUPLICATE_MESSAGE.format(slug=slug))
            continue
        seen.add(training_type.pk)
        plan = _TrainingPlan(
            training_type=training_type,
            completed_on=item.get("completed_on"),
            expires_on=item.get("expires_on"),
            existing=existing.get(training_type.pk),
        )
        if plan.completed_on is not None and plan.completed_on > today:
            problems.append(TRAINING_COMPLETED_FUTURE_MESSAGE.format(slug=slug))
        if (
            plan.completed_on is not None
            and plan.expires_on is not None
            and plan.expires_on < plan.completed_on
        ):
            problems.append(TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE.format(slug=slug))
        stays_verified = plan.unchanged and plan.existing is not None and plan.existing.verified
        if item.get("verified") is True and not stays_verified:
            problems.append(TRAINING_VERIFY_STAFF_ONLY_MESSAGE.format(slug=slug))
        plans.append(plan)
    if problems:
        errors["trainings"] = problems
    return plans


def _replace_trainings(profile: VolunteerProfile, plans: list[_TrainingPlan]) -> None:
    kept = {plan.training_type.pk for plan in plans}
    profile.trainings.exclude(training_type_id__in=kept).delete()
    for plan in plans:
        if plan.unchanged:
            continue  # keeps its verification
        if plan.existing is None:
            TrainingRecord.objects.create(
                profile=profile,
                training_type=plan.training_type,
                completed_on=plan.completed_on,
                expires_on=plan.expires_on,
            )
            continue
        # New dates are a new claim: whoever verified the old certificate has not seen this one.
        record = plan.existing
        record.completed_on, record.expires_on = plan.completed_on, plan.expires_on
        record.verified, record.verified_by, record.verified_at = False, None, None
        record.save(
            update_fields=[
                "completed_on",
                "expires_on",
                "verified",
                "verified_by",
                "verified_at",
                "updated_at",
            ]
        )


def _raise_with(errors: dict[str, list[str]], exc: ValidationError | None = None) -> None:
    merged = {key: list(messages) for key, messages in errors.items()}
    if exc is not None:
        for field, messages in exc.message_dict.items():
            key = "non_field_errors" if field == "__all__" else field
            merged.setdefault(key, []).extend(m for m in messages if m not in merged.get(key, []))
    raise ApplicationError(INVALID_PROFILE_MESSAGE, fields=merged)


@transaction.atomic
def volunteer_profile_update(
    *, profile: VolunteerProfile, data: dict[str, Any]
) -> VolunteerProfile:
    """Apply the volunteer's own edits (a partial update of already type-checked values).

    ``skills``, ``causes`` and ``languages`` are lists of reference objects; ``trainings`` is the
    whole declared set (``training_type``, ``completed_on``, ``expires_on``, ``verified``), which
    replaces the stored one; ``background_check`` holds what the volunteer declares.
    """
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    before = _matching_snapshot(profile)
    errors: dict[str, list[str]] = {}

    for name in PLAIN_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    if "modes" in data:
        wanted_modes = set(data["modes"])
        profile.modes = [mode.value for mode in Mode if mode.value in wanted_modes]
    if "availability" in data:
        profile.availability = normalise_slots(data["availability"])
    _apply_location(profile, data, errors)
    if {"modes", "postcode", "latitude", "longitude"} & data.keys():
        _check_location_for_modes(profile, errors)
    if "background_check" in data:
        _apply_background_check_declaration(profile, data["background_check"], errors)
    plans = _plan_trainings(profile, data["trainings"], errors) if "trainings" in data else None

    if errors:
        # Field validators still run, so one answer lists every problem; constraints are skipped
        # because they would repeat the errors above in a vaguer form.
        try:
            profile.full_clean(validate_constraints=False)
        except ValidationError as exc:
            _raise_with(errors, exc)
        _raise_with(errors)
    try:
        profile.full_clean()
    except ValidationError as exc:
        _raise_with(errors, exc)

    profile.save()
    for relation in ("skills", "causes", "languages"):
        if relation in data:
            getattr(profile, relation).set(data[relation])
    if plans is not None:
        _replace_trainings(profile, plans)

    emit(
        VolunteerProfileUpdated(
            actor_id=profile.user_id,
            profile_id=profile.pk,
            fields=tuple(sorted(data)),
            matching_changed=_matching_snapshot(profile) != before,
        )
    )
    return profile


# --- Verification by platform staff -------------------------------------------------------------


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
