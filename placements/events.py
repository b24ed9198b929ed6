"""What the placements app tells the others (backend/events.py)."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class MatchTransitioned(DomainEvent):
    """A match moved from one status to another; ``transition_id`` is its audit row
    (``matching.MatchTransition``), which says who, why and when."""

    name = "match_transitioned"
    subject = "match_id"
    match_id: int
    transition_id: int
    from_status: str
    to_status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InterestRequestChanged(DomainEvent):
    """A volunteer asked to be considered for a role, or withdrew the request, or a coordinator
    accepted or declined it (``to_status``; ``reason`` is the decline's code). ``match_id`` is the
    match an acceptance approved."""

    name = "interest_request_changed"
    subject = "interest_id"
    interest_id: int
    opportunity_id: int
    to_status: str
    reason: str = ""
    match_id: int | None = None
