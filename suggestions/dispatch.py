"""Queue matching work after the surrounding transaction commits.

Services that change a volunteer profile or a role call these. A broker that is down must not fail
the user's request: the change is already saved, and the periodic reconciler re-enqueues every
profile or role changed since it was last matched, so nothing is lost.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _enqueue(task_name: str, object_id: int | str) -> None:
    from suggestions import tasks

    task = getattr(tasks, task_name)
    try:
        task.delay(object_id)
    except Exception:  # kombu raises many types for an unreachable broker; the reconciler recovers
        logger.warning(
            "Could not queue %s(%s); the reconciler will pick it up", task_name, object_id
        )


def request_volunteer_rematch(profile_id: int) -> None:
    transaction.on_commit(lambda: _enqueue("volunteer_rematch_task", profile_id))


def request_opportunity_rematch(opportunity_id: int) -> None:
    transaction.on_commit(lambda: _enqueue("opportunity_rematch_task", opportunity_id))


def request_match_run(run_id: object) -> None:
    """Queue a run's fan-out after commit; a run queued while the broker was down is picked up by
    the reconciler (it re-queues runs that have not moved for a few minutes)."""
    transaction.on_commit(lambda: _enqueue("match_run_start_task", str(run_id)))
