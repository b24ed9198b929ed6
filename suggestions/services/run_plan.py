"""A full run's assignment, solved once for the whole run and staged per chunk.

Why once. The capacity-aware assignment weighs every volunteer against every other for the same
places, so it cannot be cut into chunks that each decide alone: chunks deciding one after another
would give results that depend on which worker ran first. Instead the first chunk of a run to
start (whichever it is) solves the assignment over every volunteer of the run, from the database
as it is before any chunk of the run has stored anything, and writes every chunk's slice in one
transaction (``RunPlanSlice``). A second worker that solved at the same time finds the slices
there (the primary key refuses its write) and uses those, so every chunk stores a part of one and
the same assignment: the suggestions of a run do not depend on how many workers ran it or in what
order. The chunks then build and store their suggestions side by side, as before.

What the solve reads: the run's volunteers (the chunks' ids), the published roles, the pairs never
to suggest again, and the open suggestions each role has from volunteers outside the run (they
take from its capacity). Each volunteer's own open suggestions are replaced by the run, so they do
not count against the volunteer's cap.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from matching import records as record_builders
from matching.engine import plan, rank_all_arrays
from matching.engine.records import VolunteerRecord
from matching.models import Match, MatchRunChunk, MatchStatus
from suggestions.models import RunPlanSlice
from suggestions.services import candidates
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)


#: The PostgreSQL advisory lock (key pair: this constant and the run) that lets one worker solve a
#: run while the others wait for its slices instead of solving it again.
RUN_PLAN_LOCK_KEY = 0x4B4D_0002


def run_plan_slice(*, chunk: MatchRunChunk) -> bytes:
    """This chunk's part of its run's assignment, solving the run's assignment first when no
    worker has yet.

    On PostgreSQL the workers take turns on an advisory lock held for the solve, so the others
    wait (a minute at 100,000 volunteers) and then read its slices. The transaction only reads
    until the slices are written at the end. On SQLite two workers may both solve; the second
    write is refused by the primary key and that worker uses the first one's slices."""
    found = _stored(chunk.id)
    if found is not None:
        return found
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
        try:
            with transaction.atomic():
                RunPlanSlice.objects.bulk_create(
                    [RunPlanSlice(chunk_id=c, pairs=data) for c, data in slices.items()],
                    batch_size=50,
                )
        except IntegrityError:
            logger.info("Run %s was solved by another worker first; using its slices", chunk.run_id)
            found = _stored(chunk.id)
            # None: this chunk stored its slice and deleted it meanwhile (its claim will fail).
            return b"" if found is None else found
    return slices[chunk.id]


def run_plan_slice_delete(*, chunk_id: int) -> None:
    """Inside the chunk's store: its slice is not needed once its suggestions are stored."""
    RunPlanSlice.objects.filter(chunk_id=chunk_id).delete()


def _stored(chunk_id: int) -> bytes | None:
    data = RunPlanSlice.objects.filter(chunk_id=chunk_id).values_list("pairs", flat=True).first()
    return None if data is None else bytes(data)


def _solve(run_id: Any) -> dict[int, bytes]:
    started = time.perf_counter()
    chunks = list(
        MatchRunChunk.objects.filter(run_id=run_id)
        .order_by("index")
        .values_list("id", "volunteer_ids")
    )
    groups = {int(v): chunk_id for chunk_id, ids in chunks for v in ids}
    empty = {chunk_id: b"" for chunk_id, _ in chunks}
    snapshot = candidates.role_snapshot()
    if snapshot.index is None or not groups:
        return empty
    volunteers: list[VolunteerRecord] = []
    excluded: set[tuple[int, int]] = set()
    for _, ids in chunks:
        records = record_builders.volunteer_records(
            VolunteerProfile.objects.filter(id__in=ids).order_by("id"), today=snapshot.today
        )
        volunteers += candidates.verified_only(records)
        excluded |= candidates.excluded_pairs(volunteer_ids=ids)
    if not volunteers:
        return empty
    ranked = rank_all_arrays(
        volunteers,
        index=snapshot.index,
        today=snapshot.today,
        k=candidates.SUGGESTIONS_PER_VOLUNTEER,
        labels=snapshot.labels,
        excluded=excluded,
        prior_exposures=_open_per_role_outside([ids for _, ids in chunks]),
        limits=candidates.limits(),
    )
    slices = plan.slices(
        ranked.volunteer_ids, ranked.opportunity_ids, ranked.pool, ranked.ranks, groups
    )
    logger.info(
        "Run %s: assignment of %d suggestions to %d volunteers solved in %.1f s",
        run_id,
        len(ranked),
        len(volunteers),
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
