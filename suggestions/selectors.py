"""Who may see suggestions and runs: the coordinators' review queue and the matching runs.

A coordinator or admin sees the matches of their own organizations' roles and nothing else
(``matching.selectors``); a run is visible to whoever requested it and to platform staff.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from matching.models import Match, MatchRun
from matching.selectors import matches_for_coordinator
from organizations.membership import signed_in
from volunteers.models import TrainingRecord


def match_runs_visible_to(user: Any) -> QuerySet[MatchRun]:
    if not signed_in(user):
        return MatchRun.objects.none()
    if user.is_staff:
        return MatchRun.objects.all()
    return MatchRun.objects.filter(requested_by=user)


def review_queue_for(user: Any) -> QuerySet[Match]:
    """Matches of roles of the user's organizations, with everything a review row shows loaded
    in a fixed number of queries (no N+1 however long the page)."""
    return (
        matches_for_coordinator(user)
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
