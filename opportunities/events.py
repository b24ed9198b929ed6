"""What the opportunities app tells the others (backend/events.py)."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class OpportunityChanged(DomainEvent):
    """A role was created, edited, published or closed (``change``). ``matching_changed``: the set
    of volunteers it suits may differ now (a published role edited, published or closed)."""

    name = "opportunity_changed"
    subject = "opportunity_id"
    opportunity_id: int
    change: str
    fields: tuple[str, ...] = ()
    matching_changed: bool = True
