"""Matching writes: storing suggestions, rematching one volunteer or one role, full runs in chunks,
and refitting the scoring model. Lifecycle transitions (approve, offer, ...) live in
``matching/lifecycle.py``; nothing here touches a match a person has reviewed.

Which suggestions stay open. A pair is suggested while it is eligible and among the volunteer's
best ``SUGGESTIONS_PER_VOLUNTEER`` roles *or* the role's best ``SUGGESTIONS_PER_ROLE`` volunteers.
The union matters: a role posted between two full runs gets candidates at once (the role's view),
while a volunteer's own list is trimmed at each of their rematches (the volunteer's view) without
taking candidates away from a role that has few. Whatever leaves the set is WITHDRAWN with a
MatchTransition saying why (``no_longer_eligible`` or ``outranked``), never deleted.

Fair exposure across calls. A full run is ranked chunk by chunk and a profile edit re-ranks one
volunteer, so each engine call sees only its own volunteers. Every call is therefore given the
open suggestions each role already has from everyone else (``prior_exposures``), and a role that
already sits in many lists gives way to an equally good one nobody has been shown
(docs/benchmarks.md, "Fair exposure across chunks and rematches").
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from backend.errors import ApplicationError, ConflictError
from matching import records as record_builders
from matching.engine import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    MatchIndex,
    OpportunityRecord,
    ScoringModel,
    Suggestion,
    VolunteerRecord,
    fit_model,
    ineligibility_reasons,
    is_at_least_as_good,
    rank_all_arrays,
    rank_for_opportunity,
    rank_for_volunteer,
)
from matching.engine.eligibility import role_is_open
from matching.engine.training import HELD_OUT_SHARE
from matching.models import (
    OCCUPYING_STATUSES,
    Match,
    MatchRun,
    MatchRunChunk,
    MatchStatus,
    MatchTransition,
    ScoringModelVersion,
)
from opportunities.models import Opportunity
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)

SUGGESTIONS_PER_VOLUNTEER = 10
SUGGESTIONS_PER_ROLE = 10
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
REFIT_MIN_LABELS = 40
#: A worker rebuilds its prepared roles at least this often even if the fingerprint did not move
#: (an edit saved with ``QuerySet.update()`` keeps ``updated_at``); a rebuild of 1,000 roles is
#: ~0.2 s, so every 5 minutes is free.
ROLE_CACHE_SECONDS = 300

REASON_NO_LONGER_ELIGIBLE = "no_longer_eligible"
REASON_OUTRANKED = "outranked"

RUN_IN_PROGRESS_MESSAGE = "A matching run is already in progress; wait for it to finish."
UNKNOWN_CHUNK_MESSAGE = "There is no chunk {chunk_id}."

#: Labels for refits: statuses a person chose after seeing the suggestion.
POSITIVE_STATUSES = frozenset(
    {
        MatchStatus.APPROVED,
        MatchStatus.OFFERED,
        MatchStatus.ACCEPTED,
        MatchStatus.ACTIVE,
        MatchStatus.COMPLETED,
    }
)
NEGATIVE_STATUSES = frozenset({MatchStatus.REJECTED, MatchStatus.DECLINED})
#: Pairs a person has decided on (either way): never suggested again while that match is open.
REVIEWED_STATUSES = POSITIVE_STATUSES | NEGATIVE_STATUSES


# --- scoring model ---------------------------------------------------------------------------------


def scoring_model_current() -> ScoringModel:
    """The fitted model marked current, or the engine's hand-set weights."""
    row = ScoringModelVersion.objects.filter(is_current=True).first()
    return DEFAULT_MODEL if row is None else ScoringModel.from_dict(row.parameters)


# --- the engine, fed from the database -------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def excluded_pairs(
    *, volunteer_ids: Iterable[int] | None = None, opportunity_ids: Iterable[int] | None = None
) -> frozenset[tuple[int, int]]:
    """Pairs never to suggest: rejected or declined, or already approved or further along."""
    query = Match.objects.filter(status__in=REVIEWED_STATUSES)
    if volunteer_ids is not None:
        query = query.filter(volunteer_id__in=list(volunteer_ids))
    if opportunity_ids is not None:
        query = query.filter(opportunity_id__in=list(opportunity_ids))
    return frozenset(query.values_list("volunteer_id", "opportunity_id"))


@dataclass
class _RoleSnapshot:
    """Open roles as records, the labels, and the engine index prepared on them."""

    key: tuple
    today: dt.date
    model_version: str
    roles: dict[int, OpportunityRecord]
    labels: dict[str, str]
    index: MatchIndex | None
    built_at: float


_role_cache_lock = threading.Lock()
_role_cache: dict[str, _RoleSnapshot] = {}


def _roles_fingerprint() -> tuple:
    """Changes whenever the published roles, their places taken or the current model may have
    changed: three aggregate queries instead of rebuilding 20,000 role records for every rematch.
    Count and id sum catch a role closed or published by a bulk ``update()`` that left
    ``updated_at`` alone; ROLE_CACHE_SECONDS bounds whatever else slips through."""
    roles = Opportunity.objects.published().aggregate(
        n=Count("id"), ids=Sum("id"), last=Max("updated_at")
    )
    taken = Match.objects.filter(status__in=OCCUPYING_STATUSES).aggregate(
        n=Count("id"), ids=Sum("id"), last=Max("updated_at")
    )
    current = ScoringModelVersion.objects.filter(is_current=True).values_list("version", flat=True)
    return (*roles.values(), *taken.values(), tuple(current))


def _role_snapshot() -> _RoleSnapshot:
    """Published roles prepared for ranking, cached per process until anything about them changes.

    Only published roles can be eligible, so drafts and closed roles are not loaded; a suggestion
    of a role that is no longer published is withdrawn as no longer eligible. Building the index
    fits the TF-IDF vocabulary on the roles' texts; a rematch reuses it (milliseconds, not seconds).
    """
    today = _today()
    key = (*_roles_fingerprint(), today)
    with _role_cache_lock:
        cached = _role_cache.get("roles")
        if (
            cached is not None
            and cached.key == key
            and time.monotonic() - cached.built_at < ROLE_CACHE_SECONDS
        ):
            return cached
    model = scoring_model_current()
    roles = record_builders.opportunity_records(
        Opportunity.objects.published().order_by("id"), today=today
    )
    snapshot = _RoleSnapshot(
        key=key,
        today=today,
        model_version=model.version,
        roles={r.id: r for r in roles},
        labels=record_builders.labels(),
        # With no open role there is nothing to rank: skip building the index.
        index=(
            MatchIndex.build(roles, today=today, model=model)
            if any(role_is_open(role, today) for role in roles)
            else None
        ),
        built_at=time.monotonic(),
    )
    with _role_cache_lock:
        _role_cache["roles"] = snapshot
    return snapshot


def _open_suggestions_per_role(*, except_volunteer_ids: Sequence[int]) -> dict[int, int]:
    """{opportunity id: open suggestions from volunteers other than these}: the exposure each role
    already has, which fair exposure carries into a chunk or a single rematch.

    One query: every role's open suggestions, UNION ALL these volunteers' own counted negatively.
    Measured on bench/end_to_end.py's set (5,000 volunteers x 1,000 roles, ~50,000 open
    suggestions, SQLite): 4 ms for one volunteer (a single rematch: 20 ms, 15 ms without priors),
    12 ms for a chunk of 1,000 (under 2% of the chunk's ~0.75 s). The plainer ``filter(status=suggested).exclude(volunteer_id__in=ids)`` took
    51-66 ms: the exclusion needs ``volunteer_id`` from every row, so SQLite cannot answer from the
    (opportunity, status, score) index alone; here each half reads one index only. Grows with the
    open suggestions (about 10 per volunteer), not with the roles."""
    suggested = Match.objects.filter(status=MatchStatus.SUGGESTED).order_by()
    everyone = suggested.values_list("opportunity_id").annotate(n=Count("id"))
    own = (
        suggested.filter(volunteer_id__in=list(except_volunteer_ids))
        .values_list("opportunity_id")
        .annotate(n=-Count("id"))
    )
    counts: dict[int, int] = {}
    for opportunity_id, n in everyone.union(own, all=True):
        counts[opportunity_id] = counts.get(opportunity_id, 0) + n
    return {opportunity_id: n for opportunity_id, n in counts.items() if n > 0}


def _rank_volunteers(
    snapshot: _RoleSnapshot,
    volunteers: Sequence[VolunteerRecord],
    excluded: frozenset[tuple[int, int]],
) -> list[Suggestion]:
    """Each volunteer's best roles, with fair exposure that counts everyone else's open
    suggestions: one volunteer takes the exact single path (the discount applied to their own
    pool), a chunk the full-run path.

    The priors are read before ranking, outside the write transaction: two chunks running at once
    do not see each other's new suggestions, but they do see the ones those volunteers held from
    the previous run, which stay open until replaced."""
    if not volunteers or snapshot.index is None:
        return []
    prior = _open_suggestions_per_role(except_volunteer_ids=[v.id for v in volunteers])
    if len(volunteers) == 1:
        return rank_for_volunteer(
            volunteers[0],
            snapshot.index,
            k=SUGGESTIONS_PER_VOLUNTEER,
            labels=snapshot.labels,
            excluded=excluded,
            prior_exposures=prior,
        )
    ranked = rank_all_arrays(
        volunteers,
        index=snapshot.index,
        today=snapshot.today,
        k=SUGGESTIONS_PER_VOLUNTEER,
        labels=snapshot.labels,
        excluded=excluded,
        fair=True,
        prior_exposures=prior,
    )
    return list(ranked.suggestions())


# --- storing ----------------------------------------------------------------------------------------


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_reviewed: int = 0
    withdrawn: int = 0
    match_ids: list[int] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def _rounded_features(features: dict[str, float]) -> dict[str, float]:
    # Six decimals: enough for a refit, and an unchanged suggestion compares equal on re-store.
    return {name: round(float(value), 6) for name, value in features.items()}


def suggestions_store(
    *, suggestions: Sequence[Any], model_version: str, run: MatchRun | None = None
) -> StoreResult:
    """Upsert suggestions as Match rows with status suggested; idempotent.

    An open suggested row of the pair is refreshed in place (same id), an unchanged one is left
    alone; a pair with a reviewed match (approved, rejected, ... anything but suggested or
    withdrawn) is skipped untouched; otherwise a new row is created. Two workers storing the same
    pair at once cannot both insert it: ``match_one_open_per_pair`` refuses the second row and
    ``ignore_conflicts`` lets that insert go quietly.
    """
    result = StoreResult()
    by_pair = {(s.volunteer_id, s.opportunity_id): s for s in suggestions}
    if not by_pair:
        return result
    now = timezone.now()
    volunteer_ids = {v for v, _ in by_pair}
    opportunity_ids = {o for _, o in by_pair}
    with transaction.atomic():
        open_rows = {
            (m.volunteer_id, m.opportunity_id): m
            for m in Match.objects.select_for_update()
            .filter(volunteer_id__in=volunteer_ids, opportunity_id__in=opportunity_ids)
            .exclude(status=MatchStatus.WITHDRAWN)
            .order_by()
        }
        to_update: list[Match] = []
        to_create: list[Match] = []
        for pair, suggestion in by_pair.items():
            score = min(max(float(suggestion.score), 0.0), 1.0)
            features = _rounded_features(suggestion.features)
            reasons = list(suggestion.reasons)
            row = open_rows.get(pair)
            if row is None:
                to_create.append(
                    Match(
                        volunteer_id=pair[0],
                        opportunity_id=pair[1],
                        status=MatchStatus.SUGGESTED,
                        score=score,
                        features=features,
                        reasons=reasons,
                        model_version=model_version,
                        run=run,
                    )
                )
            elif row.status != MatchStatus.SUGGESTED:
                result.skipped_reviewed += 1
            elif (
                abs(row.score - score) < 1e-9
                and row.features == features
                and row.reasons == reasons
                and row.model_version == model_version
            ):
                result.unchanged += 1
                result.match_ids.append(row.id)
            else:
                row.score, row.features, row.reasons = score, features, reasons
                row.model_version, row.updated_at = model_version, now
                if run is not None:
                    row.run = run
                to_update.append(row)
        if to_update:
            Match.objects.bulk_update(
                to_update,
                ["score", "features", "reasons", "model_version", "run", "updated_at"],
                batch_size=500,
            )
            result.updated = len(to_update)
            result.match_ids += [m.id for m in to_update]
        if to_create:
            Match.objects.bulk_create(to_create, ignore_conflicts=True, batch_size=500)
            created = Match.objects.filter(
                volunteer_id__in={m.volunteer_id for m in to_create},
                opportunity_id__in={m.opportunity_id for m in to_create},
                status=MatchStatus.SUGGESTED,
            ).values_list("id", "volunteer_id", "opportunity_id")
            wanted = {(m.volunteer_id, m.opportunity_id) for m in to_create}
            ids = [pk for pk, v, o in created if (v, o) in wanted]
            result.created = len(ids)
            result.match_ids += ids
    return result


def _withdraw(reasons_by_match_id: dict[int, str], *, now: dt.datetime) -> int:
    """Withdraw suggested matches (and only those still suggested) with one transition each."""
    if not reasons_by_match_id:
        return 0
    ids = list(
        Match.objects.select_for_update()
        .filter(id__in=list(reasons_by_match_id), status=MatchStatus.SUGGESTED)
        .order_by()
        .values_list("id", flat=True)
    )
    if not ids:
        return 0
    Match.objects.filter(id__in=ids).update(status=MatchStatus.WITHDRAWN, updated_at=now)
    MatchTransition.objects.bulk_create(
        [
            MatchTransition(
                match_id=pk,
                from_status=MatchStatus.SUGGESTED,
                to_status=MatchStatus.WITHDRAWN,
                actor=None,
                reason=reasons_by_match_id[pk],
            )
            for pk in ids
        ],
        batch_size=500,
    )
    return len(ids)


class _BetterCounter:
    """How many open suggestions of the same volunteer (group 0) or the same role (group 1) score
    higher than a given pair: sorted scores per key and a binary search, so a chunk with thousands
    of stale rows stays O(n log n)."""

    def __init__(self, rows: Iterable[tuple[int, int, float]], group: int) -> None:
        self.group = group
        by_key: dict[int, list[float]] = {}
        for volunteer_id, opportunity_id, score in rows:
            by_key.setdefault(opportunity_id if group else volunteer_id, []).append(score)
        self.scores = {key: sorted(values) for key, values in by_key.items()}

    def better_than(self, pair: tuple[int, int], score: float) -> int:
        scores = self.scores.get(pair[self.group], [])
        # The pair itself is suggested too but never scores strictly above itself.
        return len(scores) - bisect.bisect_right(scores, score)


# --- rematches ---------------------------------------------------------------------------------------


def _volunteers_rematch(
    volunteer_ids: Sequence[int], *, run: MatchRun | None = None, chunk_id: int | None = None
) -> StoreResult | None:
    """Fresh suggestions for these volunteers against every published role; what drops out of a
    volunteer's top list is withdrawn unless the role still ranks the pair among its best.

    The engine runs outside any transaction (on SQLite a write transaction locks the whole file);
    the writes then go in one short transaction. With ``chunk_id`` that transaction first flips the
    chunk to done with a conditional update; if another delivery already did, nothing is written
    and None is returned, so a chunk is counted, and its writes made, exactly once.
    """
    started = timezone.now()
    snapshot = _role_snapshot()
    volunteers = record_builders.volunteer_records(
        VolunteerProfile.objects.filter(id__in=list(volunteer_ids)).order_by("id"),
        today=snapshot.today,
    )
    ids = [v.id for v in volunteers]
    excluded = excluded_pairs(volunteer_ids=ids)
    suggestions = _rank_volunteers(snapshot, volunteers, excluded)
    fresh = {(s.volunteer_id, s.opportunity_id) for s in suggestions}
    by_id = {v.id: v for v in volunteers}

    with transaction.atomic():
        if chunk_id is not None and not _chunk_flip_done(chunk_id, run):
            return None
        result = suggestions_store(
            suggestions=suggestions, model_version=snapshot.model_version, run=run
        )
        stale = list(
            Match.objects.filter(volunteer_id__in=ids, status=MatchStatus.SUGGESTED)
            .order_by()
            .values_list("id", "volunteer_id", "opportunity_id", "score")
        )
        stale = [row for row in stale if (row[1], row[2]) not in fresh]
        role_scores = _BetterCounter(
            Match.objects.filter(
                opportunity_id__in={row[2] for row in stale}, status=MatchStatus.SUGGESTED
            )
            .order_by()
            .values_list("volunteer_id", "opportunity_id", "score"),
            group=1,
        )
        to_withdraw: dict[int, str] = {}
        for pk, volunteer_id, opportunity_id, score in stale:
            role = snapshot.roles.get(opportunity_id)
            if role is None or ineligibility_reasons(
                by_id[volunteer_id], role, today=snapshot.today
            ):
                to_withdraw[pk] = REASON_NO_LONGER_ELIGIBLE
            elif (
                role_scores.better_than((volunteer_id, opportunity_id), score)
                >= SUGGESTIONS_PER_ROLE
            ):
                to_withdraw[pk] = REASON_OUTRANKED
        result.withdrawn = _withdraw(to_withdraw, now=timezone.now())
        VolunteerProfile.objects.filter(id__in=ids).update(matched_at=started)
        if chunk_id is not None:
            MatchRunChunk.objects.filter(id=chunk_id).update(suggestions=result.stored)
    return result


def volunteer_rematch(*, profile_id: int) -> StoreResult:
    """Recompute one volunteer's suggestions (after a profile change)."""
    result = _volunteers_rematch([profile_id])
    assert result is not None  # None only when a run's chunk was already done
    return result


def opportunity_rematch(*, opportunity_id: int) -> StoreResult:
    """Recompute one role's suggestions (after it was posted, edited, closed or filled).

    The role's best volunteers are suggested; its open suggestions that became ineligible are
    withdrawn; those that fell out of its top list are withdrawn only when the volunteer has enough
    better suggestions too.
    """
    started = timezone.now()
    snapshot = _role_snapshot()
    role = snapshot.roles.get(opportunity_id)
    suggestions: list = []
    if role is not None and snapshot.index is not None:
        volunteers = record_builders.volunteer_records(
            VolunteerProfile.objects.filter(paused=False).order_by("id"), today=snapshot.today
        )
        excluded = excluded_pairs(opportunity_ids=[opportunity_id])
        suggestions = rank_for_opportunity(
            role,
            volunteers,
            today=snapshot.today,
            k=SUGGESTIONS_PER_ROLE,
            labels=snapshot.labels,
            excluded=excluded,
            index=snapshot.index,
        )
    fresh = {(s.volunteer_id, s.opportunity_id) for s in suggestions}

    with transaction.atomic():
        result = suggestions_store(suggestions=suggestions, model_version=snapshot.model_version)
        stale = [
            row
            for row in Match.objects.filter(
                opportunity_id=opportunity_id, status=MatchStatus.SUGGESTED
            )
            .order_by()
            .values_list("id", "volunteer_id", "opportunity_id", "score")
            if (row[1], row[2]) not in fresh
        ]
        stale_volunteers = {
            v.id: v
            for v in record_builders.volunteer_records(
                VolunteerProfile.objects.filter(id__in={row[1] for row in stale}),
                today=snapshot.today,
            )
        }
        volunteer_scores = _BetterCounter(
            Match.objects.filter(
                volunteer_id__in=list(stale_volunteers), status=MatchStatus.SUGGESTED
            )
            .order_by()
            .values_list("volunteer_id", "opportunity_id", "score"),
            group=0,
        )
        to_withdraw: dict[int, str] = {}
        for pk, volunteer_id, _, score in stale:
            if role is None or ineligibility_reasons(
                stale_volunteers[volunteer_id], role, today=snapshot.today
            ):
                to_withdraw[pk] = REASON_NO_LONGER_ELIGIBLE
            elif (
                volunteer_scores.better_than((volunteer_id, opportunity_id), score)
                >= SUGGESTIONS_PER_VOLUNTEER
            ):
                to_withdraw[pk] = REASON_OUTRANKED
        result.withdrawn = _withdraw(to_withdraw, now=timezone.now())
        Opportunity.objects.filter(id=opportunity_id).update(matched_at=started)
    return result


# --- full runs ---------------------------------------------------------------------------------------


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


def _chunk_flip_done(chunk_id: int, run: MatchRun | None) -> bool:
    """Inside the write transaction: mark the chunk done and count it in its run, only if no other
    delivery did (an atomic conditional update, so two racing deliveries cannot both count)."""
    now = timezone.now()
    flipped = MatchRunChunk.objects.filter(id=chunk_id, done=False).update(
        done=True, finished_at=now
    )
    if not flipped:
        return False
    assert run is not None
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
        raise ApplicationError(UNKNOWN_CHUNK_MESSAGE.format(chunk_id=chunk_id), code="not_found")
    if chunk.done:
        return None
    now = timezone.now()
    MatchRunChunk.objects.filter(id=chunk_id).update(attempts=F("attempts") + 1)
    MatchRun.objects.filter(id=chunk.run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, updated_at=now
    )
    return _volunteers_rematch(chunk.volunteer_ids, run=chunk.run, chunk_id=chunk_id)


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


# --- reconciliation -----------------------------------------------------------------------------------


def stale_volunteer_ids(*, limit: int) -> list[int]:
    """Profiles changed since they were last matched (or never matched), oldest change first."""
    return list(
        VolunteerProfile.objects.filter(
            Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at"))
        )
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def stale_opportunity_ids(*, limit: int) -> list[int]:
    """Roles changed since they were last matched (closed ones too: their suggestions must go)."""
    return list(
        Opportunity.objects.filter(Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at")))
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )


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


# --- model refits ---------------------------------------------------------------------------------------


@dataclass
class RefitResult:
    version: ScoringModelVersion | None
    promoted: bool
    labels: int
    message: str


def _labelled_matches() -> tuple[np.ndarray, np.ndarray]:
    rows = (
        Match.objects.filter(status__in=REVIEWED_STATUSES)
        .order_by("id")
        .values_list("features", "status")
    )
    x, y = [], []
    for features, status in rows:
        if not features or any(name not in features for name in FEATURE_NAMES):
            continue  # made by hand or by an older engine: no features to learn from
        x.append([float(features[name]) for name in FEATURE_NAMES])
        y.append(1 if status in POSITIVE_STATUSES else 0)
    return np.asarray(x, dtype=np.float64).reshape(-1, len(FEATURE_NAMES)), np.asarray(y)


def scoring_model_refit(*, min_labels: int = REFIT_MIN_LABELS, seed: int = 0) -> RefitResult:
    """Fit a logistic regression on the decisions people made, store it, and make it current only
    if it does at least as well as the current model on the same held-out rows.

    Labels: approved, offered, accepted, active, completed = 1; rejected, declined = 0; features are
    the ones stored with the suggestion when it was shown.
    """
    from sklearn.model_selection import train_test_split

    x, y = _labelled_matches()
    if len(y) < min_labels or len(set(y.tolist())) < 2:
        message = f"Not enough decisions to learn from: {len(y)} labelled, {min_labels} needed."
        return RefitResult(version=None, promoted=False, labels=len(y), message=message)
    version = f"logistic-{timezone.now():%Y%m%d-%H%M%S}-n{len(y)}"
    candidate = fit_model(x, y, version=version, seed=seed)
    # The same split fit_model used: the current model is judged on the rows the candidate never
    # saw, so the comparison is fair to both.
    _, x_test, _, y_test = train_test_split(
        x, y, test_size=HELD_OUT_SHARE, random_state=seed, stratify=y
    )
    with transaction.atomic():
        current_row = (
            ScoringModelVersion.objects.select_for_update().filter(is_current=True).first()
        )
        current = (
            DEFAULT_MODEL if current_row is None else ScoringModel.from_dict(current_row.parameters)
        )
        promoted = is_at_least_as_good(candidate, current, features=x_test, labels=y_test)
        if promoted:
            ScoringModelVersion.objects.filter(is_current=True).update(is_current=False)
        stored = ScoringModelVersion.objects.create(
            version=candidate.version,
            parameters=candidate.to_dict(),
            training_size=candidate.training_size,
            metrics=dict(candidate.metrics),
            is_current=promoted,
        )
    verdict = "now current" if promoted else f"kept {current.version}"
    return RefitResult(
        version=stored,
        promoted=promoted,
        labels=len(y),
        message=f"Fitted {stored.version} on {len(y)} decisions; {verdict}.",
    )
