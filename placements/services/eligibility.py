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
from placements.services.reasons import (
    INELIGIBILITY_TEXT,
    SYSTEM_CREDENTIAL_LAPSED,
    SYSTEM_CREDENTIAL_RENEWED,
    SYSTEM_NO_LONGER_ELIGIBLE,
)
from placements.states import COMMITTED_STATUSES, PENDING_STATUSES

#: The engine codes for which the system withdraws a suggestion, an approval or an offer: every
#: rule. A pair that breaks any of them is never suggested, so it does not stay open either.
SWEEP_CODES = frozenset(code for code, _ in eligibility.RULES) | {eligibility.PAIR_EXCLUDED}
SWEPT_STATUSES = PENDING_STATUSES
S = MatchStatus
#: A commitment whose volunteer lacks one of these (judged on the start date, so today for a
#: running role) is put on hold rather than withdrawn: renewing the credential resumes it.
CREDENTIAL_CODES = frozenset({eligibility.BACKGROUND_CHECK_MISSING, eligibility.TRAINING_MISSING})
#: A running match is held for a credential or for an age the role needs (a date of birth that
#: staff corrected); any other rule it breaks (paused, moved, modes) leaves it running.
ACTIVE_HOLD_CODES = CREDENTIAL_CODES | {eligibility.TOO_YOUNG}
#: Rules a commitment already made is not judged by again: the role closing to newcomers or
#: filling up, the volunteer's own weekly hours, skills and free times (all checked when they
#: accepted: a role that later asks for another skill, or a volunteer whose week changes, is a
#: conversation for the coordinator, not a withdrawal). Of ``volunteer_unavailable`` only
#: pausing counts (the commitment cap counted at accept time).
COMMITTED_IGNORES = frozenset(
    {
        eligibility.ROLE_NOT_OPEN,
        eligibility.HOURS_EXCEEDED,
        eligibility.SKILL_MISSING,
        eligibility.NO_SHARED_TIME,
    }
)
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
        text = ineligibility_words(reasons)
        raise ConflictError(
            NOT_ELIGIBLE.format(reasons=text), code="not_eligible", fields={"reasons": reasons}
        )


def sweep_codes(codes: Iterable[str]) -> list[str]:
    """The codes among these for which the system withdraws (SWEEP_CODES)."""
    return [code for code in codes if code in SWEEP_CODES]


@dataclasses.dataclass(frozen=True)
class SystemMove:
    """What the system does to one match: move it to ``to_status`` for ``reason`` (a
    SYSTEM_REASONS code), naming the engine ``codes`` behind it."""

    to_status: str
    reason: str
    codes: tuple[str, ...] = ()


def system_move(
    status: str, codes: Iterable[str], *, paused: bool, held_from: str | None = None
) -> SystemMove | None:
    """The system's move for a match in ``status`` whose pair breaks ``codes`` now (None: leave it).

    * suggested, approved, offered: any broken rule withdraws it;
    * accepted (not started): a lapsed credential puts it on hold; any other rule it breaks
      (``COMMITTED_IGNORES`` aside) withdraws it, so it never starts;
    * active: a lapsed credential or an age the role needs puts it on hold; nothing else ends it;
    * on hold: judged as the status it was held from (``held_from``); once nothing holds it, it
      goes back there.
    """
    codes = tuple(codes)
    if status in PENDING_STATUSES:
        return SystemMove(S.WITHDRAWN, SYSTEM_NO_LONGER_ELIGIBLE, codes) if codes else None
    relevant = tuple(
        code
        for code in codes
        if code not in COMMITTED_IGNORES and (code != eligibility.VOLUNTEER_UNAVAILABLE or paused)
    )
    stage = held_from if status == S.ON_HOLD else status
    if stage == S.ACCEPTED:
        holding = relevant if set(relevant) <= CREDENTIAL_CODES else ()
        if relevant and not holding:
            return SystemMove(S.WITHDRAWN, SYSTEM_NO_LONGER_ELIGIBLE, relevant)
    else:
        holding = tuple(code for code in relevant if code in ACTIVE_HOLD_CODES)
        stage = S.ACTIVE
    if holding and status != S.ON_HOLD:
        reason = (
            SYSTEM_CREDENTIAL_LAPSED
            if set(holding) <= CREDENTIAL_CODES
            else (SYSTEM_NO_LONGER_ELIGIBLE)
        )
        return SystemMove(S.ON_HOLD, reason, holding)
    if not holding and status == S.ON_HOLD:
        return SystemMove(stage, SYSTEM_CREDENTIAL_RENEWED)
    return None


def ineligibility_words(codes: Iterable[str]) -> str:
    """The codes in words a volunteer understands, joined with semicolons."""
    return "; ".join(INELIGIBILITY_TEXT.get(code, code) for code in codes)
