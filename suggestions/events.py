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
