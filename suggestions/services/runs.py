"""Full matching runs: a run cut into chunks that the Celery workers share, each chunk counted done
exactly once, and the runs that stopped moving.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from backend.errors import ApplicationError, ConflictError, NotFoundError
from matching.engine.parts import split_by_place
from matching.models import (
    MatchRun,
    MatchRunChunk,
)
from opportunities.models import Opportunity
from suggestions.services import rematch, run_plan
from suggestions.services.scoring_model import scoring_model_current
from suggestions.services.store import StoreResult
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)

#: Volunteers per chunk of a full run: enough chunks that several workers share a run
#: (RUN_CHUNKS_WANTED), each chunk at least RUN_CHUNK_MIN and at most RUN_CHUNK_SIZE volunteers,
#: so 5,000 volunteers -> 5 chunks of 1,000, 20,000 -> 20 of 1,000, 50,000 -> 20 of 2,500,
#: 100,000 -> 20 of 5,000. ``match_all --chunk-size`` and callers of match_run_start may override.
#: A chunk is cut by place (``_run_chunks``), so it ends at the first travel group's edge past the
#: size: 20,000 realistic volunteers (bench/real_path.py) gave 19 chunks of 1,000 to 1,107 and one of 688.
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

#: A chunk whose run still lacks other chunks' pools queues itself again at the back of the queue
#: (run_plan.PoolsPending), so no worker process sits waiting for the others; when no pool was
#: stored since its last look it pauses this long first (suggestions/tasks.py).
RUN_POOLS_IDLE_SECONDS = 0.25
#: ... and fails after waiting this long: long enough for the reconciler to queue again a chunk
#: lost with the broker (RUN_NUDGE_AFTER, then a tick of up to 5 minutes) and for it to compute
#: its pools (seconds; a minute at most for 5,000 volunteers on a loaded 2-core box).
RUN_POOLS_WAIT = dt.timedelta(minutes=30)

RUN_IN_PROGRESS_MESSAGE = "A matching run is already in progress; wait for it to finish."
UNKNOWN_CHUNK_MESSAGE = "There is no chunk {chunk_id}."
POOLS_TIMEOUT_MESSAGE = (
    "Chunk {index} waited {minutes} minutes for the other chunks of its run to compute their "
    "pools ({stored} of {total} stored)."
)


class ChunkWaiting(Exception):
    """The chunk's pools are stored but its run's assignment needs other chunks' pools first: the
    caller comes back later with ``waiting_since`` (epoch seconds of the first wait)."""

    def __init__(self, *, since: float, stored: int, total: int) -> None:
        super().__init__(f"waiting for pools: {stored} of {total} chunks stored theirs")
        self.since, self.stored, self.total = since, stored, total


#: The key of the PostgreSQL advisory lock that makes run requests take turns (any constant the
#: project uses for nothing else).
RUN_START_LOCK_KEY = 0x4B4D_0001
#: An id no run has (the SQLite branch of _run_requests_take_turns updates it to take the lock).
NO_RUN = uuid.UUID(int=0)


class RunInProgressError(ConflictError):
    """A full run is already queued or running: ``run`` is that run (the API answers 409 with it)."""

    def __init__(self, run: MatchRun) -> None:
        super().__init__(RUN_IN_PROGRESS_MESSAGE, code="run_in_progress")
        self.run = run


def _run_requests_take_turns() -> None:
    """Inside the request's transaction: one run request at a time. A ``select_for_update`` of the
    active runs locks nothing when there are none, so concurrent requests all saw "no run" and all
    started one (138 requests in 90 s started 37 runs). PostgreSQL: a transaction-scoped advisory
    lock; SQLite: the write lock taken at once (BEGIN IMMEDIATE semantics through a no-op write)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_START_LOCK_KEY])
        else:
            # Any write takes SQLite's single write lock for the rest of the transaction.
            MatchRun.objects.filter(id=NO_RUN).update(done=0)


def active_run() -> MatchRun | None:
    """The queued or running run that blocks a new one (one that has not moved for
    RUN_STALE_AFTER no longer blocks), or None."""
    return (
        MatchRun.objects.filter(
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
            updated_at__gte=timezone.now() - RUN_STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def match_run_start(*, requested_by: Any | None, chunk_size: int | None = None) -> MatchRun:
    """Create a run and its chunks (every volunteer, paused ones included so that their open
    suggestions are withdrawn). The caller queues ``match_run_start_task`` after commit.

    A run requested while one is queued or running raises RunInProgressError with that run, also
    when the requests race (they take turns, see _run_requests_take_turns)."""
    if chunk_size is not None and chunk_size < 1:
        raise ApplicationError("The chunk size must be at least 1.", code="invalid_chunk_size")
    with transaction.atomic():
        _run_requests_take_turns()
        blocking = active_run()
        if blocking is not None:
            raise RunInProgressError(blocking)
        chunks = _run_chunks(chunk_size)
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


def _run_chunks(chunk_size: int | None) -> list[list[int]]:
    """Every volunteer's id, cut by place (``split_by_place``: the volunteers who share a
    candidate query are in one chunk, so each chunk's pools are those of one solve over everyone,
    see run_plan), each chunk in id order."""
    rows = list(
        VolunteerProfile.objects.order_by("id").values_list(
            "id", "latitude", "longitude", "max_travel_km", "modes"
        )
    )
    if chunk_size is None:
        chunk_size = run_chunk_size(volunteers=len(rows))
    return split_by_place(
        [row[0] for row in rows],
        [row[1] for row in rows],
        [row[2] for row in rows],
        [float(row[3]) for row in rows],
        [row[4] or () for row in rows],
        size=chunk_size,
    )


def match_run_mark_running(*, run_id: Any) -> list[int]:
    """Flip a queued run to running (once) and return the ids of its chunks not yet done (a run
    whose chunks are all done but not yet counted, its worker lost in between, is counted now)."""
    now = timezone.now()
    MatchRun.objects.filter(id=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, updated_at=now
    )
    _run_count_done(run_id)
    return list(
        MatchRunChunk.objects.filter(run_id=run_id, done=False)
        .order_by("index")
        .values_list("id", flat=True)
    )


def _chunk_flip_done(chunk_id: int) -> bool:
    """Inside the chunk's write transaction: mark the chunk done, only if no other delivery did (an
    atomic conditional update, so two racing deliveries cannot both store). It locks the chunk's
    own row only: the run's row, which every chunk shares, is left alone until the store commits."""
    return bool(
        MatchRunChunk.objects.filter(id=chunk_id, done=False).update(
            done=True, finished_at=timezone.now()
        )
    )


def _run_count_done(run_id: Any) -> None:
    """After a chunk's store committed, in a short transaction of its own: the run's ``done`` is the
    number of its chunks done (exact whatever the order, and idempotent, so a redelivery that finds
    its chunk done but not counted repairs the count); the run succeeds when every chunk is done.

    ``Greatest`` keeps the counter from going back: on PostgreSQL two chunks counting at once
    serialize on the run row, and the second re-reads ``done`` but not its own snapshot's count.
    """
    now = timezone.now()
    done_chunks = (
        MatchRunChunk.objects.filter(run_id=OuterRef("pk"), done=True)
        .order_by()
        .values("run_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    with transaction.atomic():
        MatchRun.objects.filter(id=run_id).update(
            done=Greatest(F("done"), Coalesce(Subquery(done_chunks), 0)), updated_at=now
        )
        finished = MatchRun.objects.filter(
            id=run_id,
            done=F("total"),
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
        ).update(status=MatchRun.Status.SUCCEEDED, finished_at=now)
        if finished:
            _roles_mark_matched(run_id)


def _roles_mark_matched(run_id: Any) -> None:
    """A full run matched every published role against every volunteer: each role not changed since
    the run began is marked matched, so the reconciler does not rematch them one by one."""
    began = MatchRun.objects.filter(id=run_id).values_list("created_at", flat=True).first()
    if began is None:
        return
    Opportunity.objects.published().filter(updated_at__lte=began).filter(
        Q(matched_at__isnull=True) | Q(matched_at__lt=began)
    ).update(matched_at=began)


def match_run_chunk_execute(
    *, chunk_id: int, wait: bool = False, waiting_since: float | None = None
) -> StoreResult | None:
    """Match one chunk's volunteers and count the chunk done exactly once; None when the chunk was
    already done (a redelivery), or when it waited for a run that failed meanwhile. Safe to run
    twice, also at the same time.

    The chunk computes and stores its volunteers' pools, then stores its slice of the run's
    assignment (``run_plan``: solved once for the whole run from every chunk's pools, so the
    suggestions do not depend on the workers or their order). ``wait`` (a worker): while other
    chunks' pools are missing, raise ``ChunkWaiting`` for the caller to come back later with
    ``waiting_since``, a continuation that is not counted as another attempt; after
    RUN_POOLS_WAIT the chunk fails. Without ``wait`` the chunk computes the missing pools itself.
    The store runs in one transaction that claims the chunk (its own row); the run's counter is
    updated after that commits, in a short transaction, so workers store chunks side by side."""
    chunk = MatchRunChunk.objects.select_related("run").filter(id=chunk_id).first()
    if chunk is None:
        raise NotFoundError(UNKNOWN_CHUNK_MESSAGE.format(chunk_id=chunk_id))
    if chunk.done:
        _run_count_done(chunk.run_id)  # counted already, unless the last delivery died just before
        return None
    if chunk.run.status == MatchRun.Status.FAILED and not run_plan.run_plan_slice_exists(
        chunk_id=chunk_id
    ):
        logger.warning(
            "Run %s failed before its assignment; chunk %d stops", chunk.run_id, chunk.index
        )
        return None
    now = timezone.now()
    if waiting_since is None:
        MatchRunChunk.objects.filter(id=chunk_id).update(attempts=F("attempts") + 1)
    MatchRun.objects.filter(id=chunk.run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, updated_at=now
    )

    def claim() -> bool:
        return _chunk_flip_done(chunk_id)

    def record(result: StoreResult) -> None:
        MatchRunChunk.objects.filter(id=chunk_id).update(suggestions=result.stored)
        run_plan.run_plan_slice_delete(chunk_id=chunk_id)

    try:
        planned = run_plan.run_plan_slice(chunk=chunk, wait=wait)
    except run_plan.PoolsPending as pending:
        _chunk_wait(chunk, pending, waiting_since)  # raises unless the run failed meanwhile
        return None
    result = rematch.volunteers_rematch(
        chunk.volunteer_ids, run=chunk.run, claim=claim, record=record, planned=planned
    )
    _run_count_done(chunk.run_id)
    return result


def _chunk_wait(
    chunk: MatchRunChunk, pending: run_plan.PoolsPending, waiting_since: float | None
) -> None:
    """Raise ChunkWaiting, or fail the chunk once it has waited RUN_POOLS_WAIT; None (stop) when
    the run failed meanwhile (a chunk that failed for good stores no pools)."""
    if MatchRun.objects.filter(id=chunk.run_id, status=MatchRun.Status.FAILED).exists():
        logger.warning("Run %s failed; chunk %d stops waiting for pools", chunk.run_id, chunk.index)
        run_plan.run_pool_parts_delete(run_id=chunk.run_id)
        return
    since = time.time() if waiting_since is None else waiting_since
    if time.time() - since > RUN_POOLS_WAIT.total_seconds():
        raise ApplicationError(
            POOLS_TIMEOUT_MESSAGE.format(
                index=chunk.index,
                minutes=int(RUN_POOLS_WAIT.total_seconds() // 60),
                stored=pending.stored,
                total=pending.total,
            ),
            code="run_pools_timeout",
        )
    raise ChunkWaiting(since=since, stored=pending.stored, total=pending.total)


def match_run_chunk_fail(*, chunk_id: int, error: str) -> None:
    """Record a chunk that failed for good (retries exhausted, or a bug): the run fails, and the
    pools its chunks stored for an assignment that will not be solved now are deleted."""
    chunk = MatchRunChunk.objects.filter(id=chunk_id).first()
    if chunk is None or chunk.done:
        return
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(id=chunk.run_id)
        run.errors = [*run.errors, {"chunk": chunk.index, "error": error[:500]}]
        run.status = MatchRun.Status.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["errors", "status", "finished_at", "updated_at"])
        run_plan.run_pool_parts_delete(run_id=run.id)


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
