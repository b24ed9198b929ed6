"""The volunteer's own edits to their profile: plain fields, modes and availability, location,
the declared background check and trainings; matching re-runs when what it reads changed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError
from backend.events import emit
from backend.places import postcode_coordinates, postcode_normalise
from opportunities.models import TRAVEL_MODES, Mode
from taxonomy.availability import normalise_slots
from volunteers.events import VolunteerProfileUpdated
from volunteers.models import ENGINE_FIELDS, BackgroundCheckStatus, VolunteerProfile
from volunteers.services.declared_trainings import plan_trainings, replace_trainings

INVALID_PROFILE_MESSAGE = gettext_noop("The profile has invalid fields; nothing was changed.")
COORDINATES_TOGETHER_MESSAGE = gettext_noop("Give latitude and longitude together, or neither.")
LOCATION_REQUIRED_MESSAGE = gettext_noop(
    "In-person and hybrid roles need a location: enter a US ZIP code we can locate, "
    "or latitude and longitude."
)
CHECK_STATUS_STAFF_ONLY_MESSAGE = gettext_noop(
    "You can declare a background check as 'none' or 'pending'; "
    "only platform staff record a cleared or expired check."
)
CLEARED_CHECK_LOCKED_MESSAGE = gettext_noop(
    "Your background check is cleared; only platform staff can change it."
)
CHECK_DATES_STAFF_ONLY_MESSAGE = gettext_noop(
    "Only platform staff record the dates of a background check."
)
DATE_OF_BIRTH_LOCKED_MESSAGE = gettext_noop(
    "Your date of birth is already set and cannot be changed here: if it is wrong, ask platform "
    "staff to correct it."
)

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
            errors[field] = [gettext(COORDINATES_TOGETHER_MESSAGE)]
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
        errors.setdefault("postcode", []).append(gettext(LOCATION_REQUIRED_MESSAGE))


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
        errors["background_check"] = [gettext(CLEARED_CHECK_LOCKED_MESSAGE)]
        return
    if wanted[0] not in (BackgroundCheckStatus.NONE, BackgroundCheckStatus.PENDING):
        errors["background_check"] = [gettext(CHECK_STATUS_STAFF_ONLY_MESSAGE)]
        return
    if wanted[1:] != current[1:]:
        errors["background_check"] = [gettext(CHECK_DATES_STAFF_ONLY_MESSAGE)]
        return
    # A volunteer's declaration is unverified by nature: it replaces whatever staff recorded.
    profile.background_check_status = wanted[0]
    profile.background_check_cleared_on = None
    profile.background_check_expires_on = None
    profile.background_check_verified_by = None
    profile.background_check_verified_at = None
    profile.background_check_verified_for = None
    profile.background_check_note = ""


def _raise_with(errors: dict[str, list[str]], exc: ValidationError | None = None) -> None:
    merged = {key: list(messages) for key, messages in errors.items()}
    if exc is not None:
        for field, messages in exc.message_dict.items():
            key = "non_field_errors" if field == "__all__" else field
            merged.setdefault(key, []).extend(m for m in messages if m not in merged.get(key, []))
    raise ApplicationError(gettext(INVALID_PROFILE_MESSAGE), fields=merged)


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

    if (
        "date_of_birth" in data
        and profile.date_of_birth is not None
        and data["date_of_birth"] != profile.date_of_birth
    ):
        # Set once by the volunteer; after that only staff correct it, with a note
        # (volunteers.services.date_of_birth): an age that can be retyped proves nothing.
        errors["date_of_birth"] = [gettext(DATE_OF_BIRTH_LOCKED_MESSAGE)]
    was_shared = profile.share_lived_experience
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    if was_shared and not profile.share_lived_experience:
        # Consent withdrawn: the text is deleted at once, not kept hidden.
        profile.lived_experience = ""
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
    plans = plan_trainings(profile, data["trainings"], errors) if "trainings" in data else None

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
        replace_trainings(profile, plans)

    emit(
        VolunteerProfileUpdated(
            actor_id=profile.user_id,
            profile_id=profile.pk,
            fields=tuple(sorted(data)),
            matching_changed=_matching_snapshot(profile) != before,
        )
    )
    return profile
