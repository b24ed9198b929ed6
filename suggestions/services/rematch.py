"""Rematching one volunteer, one role, or a chunk of volunteers, and keeping the open set right.

Which suggestions stay open. Whatever side is rematched gets exactly what the capacity-aware
assignment gives it (``candidates.limits``): a volunteer's rematch sets that volunteer's open
suggestions (at most MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER, only roles with room left once the others'
open suggestions are counted); a role's rematch sets that role's candidates (at most
MAX_CANDIDATES_PER_PLACE per open place, only volunteers under the cap). A role posted between two
full runs gets candidates at once, from volunteers who have room; a volunteer's rematch gives the
first-candidate bonus to a role nobody else is shown to, so roles are not left empty. Whatever
leaves the set is WITHDRAWN with a MatchTransition saying why (``no_longer_eligible`` when the pair
broke a rule, ``outranked`` otherwise), never deleted. Nothing here touches a match a person has
reviewed: that is the placements app's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from matching import records as record_builders
from matching.engine import (
    OpportunityRecord,
    VolunteerRecord,
    ineligibility_reasons,
    rank_for_opportunity,
)
from matching.engine.eligibility import ROLE_NOT_OPEN
from matching.models import Match, MatchRun, MatchStatus, MatchTransition
from opportunities.models import Opportunity
from suggestions.services import candidates
from suggestions.services.store import (
    REASON_NO_LONGER_ELIGIBLE,
    REASON_OUTRANKED,
    StoreResult,
    suggestions_store,
    suggestions_withdraw,
)
from volunteers.models import VolunteerProfile

#: (match id, volunteer id, opportunity id, score) of an open suggestion.
Row = tuple[int, int, int, float]


def _open_rows(**filters: object) -> list[Row]:
    return list(
        Match.objects.filter(status=MatchStatus.SUGGESTED, **filters)
        .order_by()
        .values_list("id", "volunteer_id", "opportunity_id", "score")
    )


def _withdraw_stale(
    stale: Sequence[Row],
    *,
    volunteer: Callable[[int], VolunteerRecord],
    role: Callable[[int], OpportunityRecord | None],
    today: dt.date,
) -> int:
    """Withdraw the suggestions the rematched side dropped: ``no_longer_eligible`` when the pair
    breaks a rule (or the role is gone; the codes go in the note), ``outranked`` otherwise (the
    assignment gave the place in the list to another pair)."""
    if not stale:
        return 0
    reasons: dict[int, str] = {}
    notes: dict[int, str] = {}
    for pk, volunteer_id, opportunity_id, _score in stale:
        record = role(opportunity_id)
        codes = (
            [ROLE_NOT_OPEN]
            if record is None
            else ineligibility_reasons(volunteer(volunteer_id), record, today=today)
        )
        if codes:
            reasons[pk], notes[pk] = REASON_NO_LONGER_ELIGIBLE, ", ".join(codes)
        else:
            reasons[pk] = REASON_OUTRANKED
    withdrawn = suggestions_withdraw(reasons, now=timezone.now())
    _note_codes(notes)
    return withdrawn


def _note_codes(notes: dict[int, str]) -> None:
    """Write the rules each suggestion withdrawn as no longer eligible broke into its transition's
    note (one UPDATE per distinct list of codes: a handful)."""
    by_note: dict[str, list[int]] = {}
    for pk, note in notes.items():
        by_note.setdefault(note, []).append(pk)
    for note, ids in by_note.items():
        MatchTransition.objects.filter(
            match_id__in=ids,
            from_status=MatchStatus.SUGGESTED,
            to_status=MatchStatus.WITHDRAWN,
            reason=REASON_NO_LONGER_ELIGIBLE,
            note="",
        ).update(note=note)


def volunteers_rematch(
    volunteer_ids: Sequence[int],
    *,
    run: MatchRun | None = None,
    claim: Callable[[], bool] | None = None,
    record: Callable[[StoreResult], None] | None = None,
    planned: bytes | None = None,
) -> StoreResult | None:
    """Fresh suggestions for these volunteers against every published role (the assignment, or
    ``planned``: their slice of a full run's assignment); what drops out is withdrawn.

    The engine runs outside any transaction (on SQLite a write transaction locks the whole file);
    the writes then go in one short transaction. ``claim`` runs first inside it: when it answers
    False (a run's chunk that another delivery already counted) nothing is written and None is
    returned. ``record`` runs last inside it, with the result.
    """
    started = timezone.now()
    snapshot = candidates.role_snapshot()
    volunteers = record_builders.volunteer_records(
        VolunteerProfile.objects.filter(id__in=list(volunteer_ids)).order_by("id"),
        today=snapshot.today,
    )
    ids = [v.id for v in volunteers]
    excluded = candidates.excluded_pairs(volunteer_ids=ids)
    if planned is not None:
        suggestions = candidates.planned_suggestions(snapshot, volunteers, planned)
    else:
        suggestions = candidates.rank_volunteers(snapshot, volunteers, excluded)
    fresh = {(s.volunteer_id, s.opportunity_id) for s in suggestions}
    by_id = {v.id: v for v in volunteers}

    with transaction.atomic():
        if claim is not None and not claim():
            return None
        result = suggestions_store(
            suggestions=suggestions, model_version=snapshot.model_version, run=run
        )
        stale = [row for row in _open_rows(volunteer_id__in=ids) if row[1:3] not in fresh]
        result.withdrawn = _withdraw_stale(
            stale,
            volunteer=by_id.__getitem__,
            role=snapshot.roles.get,
            today=snapshot.today,
        )
        VolunteerProfile.objects.filter(id__in=ids).update(matched_at=started)
        if record is not None:
            record(result)
    return result


def volunteer_rematch(*, profile_id: int) -> StoreResult:
    """Recompute one volunteer's suggestions (after a profile change)."""
    result = volunteers_rematch([profile_id])
    if result is None:  # only a refused claim answers None, and this call passes no claim
        raise RuntimeError(f"volunteers_rematch([{profile_id}]) stored nothing without a claim")
    return result


def opportunity_rematch(*, opportunity_id: int) -> StoreResult:
    """Recompute one role's suggestions (after it was posted, edited, closed or filled).

    The role's best eligible volunteers who are under the per-volunteer cap (their open suggestions
    of other roles counted) are suggested, MAX_CANDIDATES_PER_PLACE per open place; its other open
    suggestions are withdrawn.
    """
    started = timezone.now()
    snapshot = candidates.role_snapshot()
    role = snapshot.roles.get(opportunity_id)
    suggestions: list = []
    if role is not None and snapshot.index is not None:
        volunteers = record_builders.volunteer_records(
            candidates.volunteers_the_rules_may_admit(
                candidates.matchable_volunteers().filter(paused=False), role
            ).order_by("id"),
            today=snapshot.today,
        )
        suggestions = rank_for_opportunity(
            role,
            volunteers,
            today=snapshot.today,
            k=candidates.SUGGESTIONS_PER_ROLE,
            labels=snapshot.labels,
            excluded=candidates.excluded_pairs(opportunity_ids=[opportunity_id]),
            index=snapshot.index,
            limits=candidates.limits(),
            volunteer_holds=candidates.volunteers_at_cap(except_opportunity_id=opportunity_id),
        )
    fresh = {(s.volunteer_id, s.opportunity_id) for s in suggestions}

    with transaction.atomic():
        result = suggestions_store(suggestions=suggestions, model_version=snapshot.model_version)
        stale = [row for row in _open_rows(opportunity_id=opportunity_id) if row[1:3] not in fresh]
        stale_volunteers = {
            v.id: v
            for v in record_builders.volunteer_records(
                VolunteerProfile.objects.filter(id__in={row[1] for row in stale}),
                today=snapshot.today,
            )
        }
        result.withdrawn = _withdraw_stale(
            stale,
            volunteer=stale_volunteers.__getitem__,
            role=lambda _: role,
            today=snapshot.today,
        )
        Opportunity.objects.filter(id=opportunity_id).update(matched_at=started)
    return result
