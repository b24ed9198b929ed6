"""A volunteer's data rights: a copy of everything held about them (GDPR art. 15 and 20) and
erasure (art. 17).

What is "about them" is what the models mark (``backend/personal.py``): the export walks every
marked model, so a model or field marked personal is exported and erased without a change here.
Erasure keeps the rows other people's records need (matches, their transitions, hours, ratings'
scores) pointing at a profile named "Former volunteer" with no personal field left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.services import sign_in_records, user_erase
from accounts.services.erasure import (
    account_eraser_register,
    account_erasure_step_register,
    task_results_naming_delete,
)
from accounts.services.retention import retention_purge_register
from audit.models import AuditEntry
from backend.errors import ApplicationError
from backend.events import DomainEvent, emit
from backend.personal import erase_rows as erase_model_rows
from backend.personal import export_rows, personal_models, scrub_mentions
from organizations.models import Invitation
from volunteers.events import VolunteerProfileUpdated
from volunteers.models import VolunteerProfile

ERASE_REFUSED_MESSAGE = gettext_noop("Your account was not deleted; nothing was changed.")
PASSWORD_REQUIRED_MESSAGE = gettext_noop("Enter your password to delete your account.")
PASSWORD_WRONG_MESSAGE = gettext_noop("That password is not right.")
FORMER_VOLUNTEER = "Former volunteer"
LIVED_EXPERIENCE_READ_EVENT = "lived_experience_read"  # suggestions.events.LivedExperienceRead
#: The task parameter that carries a volunteer profile's id (rematch, re-check).
PROFILE_ID_PARAMETER = "profile_id"

#: Section names of the export for the models known today; a model marked later appears under
#: its label (``app.model``) until it is named here.
SECTIONS = {
    "accounts.user": "account",
    "volunteers.volunteerprofile": "profile",
    "volunteers.trainingrecord": "trainings",
    "volunteers.dateofbirthcorrection": "date_of_birth_corrections",
    "matching.match": "matches",
    "matching.matchtransition": "match_history",
    "engagement.hourslog": "hours",
    "engagement.rating": "ratings",
    "engagement.calendarfeed": "calendar_feed",
    "notifications.notification": "notifications",
    "audit.auditentry": "actions",
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class VolunteerErased(DomainEvent):
    """A volunteer erased their account. Ids only: the profile row stays, blanked."""

    name = "volunteer_erased"
    subject = "profile_id"
    profile_id: int


def _entries_about(profile: VolunteerProfile) -> list[dict[str, Any]]:
    """Audit entries about the profile: the access log of who read the lived experience among
    them (``event == "lived_experience_read"``, the reader in ``actor_id``)."""
    entries = AuditEntry.objects.filter(
        subject_type="profile", subject_id=str(profile.pk)
    ).order_by("created_at", "id")
    return [
        {
            "id": entry.pk,
            "created_at": entry.created_at.isoformat(),
            "event": entry.event,
            "actor_id": entry.actor_id,
            "data": entry.data,
        }
        for entry in entries
    ]


def volunteer_export(*, profile: VolunteerProfile) -> dict[str, Any]:
    """Everything held about the profile's volunteer, as JSON-ready data. A fixed number of
    queries: one per marked model (plus one per personal many-to-many field), one for the
    audit entries about the profile and three for the sign-in records."""
    user = profile.user
    export: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for model in personal_models():
        label = model._meta.label_lower
        rows = export_rows(model, user)
        section = SECTIONS.get(label, label)
        export[section] = rows[0] if section == "account" and rows else rows
    entries = _entries_about(profile)
    export["sign_ins"] = sign_in_records(user=user)
    export["about_profile"] = entries
    export["lived_experience_reads"] = [
        entry for entry in entries if entry["event"] == LIVED_EXPERIENCE_READ_EVENT
    ]
    return export


def volunteer_erase(*, profile: VolunteerProfile, password: str | None) -> VolunteerProfile:
    """Erase the volunteer, once their password is confirmed (``DELETE volunteers/me/``): see
    ``_erase``."""
    user = profile.user
    if not password:
        raise ApplicationError(
            gettext(ERASE_REFUSED_MESSAGE),
            fields={"password": [gettext(PASSWORD_REQUIRED_MESSAGE)]},
        )
    if not user.check_password(password):
        raise ApplicationError(
            gettext(ERASE_REFUSED_MESSAGE), fields={"password": [gettext(PASSWORD_WRONG_MESSAGE)]}
        )
    return _erase(profile)


def volunteer_account_erase(*, user: Any) -> bool:
    """Erase the account's volunteer with no password asked, by the same steps as their own
    request: the retention sweep (an account unused for the retention period, after two warnings)
    and staff's "Erase account" admin action, through ``accounts.services.account_erase``, which
    this app registers it with. False when the account has no volunteer profile."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        return False
    _erase(profile)
    return True


def _erase(profile: VolunteerProfile) -> VolunteerProfile:
    """Erase the volunteer in one transaction: personal fields blanked (the profile is named
    "Former volunteer" and paused, so it is never matched again), trainings, notifications,
    calendar feed, tokens, sessions, invitations to their address and task results naming them
    deleted, the account deactivated with a non-address for an email and an unusable password.
    Matches, their history and hours stay."""
    user = profile.user
    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
        mentions = {
            profile.display_name: FORMER_VOLUNTEER,
            user.get_full_name(): FORMER_VOLUNTEER,
            user.email: FORMER_VOLUNTEER,
        }
        for model in personal_models():
            scrub_mentions(model, user, mentions)
            erase_model_rows(model, user)
        VolunteerProfile.objects.filter(pk=profile.pk).update(paused=True)
        # Tasks take ids: a rematch or re-check that ran for her profile is stored with it.
        task_results_naming_delete(ids={PROFILE_ID_PARAMETER: profile.pk})
        user_erase(user=user)
        emit(VolunteerErased(actor_id=user.pk, profile_id=profile.pk))
        # What matching reads is gone (and the profile paused): the open matches are re-checked,
        # so no offer waits for a volunteer who left; started ones stay for the organization.
        emit(
            VolunteerProfileUpdated(
                actor_id=user.pk,
                profile_id=profile.pk,
                fields=tuple(sorted(VolunteerProfile.PERSONAL_FIELDS)),
                matching_changed=True,
            )
        )
    profile.refresh_from_db()
    return profile


def invitations_to_account_delete(*, user: Any) -> int:
    """Delete the organizations' invitations sent to the account's address (pending or answered:
    each names the person by their email); an erasure step of ``accounts.services.user_erase``."""
    return Invitation.objects.filter(email__iexact=user.email).delete()[0]


def lived_experience_reads_purge(*, before: dt.datetime) -> int:
    """Delete the access-log entries of reads of lived experience older than ``before`` (the
    retention sweep: ``SECURITY_LOG_RETENTION_DAYS``). Other audit entries stay: they explain
    the matches the organizations keep."""
    rows = AuditEntry.objects.filter(event=LIVED_EXPERIENCE_READ_EVENT, created_at__lt=before)
    return rows.delete()[0]


def data_rights_register() -> None:
    """Tell the accounts layer (below this app) how a volunteer is erased and what else goes with
    an account; called by ``VolunteersConfig.ready``."""
    account_eraser_register(volunteer_account_erase)
    account_erasure_step_register(invitations_to_account_delete)
    retention_purge_register(
        name="lived_experience_reads",
        purge=lived_experience_reads_purge,
        days_setting="SECURITY_LOG_RETENTION_DAYS",
    )
