"""What the suggestions app records (backend/events.py)."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class LivedExperienceRead(DomainEvent):
    """A coordinator (``actor_id``) was shown a volunteer's lived experience in the review row of
    one of their roles. Ids only: the volunteer reads these entries as their access log."""

    name = "lived_experience_read"
    subject = "profile_id"
    profile_id: int
    opportunity_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScoringModelPromoted(DomainEvent):
    """A scoring model version became current: by the nightly refit (``actor_id`` empty) when it
    beat the current one beyond chance, or by platform staff. Every open suggestion is rescored
    with it (``matching.scoring_model_rescore``)."""

    name = "scoring_model_promoted"
    subject = "version_id"
    version_id: int
    previous_version_id: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScoringModelRolledBack(DomainEvent):
    """Platform staff took the current version back; the one promoted before it (``to_version_id``,
    empty for the hand-set weights) scores again, and every open suggestion is rescored with it."""

    name = "scoring_model_rolled_back"
    subject = "version_id"
    version_id: int
    to_version_id: int | None = None
