"""Celery tasks of the matching engine. Tasks take ids, are safe to run twice, and call one service.

Delivery: ``acks_late`` + ``task_reject_on_worker_lost`` (settings) put a task whose worker died
back on the queue, so every task here must be idempotent: the services upsert suggestions and count
a run's chunk once with a conditional update. Transient database and broker errors are retried
with exponential back-off. Time limits stay well below the broker's visibility timeout (3,600 s by
default), so a task that is still running is never handed to a second worker as if it were lost.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task, group, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from suggestions import (  # noqa: F401  (registers the model-version and retention tasks)
    dispatch,
    retention_tasks,
    scoring_tasks,
)
from suggestions.services import reconcile, rematch, runs, scoring_model

logger = logging.getLogger(__name__)

#: Errors worth another try: a database restarting or locked, a connection reset, a broker blip.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,  # 2, 4, 8, 16, 32 s (+ jitter): a database restart takes ~10-30 s
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}
#: Profiles or roles re-enqueued per reconciler tick (every 5 minutes). A single rematch takes
#: ~10-50 ms on the 2-core box, so 500 is under a minute of worker time per tick even in the worst
#: case, and a backlog (say after a bulk import) drains at 6,000 an hour without starving edits.
RECONCILE_BATCH = 500


@shared_task(name="matching.ping")
def ping() -> str:
    """A no-op round trip used by health checks and tests of the worker wiring."""
    return "pong"


@shared_task(name="matching.volunteer_rematch", soft_time_limit=60, time_limit=90, **RETRY)
def volunteer_rematch_task(profile_id: int) -> dict[str, int]:
    """Recompute one volunteer's suggestions (queued after their profile changed)."""
    dispatch.rematch_starting("volunteer_rematch_task", profile_id)  # before reading her profile
    result = rematch.volunteer_rematch(profile_id=profile_id)
    return {"stored": result.stored, "withdrawn": result.withdrawn}


@shared_task(name="matching.opportunity_rematch", soft_time_limit=120, time_limit=180, **RETRY)
def opportunity_rematch_task(opportunity_id: int) -> dict[str, int]:
    """Recompute one role's suggestions (queued after it was posted, edited, closed or filled)."""
    dispatch.rematch_starting("opportunity_rematch_task", opportunity_id)  # before reading it
    result = rematch.opportunity_rematch(opportunity_id=opportunity_id)
    return {"stored": result.stored, "withdrawn": result.withdrawn}


class _ChunkTask(Task):
    """Records a chunk that failed for good in its run, so a run never sits "running" forever."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        chunk_id = kwargs.get("chunk_id", args[0] if args else None)
        if chunk_id is not None:
            runs.match_run_chunk_fail(chunk_id=int(chunk_id), error=f"{type(exc).__name__}: {exc}")


@shared_task(
    name="matching.match_run_chunk",
    base=_ChunkTask,
    bind=True,
    soft_time_limit=300,
    time_limit=360,
    **RETRY,
)
def match_run_chunk_task(
    self: Task, chunk_id: int, waiting_since: float | None = None, seen: int | None = None
) -> dict[str, Any]:
    """Match one chunk of a full run; a chunk already done (a redelivery) is skipped. While its
    run's other chunks still compute their pools, it queues itself again at the back of the queue
    (never waits in the worker: with one worker process that would wait forever); run eagerly, it
    computes them.

    No countdown: a worker holds a message with an ETA from the moment it is delivered, so the
    waiting chunks would all sit in the worker that queued them while the other workers, idle,
    could store them once the assignment is solved (measured at 100k x 20k: one of two workers
    stored every chunk). A chunk that finds no progress since its last look (``seen``: the pools
    stored then) pauses RUN_POOLS_IDLE_SECONDS first, so waiting does not spin a core."""
    try:
        result = runs.match_run_chunk_execute(
            chunk_id=chunk_id, wait=not self.request.is_eager, waiting_since=waiting_since
        )
    except runs.ChunkWaiting as waiting:
        if waiting.stored == seen:
            time.sleep(runs.RUN_POOLS_IDLE_SECONDS)
        match_run_chunk_task.apply_async(
            (chunk_id,), {"waiting_since": waiting.since, "seen": waiting.stored}
        )
        return {"skipped": False, "waiting": True, "pools": waiting.stored, "of": waiting.total}
    if result is None:
        return {"skipped": True}
    return {"skipped": False, "stored": result.stored, "withdrawn": result.withdrawn}


@shared_task(name="matching.match_run_start", soft_time_limit=60, time_limit=90, **RETRY)
def match_run_start_task(run_id: str) -> int:
    """Mark the run running and fan its chunks out to the workers as one group.

    Run twice, it queues the chunks not yet done again; each counts once whatever happens.
    """
    chunk_ids = runs.match_run_mark_running(run_id=run_id)
    if chunk_ids:
        group(match_run_chunk_task.s(chunk_id) for chunk_id in chunk_ids).apply_async()
    return len(chunk_ids)


@shared_task(name="matching.reconcile_stale_matches", soft_time_limit=120, time_limit=180, **RETRY)
def reconcile_stale_matches_task(batch_size: int = RECONCILE_BATCH) -> dict[str, int]:
    """Re-enqueue every profile and role changed since it was last matched (or never matched).

    A change saved while the broker was down queued nothing; this periodic sweep (every 5 minutes,
    see the beat migration) finds it by ``updated_at > matched_at`` and queues it now. Runs that
    stopped moving (their fan-out lost with the broker) are queued again too.
    """
    volunteer_ids = reconcile.stale_volunteer_ids(limit=batch_size)
    opportunity_ids = reconcile.stale_opportunity_ids(limit=batch_size)
    for profile_id in volunteer_ids:  # coalesced with a rematch an edit already queued
        dispatch.enqueue("volunteer_rematch_task", profile_id)
    for opportunity_id in opportunity_ids:
        dispatch.enqueue("opportunity_rematch_task", opportunity_id)
    run_ids = runs.stalled_run_ids()
    for run_id in run_ids:
        match_run_start_task.delay(str(run_id))
    if volunteer_ids or opportunity_ids:
        logger.info(
            "Reconciler queued %d volunteer and %d role rematches",
            len(volunteer_ids),
            len(opportunity_ids),
        )
    return {
        "volunteers": len(volunteer_ids),
        "opportunities": len(opportunity_ids),
        "runs": len(run_ids),
    }


@shared_task(name="matching.scoring_model_refit", soft_time_limit=1200, time_limit=1500, **RETRY)
def scoring_model_refit_task() -> dict[str, Any]:
    """Nightly: learn from the decisions people made; promote only a model at least as good."""
    result = scoring_model.scoring_model_refit()
    logger.info("%s", result.message)
    return {
        "version": result.version.version if result.version else None,
        "promoted": result.promoted,
        "labels": result.labels,
    }
