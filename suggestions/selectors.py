"""Who may see suggestions and runs: the coordinators' review queue and the matching runs.

A coordinator or admin sees the matches of their own organizations' roles and nothing else
(``matching.selectors``); a run is visible to whoever requested it and to platform staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from backend.related_lists import related_lists
from matching.models import Match, MatchRun
from matching.selectors import matches_for_coordinator
from opportunities.models import Opportunity
from organizations.membership import signed_in
from volunteers.models import TrainingRecord, VolunteerProfile


def match_runs_visible_to(user: Any) -> QuerySet[MatchRun]:
    if not signed_in(user):
        return MatchRun.objects.none()
    if user.is_staff:
        return MatchRun.objects.all()
    return MatchRun.objects.filter(requested_by=user)


def review_queue_for(user: Any) -> QuerySet[Match]:
    """Matches of roles of the user's organizations, with everything a review row shows loaded
    in a fixed number of queries (no N+1 however long the page): the volunteers' skills, causes
    and languages and the roles' required trainings come with the page, in one query each
    (``volunteer_review_lists``, ``required_training_ids``, called by the serializer of the
    rows)."""
    return (
        matches_for_coordinator(user)
        .select_related("opportunity", "volunteer")
        .prefetch_related(
            Prefetch(
                "volunteer__trainings",
                queryset=TrainingRecord.objects.select_related("training_type"),
            ),
        )
    )


#: What a review row shows of each of the volunteer's lists: (relation, fields of an item).
_VOLUNTEER_LISTS = (
    ("skills", ("slug", "name")),
    ("causes", ("slug", "name")),
    ("languages", ("code", "name")),
)


def volunteer_review_lists(profile_ids: Iterable[int]) -> dict[int, dict[str, list[Any]]]:
    """{profile id: {"skills"|"causes"|"languages": [(key, name)]}}, each in its model's order,
    in one query (three prefetches built a model and a manager per item)."""
    return related_lists(VolunteerProfile, _VOLUNTEER_LISTS, profile_ids)


def required_training_ids(opportunity_ids: Iterable[int]) -> dict[int, set[int]]:
    """{role id: ids of the trainings it requires}, in one query."""
    lists = related_lists(Opportunity, (("required_trainings", ("id",)),), opportunity_ids)
    return {pk: set(found["required_trainings"]) for pk, found in lists.items()}
