"""Matching reads that span models: the coordinators' review queue and matching runs.

Who may see a thing is decided here, as a queryset filter: a coordinator or admin sees the matches
of their own organizations' roles and nothing else (a volunteer, who belongs to no organization,
sees none); a run is visible to whoever requested it and to platform staff.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from matching.models import Match, MatchRun
from organizations.models import Membership
from volunteers.models import TrainingRecord


def is_organization_member(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and Membership.objects.filter(user=user).exists()
    )


def can_start_match_run(user: Any) -> bool:
    """Platform staff, and the coordinators and admins of any organization.

    A run only recomputes suggestions (nothing is approved or sent), it is idempotent, and only one
    runs at a time, so every coordinator may refresh the queue they review; volunteers may not.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or is_organization_member(user)


def match_runs_visible_to(user: Any) -> QuerySet[MatchRun]:
    if not getattr(user, "is_authenticated", False):
        return MatchRun.objects.none()
    if user.is_staff:
        return MatchRun.objects.all()
    return MatchRun.objects.filter(requested_by=user)


def review_queue_for(user: Any) -> QuerySet[Match]:
    """Matches of roles of the user's organizations, with everything a review row shows loaded
    in a fixed number of queries (no N+1 however long the page).

    Platform staff get no special view here: a volunteer's profile details are shown only to the
    organizations the volunteer might work with.
    """
    if not getattr(user, "is_authenticated", False):
        return Match.objects.none()
    return (
        Match.objects.for_coordinator(user)
        .select_related("opportunity", "volunteer")
        .prefetch_related(
            "volunteer__skills",
            "volunteer__causes",
            "volunteer__languages",
            Prefetch(
                "volunteer__trainings",
                queryset=TrainingRecord.objects.select_related("training_type"),
            ),
            "opportunity__required_trainings",
        )
    )
