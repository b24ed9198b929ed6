"""Queue matching work: a run after commit, a rematch now (from an event subscriber, which runs
after the change committed).

A broker that is down must not fail the user's request: the change is already saved, and the
periodic reconciler re-enqueues every profile or role changed since it was last matched, so
nothing is lost.
"""

from __future__ import annotations

import logging

from django.db import transaction

from suggestions import tasks

logger = logging.getLogger(__name__)


def enqueue(task_name: str, object_id: int | str) -> None:
    """Queue ``tasks.<task_name>(object_id)`` now, logging (not raising) a broker failure."""
    task = getattr(tasks, task_name)
    try:
        task.delay(object_id)
    except Exception:  # kombu raises many types for an unreachable broker; the reconciler recovers
        logger.warning(
            "Could not queue %s(%s); the reconciler will pick it up", task_name, object_id
        )


def request_match_run(run_id: object) -> None:
    """Queue a run's fan-out after commit; a run queued while the broker was down is picked up by
    the reconciler (it re-queues runs that have not moved for a few minutes)."""
    transaction.on_commit(lambda: enqueue("match_run_start_task", str(run_id)))
