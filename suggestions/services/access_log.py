"""Lived experience: when a review row may show it, and the access log of every time it did.

A volunteer's lived experience of mental illness is shown to an organization only when the
organization is verified, the role values lived experience and the volunteer shares it (consent,
which they can withdraw at any time: it is read fresh for every row). Each row that shows it writes
one ``LivedExperienceRead`` to the audit log (who read, whose, which role, when); the volunteer
reads those entries at ``GET /api/v1/volunteers/me/lived-experience/reads/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEntry
from backend.events import emit_many
from matching.models import Match
from organizations.membership import signed_in
from suggestions.events import LivedExperienceRead
from volunteers.models import VolunteerProfile


def lived_experience_shown(match: Match) -> bool:
    """May the review row of this match show the volunteer's lived experience?"""
    role, profile = match.opportunity, match.volunteer
    return bool(
        role.organization.is_verified
        and role.lived_experience_valued
        and profile.share_lived_experience
        and profile.lived_experience
    )


def lived_experience_reads_record(*, actor: Any, matches: Iterable[Match]) -> int:
    """Write one access-log entry per match whose row showed the lived experience to ``actor``
    (one insert for a whole page); returns how many."""
    events = [
        LivedExperienceRead(
            actor_id=actor.pk, profile_id=match.volunteer_id, opportunity_id=match.opportunity_id
        )
        for match in matches
        if lived_experience_shown(match)
    ]
    emit_many(events)
    return len(events)


def lived_experience_reads_of(user: Any) -> QuerySet[AuditEntry]:
    """The reads of the caller's own lived experience, newest first (none without a profile)."""
    if not signed_in(user):
        return AuditEntry.objects.none()
    profile_ids = VolunteerProfile.objects.filter(user=user).values_list("id", flat=True)
    return (
        AuditEntry.objects.filter(
            event=LivedExperienceRead.name,
            subject_type="profile",
            subject_id__in=[str(pk) for pk in profile_ids],
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
