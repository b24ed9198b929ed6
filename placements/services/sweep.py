"""The daily sweep: what broke a rule since it was made is withdrawn or put on hold, what was on
hold and is valid again resumes, and accepted matches whose role has begun start.

The rules and what the system does for each status are in placements/services/rechecks.py. The
sweep judges every open match in batches (the record builders cost a fixed handful of queries per
batch), and hands each match that needs a move to ``match_recheck``, which judges it again under the
locks and makes the move: a change between the two is never acted on blindly. It also catches what
no event announces: time passing (a check or training expiring, a role ending) and rows changed
without a service.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from django.db.models import Count, Sum
from django.utils import timezone

from backend.errors import ConflictError
from matching.engine import OpportunityRecord, VolunteerRecord, eligibility
from matching.models import OCCUPYING_STATUSES, Match, MatchStatus, MatchTransition
from matching.records import opportunity_records, volunteer_records
from opportunities.models import Opportunity
from opportunities.services import opportunities_unpublish_for_unverified
from placements.services.eligibility import SystemMove, system_move
from placements.services.rechecks import RECHECK_ORDER, match_recheck
from placements.services.transitions import match_activate
from placements.states import COMMITTED_STATUSES, PENDING_STATUSES, RECHECKED_STATUSES
from volunteers.models import VolunteerProfile

S = MatchStatus

#: Records are built for this many matches at once: the builders cost a fixed handful of queries
#: per batch, and 500 keeps one batch's records well under 10 MB.
SWEEP_BATCH = 500
#: What the sweep reports, by the status the system moved a match to.
COUNTED: dict[str, str] = {
    S.WITHDRAWN: "withdrawn",
    S.ON_HOLD: "held",
    S.ACCEPTED: "resumed",
    S.ACTIVE: "resumed",
}

Row = tuple[int, int, int, str]


def _commitments(volunteer_ids: set[int]) -> dict[int, tuple[int, float]]:
    """Volunteer id -> (commitments, weekly hours) they hold: accepted, active or on hold."""
    rows = (
        Match.objects.filter(volunteer_id__in=volunteer_ids, status__in=COMMITTED_STATUSES)
        .order_by()
        .values("volunteer_id")
        .annotate(n=Count("id"), hours=Sum("opportunity__hours_per_week"))
    )
    return {row["volunteer_id"]: (row["n"], float(row["hours"] or 0)) for row in rows}


def _held_from(match_ids: list[int]) -> dict[int, str]:
    """Match id -> the status each match on hold was held from (its latest hold)."""
    steps = MatchTransition.objects.filter(match_id__in=match_ids, to_status=S.ON_HOLD).order_by(
        "created_at", "id"
    )
    return dict(steps.values_list("match_id", "from_status"))


def _places_left_to_a_holder(role_ids: set[int]) -> dict[int, int]:
    """Role id -> places left to a match that already holds one (its own place not counted). From
    the true counts: a record's ``capacity_left`` stops at 0, so adding one back to it would hide
    a role whose places were cut below the matches holding them."""
    capacity = dict(Opportunity.objects.filter(pk__in=role_ids).values_list("id", "capacity"))
    held = dict(
        Match.objects.filter(opportunity_id__in=role_ids, status__in=OCCUPYING_STATUSES)
        .order_by()
        .values("opportunity_id")
        .annotate(n=Count("id"))
        .values_list("opportunity_id", "n")
    )
    return {pk: max(capacity[pk] - (held.get(pk, 1) - 1), 0) for pk in capacity}


def _pair(
    status: str,
    volunteer: VolunteerRecord,
    role: OpportunityRecord,
    committed: tuple[int, float],
    left_to_a_holder: int,
) -> tuple[VolunteerRecord, OpportunityRecord]:
    """The pair as ``pair_records`` sees it: a match that holds a place (anything but a
    suggestion) does not count its own place, and only commitments count against it, not other
    offers waiting for an answer."""
    if status == S.SUGGESTED:
        return volunteer, role
    role = dataclasses.replace(role, capacity_left=left_to_a_holder)
    if status in PENDING_STATUSES:  # not a commitment itself, so nothing of its own to subtract
        volunteer = dataclasses.replace(
            volunteer, active_commitments=committed[0], committed_hours=committed[1]
        )
    return volunteer, role


def _moves(batch: list[Row], today: dt.date) -> list[tuple[int, SystemMove]]:
    """The matches of one batch the system must move, judged on records built for the batch."""
    volunteers = {
        r.id: r
        for r in volunteer_records(
            VolunteerProfile.objects.filter(pk__in={row[1] for row in batch}), today=today
        )
    }
    roles = {
        r.id: r
        for r in opportunity_records(
            Opportunity.objects.filter(pk__in={row[2] for row in batch}), today=today
        )
    }
    committed = _commitments({row[1] for row in batch})
    left = _places_left_to_a_holder({row[2] for row in batch})
    held = _held_from([row[0] for row in batch if row[3] == S.ON_HOLD])
    moves = []
    for match_id, volunteer_id, opportunity_id, status in batch:
        volunteer, role = _pair(
            status,
            volunteers[volunteer_id],
            roles[opportunity_id],
            committed.get(volunteer_id, (0, 0.0)),
            left[opportunity_id],
        )
        codes = eligibility.ineligibility_reasons(volunteer, role, today=today)
        move = system_move(status, codes, paused=volunteer.paused, held_from=held.get(match_id))
        if move is not None:
            moves.append((match_id, move))
    return moves


def matches_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily sweep (see the module's docstring). Safe to run twice: a second run finds
    nothing to move. Returns how many matches were withdrawn, held, resumed and activated, and how
    many roles of organizations no longer verified went back to draft first (what a refusal does
    at once; this catches a delivery of it that failed)."""
    today = today or timezone.localdate()
    counts: Counter[str] = Counter(dict.fromkeys((*COUNTED.values(), "activated"), 0))
    counts["unpublished"] = len(opportunities_unpublish_for_unverified())
    candidates: list[Row] = list(
        Match.objects.filter(status__in=RECHECKED_STATUSES)
        .order_by(RECHECK_ORDER)
        .values_list("id", "volunteer_id", "opportunity_id", "status")
    )
    for start in range(0, len(candidates), SWEEP_BATCH):
        for match_id, _ in _moves(candidates[start : start + SWEEP_BATCH], today):
            move = match_recheck(match_id=match_id, today=today)
            if move is not None:
                counts[COUNTED[move.to_status]] += 1
    starting = Match.objects.filter(status=S.ACCEPTED).exclude(opportunity__starts_on__gt=today)
    for match_id in list(starting.values_list("id", flat=True)):
        try:
            match_activate(match_id=match_id, actor=None, today=today)
        except ConflictError:
            continue  # changed meanwhile (withdrawn, or already active)
        counts["activated"] += 1
    return dict(counts)
