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
    """Platform staff or a coordinator recorded the outcome of a volunteer's background check (who,
    and when, is the audit row: the profile keeps only the latest). ``organization_id``: the
    organization whose roles it counts for (a coordinator's record), None for every role;
    ``confirmed``: staff confirmed a coordinator's record, so it now counts for every role."""

    name = "background_check_recorded"
    subject = "profile_id"
    profile_id: int
    status: str
    organization_id: int | None = None
    confirmed: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class TrainingVerified(DomainEvent):
    """A training was verified (``organization_id`` as for a check) or, ``confirmed``, a
    coordinator's verification was confirmed by staff for every role."""

    name = "training_verified"
    subject = "profile_id"
    profile_id: int
    training: str
    organization_id: int | None = None
    confirmed: bool = False


#: Events after which a volunteer's suggestions must be recomputed.
MATCHING_EVENTS = (VolunteerProfileUpdated, BackgroundCheckRecorded, TrainingVerified)
