"""The match lifecycle as a state machine: which transitions are allowed, and what each group of
statuses means to the people involved."""

from __future__ import annotations

from matching.models import MatchStatus

S = MatchStatus

#: Transitions the lifecycle allows, from -> to. Everything else answers 409.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.OFFERED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.WITHDRAWN}),
}
#: The volunteer has been told about the match (a volunteer never sees a suggestion).
SHOWN_TO_VOLUNTEER = frozenset({S.OFFERED, S.ACCEPTED, S.ACTIVE})
#: What counts as a commitment the volunteer made (for max_commitments and hours at accept time).
COMMITTED_STATUSES = frozenset({S.ACCEPTED, S.ACTIVE})
