"""What the accounts app tells the others (backend/events.py). Ids only."""

from __future__ import annotations

import dataclasses

from backend.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class EmailVerified(DomainEvent):
    """The owner of an account proved they receive its email (a verification link, or a password
    reset link, followed). A volunteer becomes matchable from here on
    (``suggestions.subscribers`` rematches them)."""

    name = "email_verified"
    subject = "user_id"
    user_id: int
