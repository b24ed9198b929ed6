"""What the suggestions app does when other apps report a change (backend/events.py): a profile or
a role that changed in a way the engine reads is rematched by a worker. Subscribers run after the
change committed, so they queue at once."""

from __future__ import annotations

from backend.events import subscribe
from opportunities.events import OpportunityChanged
from suggestions import dispatch
from volunteers.events import (
    MATCHING_EVENTS,
    BackgroundCheckRecorded,
    TrainingVerified,
    VolunteerProfileUpdated,
)

VolunteerEvent = VolunteerProfileUpdated | BackgroundCheckRecorded | TrainingVerified


def rematch_volunteer(event: VolunteerEvent) -> None:
    dispatch.enqueue("volunteer_rematch_task", event.profile_id)


def rematch_opportunity(event: OpportunityChanged) -> None:
    dispatch.enqueue("opportunity_rematch_task", event.opportunity_id)


def _matching_changed(event: VolunteerEvent | OpportunityChanged) -> bool:
    # Verifications always matter; an edit only when it touched what the engine reads.
    return getattr(event, "matching_changed", True)


def register() -> None:
    for event_type in MATCHING_EVENTS:
        subscribe(event_type, rematch_volunteer, when=_matching_changed)
    subscribe(OpportunityChanged, rematch_opportunity, when=_matching_changed)
