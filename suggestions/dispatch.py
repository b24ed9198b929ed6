"""Queue matching work: a run after commit, a rematch now (from an event subscriber, which runs
after the change committed).

A broker that is down must not fail the user's request: the change is already saved, and the
periodic reconciler re-enqueues every profile or role changed since it was last matched, so
nothing is lost.

Rematches coalesce: while one volunteer's (or role's) rematch is queued and has not started, more
requests for the same id queue nothing, since the queued one reads the state when it starts, so
it matches the latest edit. Twenty edits in a row queue one rematch. A short-lived key in the shared
cache marks "queued, not started"; the task clears it (``rematch_starting``) before it reads
anything, so an edit committed after that point queues a rematch of its own. The key expires after
``COALESCE_SECONDS`` in case its message was lost (a worker or broker that died); the reconciler
matches the change meanwhile, since the profile stays newer than its last match.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

#: Tasks whose requests for one id share a queued task.
COALESCED_TASKS = frozenset({"volunteer_rematch_task", "opportunity_rematch_task"})
#: How long "a rematch of this id is queued" is believed without the task starting: well above
#: the rematch queue's usual wait (a rematch takes 10-100 ms), well below the reconciler's tick.
COALESCE_SECONDS = 120


def _pending_key(task_name: str, object_id: int | str) -> str:
    return f"suggestions:queued:{task_name}:{object_id}"


def _claim(task_name: str, object_id: int | str) -> bool:
    """True when no rematch of this id is queued yet (this caller queues it)."""
    try:
        return bool(cache.add(_pending_key(task_name, object_id), 1, timeout=COALESCE_SECONDS))
    except Exception:  # the cache shares the broker's server; queue anyway, never fail the request
        return True


def _release(task_name: str, object_id: int | str) -> None:
    try:
        cache.delete(_pending_key(task_name, object_id))
    except Exception:  # an unreachable cache: the key expires on its own
        logger.warning("Could not clear the queued mark of %s(%s)", task_name, object_id)


def rematch_starting(task_name: str, object_id: int | str) -> None:
    """A rematch task calls this first, before reading the profile or role: later requests for
    the same id queue a rematch of their own."""
    _release(task_name, object_id)


def enqueue(task_name: str, object_id: int | str) -> None:
    """Queue ``tasks.<task_name>(object_id)`` now (or not, when the same rematch is already queued
    and has not started), logging (not raising) a broker failure."""
    coalesced = task_name in COALESCED_TASKS
    if coalesced and not _claim(task_name, object_id):
        return
    from suggestions import tasks  # here: the tasks call rematch_starting

    task = getattr(tasks, task_name)
    try:
        task.delay(object_id)
    except Exception:  # kombu raises many types for an unreachable broker; the reconciler recovers
        if coalesced:
            _release(task_name, object_id)  # nothing is queued: the next edit must try again
        logger.warning(
            "Could not queue %s(%s); the reconciler will pick it up", task_name, object_id
        )


def request_match_run(run_id: object) -> None:
    """Queue a run's fan-out after commit; a run queued while the broker was down is picked up by
    the reconciler (it re-queues runs that have not moved for a few minutes)."""
    transaction.on_commit(lambda: enqueue("match_run_start_task", str(run_id)))
