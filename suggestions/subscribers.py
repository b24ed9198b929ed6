"""What the suggestions app does when other apps report a change (backend/events.py): a profile or
a role that changed in a way the engine reads is rematched by a worker. Subscribers run after the
change committed, so they queue at once."""

from __future__ import annotations

from accounts.events import EmailVerified
from backend.events import subscribe
from opportunities.events import OpportunityChanged
from suggestions import dispatch, scoring_tasks
from suggestions.events import ScoringModelPromoted, ScoringModelRolledBack
from volunteers.events import (
    MATCHING_EVENTS,
    BackgroundCheckRecorded,
    TrainingVerified,
    VolunteerProfileUpdated,
)
from volunteers.models import VolunteerProfile

VolunteerEvent = VolunteerProfileUpdated | BackgroundCheckRecorded | TrainingVerified


def rematch_volunteer(event: VolunteerEvent) -> None:
    dispatch.enqueue("volunteer_rematch_task", event.profile_id)


def rematch_opportunity(event: OpportunityChanged) -> None:
    dispatch.enqueue("opportunity_rematch_task", event.opportunity_id)


def rematch_verified_volunteer(event: EmailVerified) -> None:
    """A volunteer who just verified their email becomes matchable: rematch them now rather than
    at the next full run. (An account without a volunteer profile has nothing to rematch.)"""
    profile_id = (
        VolunteerProfile.objects.filter(user_id=event.user_id).values_list("id", flat=True).first()
    )
    if profile_id is not None:
        dispatch.enqueue("volunteer_rematch_task", profile_id)


def rescore_open_suggestions(event: ScoringModelPromoted | ScoringModelRolledBack) -> None:
    """Another version scores the queues now: every open suggestion is rescored with it."""
    if isinstance(event, ScoringModelPromoted):
        scoring_tasks.rescore_enqueue(event.version_id)
    else:
        scoring_tasks.rescore_enqueue(event.to_version_id)


def _matching_changed(event: VolunteerEvent | OpportunityChanged) -> bool:
    # Verifications always matter; an edit only when it touched what the engine reads.
    return getattr(event, "matching_changed", True)


def register() -> None:
    for event_type in MATCHING_EVENTS:
        subscribe(event_type, rematch_volunteer, when=_matching_changed)
    subscribe(OpportunityChanged, rematch_opportunity, when=_matching_changed)
    subscribe(EmailVerified, rematch_verified_volunteer)
    subscribe(ScoringModelPromoted, rescore_open_suggestions)
    subscribe(ScoringModelRolledBack, rescore_open_suggestions)
