"""Which transitions somebody hears about. The notices themselves are queued by
``notifications.subscribers`` after the change commits."""

from __future__ import annotations

from matching.models import MatchStatus

#: Transitions somebody hears about.
NOTIFIED_STATUSES = frozenset(
    {
        MatchStatus.OFFERED,
        MatchStatus.ACCEPTED,
        MatchStatus.DECLINED,
        MatchStatus.WITHDRAWN,
        MatchStatus.COMPLETED,
    }
)
