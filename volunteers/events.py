"""What the volunteers app tells the others (backend/events.py). Ids and field names only."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class VolunteerProfileUpdated(DomainEvent):
    """The volunteer edited their profile. ``matching_changed``: a field the engine reads changed
    (skills, place, trainings...), so their suggestions are out of date."""

    name = "volunteer_profile_updated"
    subject = "profile_id"
    profile_id: int
    fields: tuple[str, ...]
    matching_changed: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class BackgroundCheckRecorded(DomainEvent):
    """Platform staff recorded the outcome of a volunteer's background check (who, and when, is
    the audit row: the profile keeps only the latest)."""

    name = "background_check_recorded"
    subject = "profile_id"
    profile_id: int
    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class TrainingVerified(DomainEvent):
    name = "training_verified"
    subject = "profile_id"
    profile_id: int
    training: str


#: Events after which a volunteer's suggestions must be recomputed.
MATCHING_EVENTS = (VolunteerProfileUpdated, BackgroundCheckRecorded, TrainingVerified)
