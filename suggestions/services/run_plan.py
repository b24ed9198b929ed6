"""A full run's assignment: pools computed chunk by chunk, one assignment solved from them, and
staged per chunk.

Why one assignment. The capacity-aware assignment weighs every volunteer against every other for
the same places, so it cannot be cut into chunks that each decide alone: chunks deciding one after
another would give results that depend on which worker ran first. So one solve decides for the
whole run and writes every chunk's slice in one transaction (``RunPlanSlice``); the chunks then
build and store their suggestions side by side. The suggestions of a run do not depend on how
many workers ran it or in what order.

What shares out (issue 11). Most of the solve is per volunteer: the records, the candidates and
the certified pools (``matching.engine.parts``). So each chunk first computes its own
volunteers' pools and stores them (``RunPoolPart``, about 40 bytes a pair). The chunk that finds
every chunk's part stored solves the assignment from the parts (the min-cost flow over everyone,
the one step that needs the whole run) and writes the slices, deleting the parts in the same
transaction. Runs are cut into chunks by place (``runs.match_run_start``,
``parts.split_by_place``), so a chunk's pools are exactly the ones one solve over everyone
computes: the same pairs and ranks as before the pools were shared out.

Waiting for the others. On a worker (``wait=True``) a chunk whose run still lacks parts raises
``PoolsPending``: its task queues itself again instead of waiting, so a single worker process
computes every chunk's part in turn. In one process (``match_all``, the benchmarks' loops, a task
run eagerly) the chunk computes the missing parts itself.

One solve per run. On PostgreSQL the solvers take turns on an advisory lock held for the solve,
so a second one finds the slices there. On SQLite two may both solve; the second write is refused
by the primary key and that worker uses the first one's slices.

What is read, and when. Each chunk reads its volunteers' records, the pairs never to suggest
again (rejected, declined, or further along) and the published roles when it computes its part;
the solve reads the published roles and the open suggestions each role has from volunteers
outside the run (they take from its capacity; each volunteer's own open suggestions are replaced
by the run, so they do not count against the volunteer's cap). All of it before any chunk
stores: no chunk stores before the slices exist, and they exist only once every part does.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from matching import records as record_builders
from matching.engine import plan
from matching.engine.parts import assign_pools, volunteer_pools
from matching.models import Match, MatchRun, MatchRunChunk, MatchStatus
from suggestions.models import RunPlanSlice, RunPoolPart
from suggestions.services import candidates
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)


#: The PostgreSQL advisory lock (key pair: this constant and the run) that lets one worker solve a
#: run while the others wait for its slices instead of solving it again.
RUN_PLAN_LOCK_KEY = 0x4B4D_0002


class PoolsPending(Exception):
    """The run's assignment cannot be solved yet: ``stored`` of its ``total`` chunks have stored
    their pools. The chunk's own part is stored; it should come back later."""

    def __init__(self, *, stored: int, total: int) -> None:
        super().__init__(f"{stored} of {total} chunks have stored their pools")
        self.stored, self.total = stored, total


def run_plan_slice(*, chunk: MatchRunChunk, wait: bool = False) -> bytes:
    """This chunk's part of its run's assignment: its pools stored first, then the run's
    assignment solved once every chunk's pools are there.

    ``wait``: when other chunks' pools are missing, raise ``PoolsPending`` (a worker: the task
    comes back later); otherwise compute the missing pools here, one chunk after another."""
    found = _stored(chunk.id)
    if found is not None:
        return found
    run_pool_part_store(chunk=chunk)
    if wait:
        stored, total = _parts_stored(chunk.run_id)
        if stored < total:
            raise PoolsPending(stored=stored, total=total)
    else:
        for other in MatchRunChunk.objects.filter(run_id=chunk.run_id, pool_part__isnull=True):
            run_pool_part_store(chunk=other)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [RUN_PLAN_LOCK_KEY, chunk.run_id.int % 2**31],
                )
            found = _stored(chunk.id)
            if found is not None:
                return found
        slices = _solve(chunk.run_id)
        if slices is not None:
            try:
                with transaction.atomic():
                    RunPlanSlice.objects.bulk_create(
                        [RunPlanSlice(chunk_id=c, pairs=data) for c, data in slices.items()],
                        batch_size=50,
                    )
                    RunPoolPart.objects.filter(chunk__run_id=chunk.run_id).delete()
                return slices[chunk.id]
            except IntegrityError:
                logger.info(
                    "Run %s was solved by another worker first; using its slices", chunk.run_id
                )
        # Another worker solved first (its slices refused ours, or it had deleted the parts).
        found = _stored(chunk.id)
        # None: this chunk stored its slice and deleted it meanwhile (its claim will fail).
        return b"" if found is None else found


def run_pool_part_store(*, chunk: MatchRunChunk) -> bool:
    """Compute and store this chunk's volunteers' pools unless they are stored already (a
    redelivery, or another process computed them); True when this call stored them. A part
    stored counts as the run's progress (``updated_at``) for the stall detection."""
    if RunPoolPart.objects.filter(chunk_id=chunk.id).exists():
        return False
    started = time.perf_counter()
    snapshot = candidates.role_snapshot()
    data, volunteers, fallbacks = b"", 0, 0
    if snapshot.index is not None:
        records = record_builders.volunteer_records(
            VolunteerProfile.objects.filter(id__in=chunk.volunteer_ids).order_by("id"),
            today=snapshot.today,
        )
        verified = candidates.verified_only(records)
        if verified:
            part = volunteer_pools(
                verified,
                snapshot.index,
                k=candidates.SUGGESTIONS_PER_VOLUNTEER,
                limits=candidates.limits(),
                excluded=candidates.excluded_pairs(volunteer_ids=chunk.volunteer_ids),
            )
            data, volunteers, fallbacks = plan.pool_part_bytes(part), len(verified), part.fallbacks
    try:
        with transaction.atomic():
            RunPoolPart.objects.create(chunk_id=chunk.id, pools=data)
    except IntegrityError:
        return False  # another delivery of this chunk stored the same pools first
    MatchRun.objects.filter(id=chunk.run_id).update(updated_at=timezone.now())
    logger.info(
        "Run %s chunk %d: pools of %d volunteers (%d fallbacks) in %.1f s",
        chunk.run_id,
        chunk.index,
        volunteers,
        fallbacks,
        time.perf_counter() - started,
    )
    return True


def run_plan_slice_exists(*, chunk_id: int) -> bool:
    """The chunk's slice of its run's assignment is there (the run was solved)."""
    return RunPlanSlice.objects.filter(chunk_id=chunk_id).exists()


def run_pool_parts_delete(*, run_id: Any) -> None:
    """The run failed: its chunks' pools will not be assigned."""
    RunPoolPart.objects.filter(chunk__run_id=run_id).delete()


def run_plan_slice_delete(*, chunk_id: int) -> None:
    """Inside the chunk's store: its slice is not needed once its suggestions are stored."""
    RunPlanSlice.objects.filter(chunk_id=chunk_id).delete()


def _stored(chunk_id: int) -> bytes | None:
    data = RunPlanSlice.objects.filter(chunk_id=chunk_id).values_list("pairs", flat=True).first()
    return None if data is None else bytes(data)


def _parts_stored(run_id: Any) -> tuple[int, int]:
    stored = RunPoolPart.objects.filter(chunk__run_id=run_id).count()
    return stored, MatchRunChunk.objects.filter(run_id=run_id).count()


def _solve(run_id: Any) -> dict[int, bytes] | None:
    """Every chunk's slice of the assignment solved from the chunks' pools; None when a part is
    missing (another worker solved the run and deleted them)."""
    started = time.perf_counter()
    chunks = list(
        MatchRunChunk.objects.filter(run_id=run_id)
        .order_by("index")
        .values_list("id", "volunteer_ids")
    )
    stored = dict(RunPoolPart.objects.filter(chunk__run_id=run_id).values_list("chunk_id", "pools"))
    if len(stored) < len(chunks):
        return None
    groups = {int(v): chunk_id for chunk_id, ids in chunks for v in ids}
    empty = {chunk_id: b"" for chunk_id, _ in chunks}
    parts = [plan.pool_part(bytes(stored[chunk_id])) for chunk_id, _ in chunks]
    snapshot = candidates.role_snapshot()
    if snapshot.index is None or not any(len(part) for part in parts):
        return empty
    assigned = assign_pools(
        parts,
        snapshot.index,
        k=candidates.SUGGESTIONS_PER_VOLUNTEER,
        limits=candidates.limits(),
        prior_exposures=_open_per_role_outside([ids for _, ids in chunks]),
    )
    slices = plan.slices(
        assigned.volunteer_ids, assigned.opportunity_ids, assigned.pool, assigned.ranks, groups
    )
    logger.info(
        "Run %s: assignment of %d suggestions over %d pooled pairs solved in %.1f s",
        run_id,
        len(assigned.ranks),
        sum(len(part) for part in parts),
        time.perf_counter() - started,
    )
    return {**empty, **slices}


def _open_per_role_outside(groups: list[list[int]]) -> dict[int, int]:
    """{opportunity id: open suggestions from volunteers outside the run}: everyone's, minus the
    run's volunteers' (one grouped query per chunk, so no query names more ids than a chunk)."""
    suggested = Match.objects.filter(status=MatchStatus.SUGGESTED).order_by()
    counts = dict(suggested.values_list("opportunity_id").annotate(n=Count("id")))
    for ids in groups:
        own = suggested.filter(volunteer_id__in=ids).values_list("opportunity_id")
        for opportunity_id, n in own.annotate(n=Count("id")):
            counts[opportunity_id] -= n
    return {opportunity_id: n for opportunity_id, n in counts.items() if n > 0}
