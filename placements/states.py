"""The match lifecycle as a state machine: which transitions are allowed, and what each group of
statuses means to the people involved.

``on_hold``: a running (or accepted) match whose volunteer no longer holds a background check or a
training the role needs (see placements/services/rechecks.py). It keeps its place and the
commitment; the system moves it back when the credential is valid again (or a coordinator resumes
it), and either side (or the system) can still complete or withdraw it.
"""

from __future__ import annotations

from matching.models import MatchStatus

S = MatchStatus

#: Transitions the lifecycle allows, from -> to. Everything else answers 409.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.OFFERED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.ACTIVE, S.ON_HOLD, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.ON_HOLD, S.WITHDRAWN}),
    # Back to where it was held from (accepted or active), or ended.
    S.ON_HOLD: frozenset({S.ACCEPTED, S.ACTIVE, S.COMPLETED, S.WITHDRAWN}),
}
#: The volunteer has been told about the match (a volunteer never sees a suggestion).
SHOWN_TO_VOLUNTEER = frozenset({S.OFFERED, S.ACCEPTED, S.ACTIVE, S.ON_HOLD})
#: What counts as a commitment the volunteer made (for max_commitments and hours at accept time).
COMMITTED_STATUSES = frozenset({S.ACCEPTED, S.ACTIVE, S.ON_HOLD})
#: Not yet reviewed or not yet answered: any broken rule withdraws them.
PENDING_STATUSES = frozenset({S.SUGGESTED, S.APPROVED, S.OFFERED})
#: Every status the system re-checks (on a change and in the daily sweep).
RECHECKED_STATUSES = PENDING_STATUSES | COMMITTED_STATUSES
