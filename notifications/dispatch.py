"""Queue notification work after the surrounding transaction commits.

A broker that is down must not fail the request that changed the match: the change is saved, and
the daily sweep re-sends notices for recent transitions that have none (``notices_reconcile``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from matching.models import MatchStatus, MatchTransition

logger = logging.getLogger(__name__)

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


def _enqueue(transition_id: int) -> None:
    from notifications.tasks import notify_transition_task

    try:
        notify_transition_task.delay(transition_id)
    except (OperationalError, OSError):
        logger.warning(
            "Could not queue notice of transition %s; the sweep resends it", transition_id
        )


def queue_transition_notice(transition: MatchTransition) -> None:
    if transition.to_status not in NOTIFIED_STATUSES:
        return
    transition_id = transition.pk
    transaction.on_commit(lambda: _enqueue(transition_id))
