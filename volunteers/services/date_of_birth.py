"""A date of birth, once set, changes only here: platform staff correct it, with a note saying
why (the volunteer's own edit refuses a change, ``profile_update``). Each correction is a
``DateOfBirthCorrection`` row the volunteer can read, and matching re-runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ForbiddenError
from backend.events import emit
from volunteers.events import VolunteerProfileUpdated
from volunteers.models import DateOfBirthCorrection, VolunteerProfile, validate_date_of_birth
from volunteers.permissions import can_confirm_verification

NOT_ALLOWED_TO_CORRECT_MESSAGE = gettext_noop(
    "Only platform staff correct a date of birth, and never their own."
)
INVALID_CORRECTION_MESSAGE = gettext_noop("The date of birth was not corrected.")
CORRECTION_NOTE_REQUIRED_MESSAGE = gettext_noop(
    "Say why the date of birth is corrected (for example, the document you saw)."
)
CORRECTION_SAME_DATE_MESSAGE = gettext_noop("This is already the volunteer's date of birth.")


@transaction.atomic
def date_of_birth_correct(
    *, profile: VolunteerProfile, date_of_birth: dt.date, note: str, actor: Any
) -> DateOfBirthCorrection:
    if not can_confirm_verification(actor, profile):
        raise ForbiddenError(gettext(NOT_ALLOWED_TO_CORRECT_MESSAGE))
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = [gettext(CORRECTION_NOTE_REQUIRED_MESSAGE)]
    try:
        validate_date_of_birth(date_of_birth)
    except ValidationError as exc:
        errors["date_of_birth"] = list(exc.messages)
    else:
        if date_of_birth == profile.date_of_birth:
            errors["date_of_birth"] = [gettext(CORRECTION_SAME_DATE_MESSAGE)]
    if errors:
        raise ApplicationError(gettext(INVALID_CORRECTION_MESSAGE), fields=errors)

    profile.date_of_birth = date_of_birth
    profile.save(update_fields=["date_of_birth", "updated_at"])
    correction = DateOfBirthCorrection.objects.create(
        profile=profile, corrected_by=actor, note=note
    )
    emit(
        VolunteerProfileUpdated(
            actor_id=actor.pk,
            profile_id=profile.pk,
            fields=("date_of_birth",),
            matching_changed=True,
        )
    )
    return correction
