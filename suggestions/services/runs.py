"""Full matching runs: a run cut into chunks that the Celery workers share, each chunk counted done
exactly once, and the runs that stopped moving.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.errors import ApplicationError, ConflictError, NotFoundError
from matching.models import (
    MatchRun,
    MatchRunChunk,
)
from suggestions.services import rematch
from suggestions.services.scoring_model import scoring_model_current
from suggestions.services.store import StoreResult
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)

#: Volunteers per chunk of a full run: enough chunks that several workers share a run
#: (RUN_CHUNKS_WANTED), each chunk at least RUN_CHUNK_MIN and at most RUN_CHUNK_SIZE volunteers,
#: so 5,000 volunteers -> 5 chunks of 1,000, 20,000 -> 20 of 1,000, 50,000 -> 20 of 2,500,
#: 100,000 -> 20 of 5,000. ``match_all --chunk-size`` and callers of match_run_start may override.
#: Small runs: on the 2-core box (SQLite, bench/end_to_end.py's 5,000 synthetic NYC volunteers x
#: 1,000 roles, one chunk after the roles are cached): 250 -> 2.35 ms per volunteer, 500 -> 1.31,
#: 1,000 -> 1.09, 2,000 -> 1.19 (a fixed ~0.5 s per chunk for records, excluded pairs and the
#: engine's per-cell products), so 1,000 is the floor. City scale: the engine's per-chunk cost
#: grows with the spatial groups a chunk touches (~400 of ~1,100 for 1,000 NYC volunteers), so
#: at 100,000 volunteers x 20,000 roles one worker ranks the whole run (engine only,
#: bench/chunks.py, docs/benchmarks.md "Full run in chunks") in 30 s in chunks of 1,000, 21 s of
#: 2,500, 16 s of 5,000, 13 s of 10,000, 12 s of 25,000; a chunk of 5,000 takes 0.8 s and adds
#: 0.05 GB to the worker (25,000: 0.3 GB). Past 5,000 the run saves 3 s in all but has too few
#: chunks to keep several workers busy, and a worker killed mid-chunk redoes more.
RUN_CHUNK_SIZE = 5000
RUN_CHUNK_MIN = 1000
RUN_CHUNKS_WANTED = 20


def run_chunk_size(*, volunteers: int) -> int:
    """Volunteers per chunk for a full run over ``volunteers`` (see RUN_CHUNK_SIZE)."""
    wanted = -(-volunteers // RUN_CHUNKS_WANTED)  # ceiling division
    return min(RUN_CHUNK_SIZE, max(RUN_CHUNK_MIN, wanted))


#: A queued or running run blocks a new one, unless it has not moved for this long (its worker
#: died and its chunks were lost with the broker): then it no longer blocks.
RUN_STALE_AFTER = dt.timedelta(hours=1)
#: A queued or running run that has not moved for this long is nudged by the reconciler (its start
#: task may have been lost with the broker). Longer than a chunk's hard time limit (6 minutes).
RUN_NUDGE_AFTER = dt.timedelta(minutes=10)
#: A queued or running run that has not moved for this long is nudged by the reconciler (its start
#: task may have been lost with the broker). Longer than a chunk's hard time limit (6 minutes).

RUN_IN_PROGRESS_MESSAGE = "A matching run is already in progress; wait for it to finish."
UNKNOWN_CHUNK_MESSAGE = "There is no chunk {chunk_id}."


def match_run_start(*, requested_by: Any | None, chunk_size: int | None = None) -> MatchRun:
    """Create a run and its chunks (every volunteer, paused ones included so that their open
    suggestions are withdrawn). The caller queues ``match_run_start_task`` after commit."""
    if chunk_size is not None and chunk_size < 1:
        raise ApplicationError("The chunk size must be at least 1.", code="invalid_chunk_size")
    with transaction.atomic():
        blocking = MatchRun.objects.select_for_update().filter(
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
            updated_at__gte=timezone.now() - RUN_STALE_AFTER,
        )
        if blocking.exists():
            raise ConflictError(RUN_IN_PROGRESS_MESSAGE, code="run_in_progress")
        volunteer_ids = list(VolunteerProfile.objects.order_by("id").values_list("id", flat=True))
        if chunk_size is None:
            chunk_size = run_chunk_size(volunteers=len(volunteer_ids))
        chunks = [
            volunteer_ids[start : start + chunk_size]
            for start in range(0, len(volunteer_ids), chunk_size)
        ]
        run = MatchRun.objects.create(
            requested_by=requested_by,
            total=len(chunks),
            model_version=scoring_model_current().version,
            status=MatchRun.Status.QUEUED if chunks else MatchRun.Status.SUCCEEDED,
            finished_at=None if chunks else timezone.now(),
        )
        MatchRunChunk.objects.bulk_create(
            [MatchRunChunk(run=run, index=i, volunteer_ids=ids) for i, ids in enumerate(chunks)],
            batch_size=500,
        )
    return run


def match_run_mark_running(*, run_id: Any) -> list[int]:
    """Flip a queued run to running (once) and return the ids of its chunks not yet done."""
    now = timezone.now()
    MatchRun.objects.filter(id=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, updated_at=now
    )
    return list(
        MatchRunChunk.objects.filter(run_id=run_id, done=False)
        .order_by("index")
        .values_list("id", flat=True)
    )


def _chunk_flip_done(chunk_id: int, run: MatchRun) -> bool:
    """Inside the write transaction: mark the chunk done and count it in its run, only if no other
    delivery did (an atomic conditional update, so two racing deliveries cannot both count)."""
    now = timezone.now()
    flipped = MatchRunChunk.objects.filter(id=chunk_id, done=False).update(
        done=True, finished_at=now
    )
    if not flipped:
        return False
    MatchRun.objects.filter(id=run.id).update(done=F("done") + 1, updated_at=now)
    MatchRun.objects.filter(
        id=run.id, done=F("total"), status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).update(status=MatchRun.Status.SUCCEEDED, finished_at=now)
    return True


def match_run_chunk_execute(*, chunk_id: int) -> StoreResult | None:
    """Match one chunk's volunteers and count the chunk done exactly once; None when the chunk was
    already done (a redelivery). Safe to run twice, also at the same time."""
    chunk = MatchRunChunk.objects.select_related("run").filter(id=chunk_id).first()
    if chunk is None:
        raise NotFoundError(UNKNOWN_CHUNK_MESSAGE.format(chunk_id=chunk_id))
    if chunk.done:
        return None
    now = timezone.now()
    MatchRunChunk.objects.filter(id=chunk_id).update(attempts=F("attempts") + 1)
    MatchRun.objects.filter(id=chunk.run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, updated_at=now
    )
    run = chunk.run

    def claim() -> bool:
        return _chunk_flip_done(chunk_id, run)

    def record(result: StoreResult) -> None:
        MatchRunChunk.objects.filter(id=chunk_id).update(suggestions=result.stored)

    return rematch.volunteers_rematch(chunk.volunteer_ids, run=run, claim=claim, record=record)


def match_run_chunk_fail(*, chunk_id: int, error: str) -> None:
    """Record a chunk that failed for good (retries exhausted, or a bug): the run fails."""
    chunk = MatchRunChunk.objects.filter(id=chunk_id).first()
    if chunk is None or chunk.done:
        return
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(id=chunk.run_id)
        run.errors = [*run.errors, {"chunk": chunk.index, "error": error[:500]}]
        run.status = MatchRun.Status.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["errors", "status", "finished_at", "updated_at"])


def stalled_run_ids() -> list[Any]:
    """Runs that should be moving but have not for RUN_NUDGE_AFTER (and are not yet abandoned)."""
    now = timezone.now()
    return list(
        MatchRun.objects.filter(
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
            updated_at__lt=now - RUN_NUDGE_AFTER,
            updated_at__gte=now - RUN_STALE_AFTER,
        ).values_list("id", flat=True)
    )
