"""What the placements app does when other apps report a change (backend/events.py): the open
matches of a volunteer or a role that changed in a way the engine reads, and of a volunteer who
just accepted a role, are re-checked at once by a worker (withdrawn, held or resumed: placements/services/rechecks.py). A change whose task was lost
(the broker was down) is caught by the daily sweep."""

from __future__ import annotations

import logging

from backend.events import subscribe
from matching.models import MatchStatus
from opportunities.events import OpportunityChanged
from placements import tasks
from placements.events import MatchTransitioned
from volunteers.events import (
    MATCHING_EVENTS,
    BackgroundCheckRecorded,
    TrainingVerified,
    VolunteerProfileUpdated,
)

logger = logging.getLogger(__name__)

VolunteerEvent = VolunteerProfileUpdated | BackgroundCheckRecorded | TrainingVerified


def _enqueue(task, object_id: int) -> None:  # type: ignore[no-untyped-def]
    try:
        task.delay(object_id)
    except Exception:  # kombu raises many types for an unreachable broker; the sweep recovers
        logger.warning("Could not queue %s(%s); the daily sweep catches it", task.name, object_id)


def recheck_volunteer(event: VolunteerEvent) -> None:
    _enqueue(tasks.lifecycle_volunteer_recheck_task, event.profile_id)


def recheck_opportunity(event: OpportunityChanged) -> None:
    _enqueue(tasks.lifecycle_opportunity_recheck_task, event.opportunity_id)


def recheck_after_commitment(event: MatchTransitioned) -> None:
    _enqueue(tasks.lifecycle_commitment_recheck_task, event.match_id)


def _matching_changed(event: VolunteerEvent | OpportunityChanged) -> bool:
    return getattr(event, "matching_changed", True)


def register() -> None:
    for event_type in MATCHING_EVENTS:
        subscribe(event_type, recheck_volunteer, when=_matching_changed)
    subscribe(OpportunityChanged, recheck_opportunity, when=_matching_changed)
    # A new commitment counts against the volunteer's other offers (max_commitments, hours).
    subscribe(
        MatchTransitioned,
        recheck_after_commitment,
        when=lambda event: (
            event.to_status == MatchStatus.ACCEPTED and event.from_status == MatchStatus.OFFERED
        ),
    )
