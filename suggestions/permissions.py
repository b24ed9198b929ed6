"""Who may act on suggestions."""

from __future__ import annotations

from typing import Any

from organizations.membership import belongs_to_an_organization, signed_in
from organizations.permissions import is_platform_staff


def can_start_match_run(user: Any) -> bool:
    """Platform staff, and the coordinators and admins of any organization.

    A run only recomputes suggestions (nothing is approved or sent), it is idempotent, and only one
    runs at a time, so every coordinator may refresh the queue they review; volunteers may not.
    """
    return signed_in(user) and (bool(user.is_staff) or belongs_to_an_organization(user))


def can_manage_scoring_model(user: Any) -> bool:
    """Platform staff: the scoring model scores every organization's queues."""
    return is_platform_staff(user)
