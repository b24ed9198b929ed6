"""Re-checking a match against the engine's rules when a person acts on it (approve, accept) and
in the daily sweep. The rules themselves are the engine's (``matching.engine.eligibility``); this
module only builds the pair's records as they stand now and says what a place already held means.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.db.models import Sum

from backend.errors import ConflictError
from matching.engine import OpportunityRecord, VolunteerRecord, eligibility
from matching.models import OCCUPYING_STATUSES, Match, MatchStatus
from matching.records import opportunity_record, volunteer_record
from placements.services.reasons import INELIGIBILITY_TEXT
from placements.states import COMMITTED_STATUSES

#: The engine codes for which the sweep withdraws a suggestion or an offer: what changed under it
#: (a training or check lapsed, the role closed, ended or filled up). Other rules (distance, modes,
#: languages) follow the volunteer's own profile edits and are the engine's rematch's business.
SWEEP_CODES = frozenset(
    {eligibility.ROLE_NOT_OPEN, eligibility.TRAINING_MISSING, eligibility.BACKGROUND_CHECK_MISSING}
)
SWEPT_STATUSES = frozenset({MatchStatus.SUGGESTED, MatchStatus.APPROVED, MatchStatus.OFFERED})
NOT_ELIGIBLE = "This match is no longer possible: {reasons}."


def pair_records(
    match: Match, *, today: dt.date, holding_place: bool
) -> tuple[VolunteerRecord, OpportunityRecord]:
    """The volunteer and the role of ``match`` as the engine sees them now.

    ``holding_place``: the match already holds one of the role's places (offered, accepted), so its
    own place does not count against it, and commitments count what the volunteer has committed to
    elsewhere (accepted or active), not other offers still waiting for an answer.
    """
    volunteer = volunteer_record(match.volunteer, today=today)
    opportunity = opportunity_record(match.opportunity, today=today)
    if holding_place:
        committed = Match.objects.filter(
            volunteer_id=match.volunteer_id, status__in=COMMITTED_STATUSES
        ).exclude(pk=match.pk)
        hours = committed.aggregate(total=Sum("opportunity__hours_per_week"))["total"]
        volunteer = dataclasses.replace(
            volunteer, active_commitments=committed.count(), committed_hours=float(hours or 0)
        )
        others = (
            Match.objects.filter(opportunity_id=match.opportunity_id, status__in=OCCUPYING_STATUSES)
            .exclude(pk=match.pk)
            .count()
        )
        left = match.opportunity.capacity - others
        opportunity = dataclasses.replace(opportunity, capacity_left=max(left, 0))
    return volunteer, opportunity


def match_ineligibility(match: Match, *, today: dt.date, holding_place: bool) -> list[str]:
    """The engine's reason codes for this pair now (empty: eligible)."""
    volunteer, opportunity = pair_records(match, today=today, holding_place=holding_place)
    return eligibility.ineligibility_reasons(volunteer, opportunity, today=today)


def refuse_if_ineligible(reasons: list[str]) -> None:
    """409 naming, in words a volunteer understands, every rule the pair breaks."""
    if reasons:
        text = "; ".join(INELIGIBILITY_TEXT.get(code, code) for code in reasons)
        raise ConflictError(
            NOT_ELIGIBLE.format(reasons=text), code="not_eligible", fields={"reasons": reasons}
        )


def sweep_codes(codes: Iterable[str]) -> list[str]:
    """The codes among these for which the system withdraws (SWEEP_CODES)."""
    return [code for code in codes if code in SWEEP_CODES]
