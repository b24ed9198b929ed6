"""Rematching one volunteer, one role, or a chunk of volunteers, and keeping the open set right.

Which suggestions stay open. A pair is suggested while it is eligible and among the volunteer's
best ``SUGGESTIONS_PER_VOLUNTEER`` roles *or* the role's best ``SUGGESTIONS_PER_ROLE`` volunteers.
The union matters: a role posted between two full runs gets candidates at once (the role's view),
while a volunteer's own list is trimmed at each of their rematches (the volunteer's view) without
taking candidates away from a role that has few. Whatever leaves the set is WITHDRAWN with a
MatchTransition saying why (``no_longer_eligible`` or ``outranked``), never deleted. Nothing here
touches a match a person has reviewed: that is the placements app's business.

Both directions share one rule (``_withdraw_stale``): a suggestion that the rematched side no
longer ranks is withdrawn when the pair broke a rule, or when the *other* side of the pair already
has its full list of better suggestions.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence

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

#: Which side of a pair a count is grouped by.
BY_VOLUNTEER, BY_ROLE = 0, 1


class _BetterCounter:
    """How many open suggestions of the same volunteer (BY_VOLUNTEER) or the same role (BY_ROLE)
    score higher than a given pair: sorted scores per key and a binary search, so a chunk with
    thousands of stale rows stays O(n log n)."""

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
    other_side: int,
    other_side_keeps: int,
    today: dt.date,
) -> int:
    """Withdraw the suggestions the rematched side dropped: ``no_longer_eligible`` when the pair
    breaks a rule (or the role is gone; the codes go in the note), ``outranked`` when the other
    side of the pair (``other_side``) already has ``other_side_keeps`` better open suggestions; others stay."""
    if not stale:
        return 0
    column = "opportunity_id__in" if other_side == BY_ROLE else "volunteer_id__in"
    keys = {row[1 + other_side] for row in stale}
    counter = _BetterCounter(
        (row[1:] for row in _open_rows(**{column: list(keys)})), group=other_side
    )
    reasons: dict[int, str] = {}
    notes: dict[int, str] = {}
    for pk, volunteer_id, opportunity_id, score in stale:
        record = role(opportunity_id)
        codes = (
            [ROLE_NOT_OPEN]
            if record is None
            else ineligibility_reasons(volunteer(volunteer_id), record, today=today)
        )
        if codes:
            reasons[pk], notes[pk] = REASON_NO_LONGER_ELIGIBLE, ", ".join(codes)
        elif counter.better_than((volunteer_id, opportunity_id), score) >= other_side_keeps:
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
) -> StoreResult | None:
    """Fresh suggestions for these volunteers against every published role; what drops out of a
    volunteer's top list is withdrawn unless the role still ranks the pair among its best.

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
            other_side=BY_ROLE,
            other_side_keeps=candidates.SUGGESTIONS_PER_ROLE,
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

    The role's best volunteers are suggested; its open suggestions that became ineligible are
    withdrawn; those that fell out of its top list are withdrawn only when the volunteer has enough
    better suggestions too.
    """
    started = timezone.now()
    snapshot = candidates.role_snapshot()
    role = snapshot.roles.get(opportunity_id)
    suggestions: list = []
    if role is not None and snapshot.index is not None:
        volunteers = record_builders.volunteer_records(
            candidates.matchable_volunteers().filter(paused=False).order_by("id"),
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
            other_side=BY_VOLUNTEER,
            other_side_keeps=candidates.SUGGESTIONS_PER_VOLUNTEER,
            today=snapshot.today,
        )
        Opportunity.objects.filter(id=opportunity_id).update(matched_at=started)
    return result
