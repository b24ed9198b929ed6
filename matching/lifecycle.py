"""The match lifecycle: one service per transition, each with its guard and its audit row.

::

    suggested --approve--> approved --offer--> offered --accept--> accepted --activate--> active
        |                     (approval offers          |                 |                  |
        +--reject--> rejected   immediately)            +--decline--> declined          complete
                                                                                            v
    withdraw: from suggested/approved/offered (coordinator or system),                 completed
              from accepted/active (coordinator, the volunteer or system) --> withdrawn

When does a match become active? On accept when the role has already started (no ``starts_on``,
or ``starts_on`` today or earlier): both transitions are recorded, the second by the system.
Otherwise it stays ``accepted`` until a coordinator starts it early (``match_activate``) or the daily
sweep activates it on ``starts_on``.

Concurrency: every service takes the role's row lock first, then the match's (and, on accept, the
volunteer's), always in that order, so two coordinators or two volunteers acting at once are
serialised and cannot deadlock. The capacity count happens under the role's lock, inside the same
transaction as the write. On SQLite ``select_for_update`` is a no-op; the IMMEDIATE transaction mode
(backend/settings/base.py) takes the database write lock at BEGIN and gives the same guarantee.

Nothing here touches ``Match.features``: saves name their fields (``status``, ``updated_at``), so the
engine's stored features plus the transition rows stay usable as training labels.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework import status as http

from backend.errors import ApplicationError, ConflictError
from matching import permissions
from matching.engine import eligibility
from matching.models import OCCUPYING_STATUSES, Match, MatchStatus, MatchTransition
from opportunities.models import Opportunity
from volunteers.models import VolunteerProfile

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus

# --- Reason codes -----------------------------------------------------------------------------------

#: Why a coordinator rejects a suggestion or withdraws a match (a fixed list: the refit uses them).
COORDINATOR_REASONS: dict[str, str] = {
    "not_a_fit": "Not a fit",
    "schedule": "Schedule",
    "location": "Location",
    "skills": "Skills",
    "safety": "Safety",
    "capacity": "Capacity",
    "other": "Other",
}
#: Why a volunteer declines or withdraws.
VOLUNTEER_REASONS: dict[str, str] = {
    "schedule": "Schedule",
    "location": "Location",
    "not_a_fit": "Not a fit",
    "personal": "Personal reasons",
    "found_another": "Found another role",
    "other": "Other",
}
#: Reasons the system records on its own transitions.
SYSTEM_NO_LONGER_ELIGIBLE = "no_longer_eligible"
SYSTEM_ROLE_STARTED = "role_started"
SYSTEM_REASONS: dict[str, str] = {
    SYSTEM_NO_LONGER_ELIGIBLE: "No longer eligible",
    SYSTEM_ROLE_STARTED: "The role started",
}
COMPLETE_REASONS: dict[str, str] = {
    "finished": "The role finished",
    "term_ended": "The agreed term ended",
    "other": "Other",
}

#: What a volunteer reads for each engine ineligibility code.
INELIGIBILITY_TEXT: dict[str, str] = {
    eligibility.ROLE_NOT_OPEN: "the role is no longer open or has no place left",
    eligibility.VOLUNTEER_UNAVAILABLE: "the volunteer is paused or already holds the most "
    "commitments they asked for",
    eligibility.MODE_NOT_ACCEPTED: "the volunteer does not accept this way of volunteering",
    eligibility.TOO_FAR: "the role is farther than the volunteer travels",
    eligibility.TOO_YOUNG: "the volunteer is younger than the role's minimum age",
    eligibility.BACKGROUND_CHECK_MISSING: "a valid background check is needed on the start date",
    eligibility.TRAINING_MISSING: "a required training is missing or expires before the start",
    eligibility.LANGUAGE_MISSING: "a required language is missing",
    eligibility.HOURS_EXCEEDED: "the role's hours exceed the volunteer's weekly limit",
    eligibility.PAIR_EXCLUDED: "this pair was closed before",
}

# --- Messages (tests import them) -------------------------------------------------------------------

MATCH_NOT_FOUND = "No such match."
NOT_A_COORDINATOR = "Only a coordinator or admin of the role's organization may do this."
NOT_THE_VOLUNTEER = "Only the volunteer of this match may do this."
NOT_A_PARTY = "Only the volunteer or a coordinator of the role's organization may do this."
CANNOT_APPROVE = "Only a suggestion waiting for review can be approved; this match is {status}."
CANNOT_REJECT = "Only a suggestion waiting for review can be rejected; this match is {status}."
CANNOT_OFFER = "Only an approved match can be offered; this match is {status}."
CANNOT_ACCEPT = "Only an offer can be accepted; this match is {status}."
CANNOT_DECLINE = "Only an offer can be declined; this match is {status}."
CANNOT_ACTIVATE = "Only an accepted match can be started; this match is {status}."
CANNOT_COMPLETE = "Only an active match can be completed; this match is {status}."
CANNOT_WITHDRAW = "This match is {status} and can no longer be withdrawn."
VOLUNTEER_CANNOT_WITHDRAW_OFFER = "Decline the offer instead of withdrawing from it."
ROLE_FULL = "The role has no place left: all {capacity} places are taken."
ROLE_NOT_OPEN = "The role is not open: it is not published or it has ended."
NOT_ELIGIBLE = "This match is no longer possible: {reasons}."
REASON_REQUIRED = "Give a reason."
REASON_UNKNOWN = "Choose one of: {choices}."

#: Transitions the lifecycle allows, from -> to. Everything else answers 409.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.OFFERED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.WITHDRAWN}),
}
#: The volunteer has been told about the match (a volunteer never sees a suggestion).
SHOWN_TO_VOLUNTEER = frozenset({S.OFFERED, S.ACCEPTED, S.ACTIVE})
#: What counts as a commitment the volunteer made (for max_commitments and hours at accept time).
COMMITTED_STATUSES = frozenset({S.ACCEPTED, S.ACTIVE})


# --- Helpers ----------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _check_reason(reason: str, choices: dict[str, str], *, required: bool) -> str:
    reason = (reason or "").strip()
    if not reason:
        if required:
            raise ApplicationError(REASON_REQUIRED, fields={"reason": [REASON_REQUIRED]})
        return ""
    if reason not in choices:
        message = REASON_UNKNOWN.format(choices=", ".join(choices))
        raise ApplicationError(message, fields={"reason": [message]})
    return reason


def _lock(match_id: int, *, lock_volunteer: bool = False) -> tuple[Match, Opportunity]:
    """Lock the role, then (optionally) the volunteer, then the match, and return fresh rows.

    Must run inside ``transaction.atomic``. The order is the same in every service.
    """
    ids = Match.objects.filter(pk=match_id).values_list("opportunity_id", "volunteer_id").first()
    if ids is None:
        raise ApplicationError(
            MATCH_NOT_FOUND, code="not_found", status_code=http.HTTP_404_NOT_FOUND
        )
    opportunity = Opportunity.objects.select_for_update().get(pk=ids[0])
    if lock_volunteer:
        VolunteerProfile.objects.select_for_update().filter(pk=ids[1]).first()
    match = Match.objects.select_for_update().get(pk=match_id)
    match.opportunity = opportunity
    return match, opportunity


def _move(
    match: Match,
    to_status: str,
    *,
    actor: User | None,
    reason: str = "",
    note: str = "",
    conflict: str,
) -> MatchTransition:
    """Apply one allowed transition and write its audit row."""
    from_status = match.status
    if to_status not in ALLOWED.get(from_status, frozenset()):
        raise ConflictError(conflict.format(status=from_status), code="invalid_transition")
    match.status = to_status
    # Named fields only: features, reasons and score are the engine's and stay as they were.
    match.save(update_fields=["status", "updated_at"])
    return MatchTransition.objects.create(
        match=match,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        note=(note or "").strip(),
    )


def _notify_after_commit(transitions: Iterable[MatchTransition]) -> None:
    from notifications.dispatch import queue_transition_notice

    for item in transitions:
        queue_transition_notice(item)


def _occupied(opportunity: Opportunity, *, excluding: int | None = None) -> int:
    queryset = Match.objects.filter(opportunity=opportunity, status__in=OCCUPYING_STATUSES)
    if excluding is not None:
        queryset = queryset.exclude(pk=excluding)
    return queryset.count()


def _role_is_open(opportunity: Opportunity, today: dt.date) -> bool:
    return opportunity.status == Opportunity.Status.PUBLISHED and (
        opportunity.ends_on is None or opportunity.ends_on >= today
    )


def match_ineligibility(match: Match, *, today: dt.date, holding_place: bool) -> list[str]:
    """The engine's reason codes for this pair now (empty: eligible).

    ``holding_place``: the match already holds one of the role's places (offered, accepted), so the
    capacity check counts the other matches only, and commitments count what the volunteer has
    committed to elsewhere (accepted or active), not other offers still waiting for an answer.
    """
    from matching.records import opportunity_record, volunteer_record

    volunteer = volunteer_record(match.volunteer, today=today)
    opportunity = opportunity_record(match.opportunity, today=today)
    if holding_place:
        committed = Match.objects.filter(
            volunteer_id=match.volunteer_id, status__in=COMMITTED_STATUSES
        ).exclude(pk=match.pk)
        hours = committed.aggregate(total=Sum("opportunity__hours_per_week"))["total"]
        volunteer = dataclasses.replace(
            volunteer,
            active_commitments=committed.count(),
            committed_hours=float(hours or 0),
        )
        left = match.opportunity.capacity - _occupied(match.opportunity, excluding=match.pk)
        opportunity = dataclasses.replace(opportunity, capacity_left=max(left, 0))
    return eligibility.ineligibility_reasons(volunteer, opportunity, today=today)


def _refuse_if_ineligible(reasons: list[str]) -> None:
    if reasons:
        text = "; ".join(INELIGIBILITY_TEXT.get(code, code) for code in reasons)
        raise ConflictError(
            NOT_ELIGIBLE.format(reasons=text), code="not_eligible", fields={"reasons": reasons}
        )


# --- Services ---------------------------------------------------------------------------------------


def match_approve(
    *, match_id: int, actor: User, note: str = "", today: dt.date | None = None
) -> Match:
    """A coordinator approves a suggestion; the approval offers the role to the volunteer at once
    (two transitions). Refused when the role is closed or full, or the pair is no longer eligible."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id)
        if not permissions.can_review(actor, match):
            raise ApplicationError(NOT_A_COORDINATOR, code="forbidden", status_code=403)
        if match.status != S.SUGGESTED:
            raise ConflictError(
                CANNOT_APPROVE.format(status=match.status), code="invalid_transition"
            )
        if not _role_is_open(opportunity, today):
            raise ConflictError(ROLE_NOT_OPEN, code="role_not_open")
        if _occupied(opportunity) >= opportunity.capacity:
            raise ConflictError(ROLE_FULL.format(capacity=opportunity.capacity), code="role_full")
        _refuse_if_ineligible(match_ineligibility(match, today=today, holding_place=False))
        _move(match, S.APPROVED, actor=actor, note=note, conflict=CANNOT_APPROVE)
        offered = _move(match, S.OFFERED, actor=actor, conflict=CANNOT_OFFER)
        _notify_after_commit([offered])
    return match


def match_reject(*, match_id: int, actor: User, reason: str, note: str = "") -> Match:
    """A coordinator rejects a suggestion with a reason code; the engine never suggests the pair
    again (CLOSED_PAIR_STATUSES)."""
    reason = _check_reason(reason, COORDINATOR_REASONS, required=True)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.can_review(actor, match):
            raise ApplicationError(NOT_A_COORDINATOR, code="forbidden", status_code=403)
        _move(match, S.REJECTED, actor=actor, reason=reason, note=note, conflict=CANNOT_REJECT)
    return match


def match_offer(*, match_id: int, actor: User | None) -> Match:
    """Offer an approved match to the volunteer (approval already does this; kept for matches
    approved by other paths, e.g. the admin)."""
    with transaction.atomic():
        match, _ = _lock(match_id)
        if actor is not None and not permissions.can_review(actor, match):
            raise ApplicationError(NOT_A_COORDINATOR, code="forbidden", status_code=403)
        offered = _move(match, S.OFFERED, actor=actor, conflict=CANNOT_OFFER)
        _notify_after_commit([offered])
    return match


def match_accept(*, match_id: int, actor: User, today: dt.date | None = None) -> Match:
    """The volunteer accepts an offer. Eligibility is re-checked now (commitments, weekly hours,
    trainings and check valid on the start date, role still open); a role that has started makes
    the match active at once."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id, lock_volunteer=True)
        if not permissions.is_match_volunteer(actor, match):
            raise ApplicationError(NOT_THE_VOLUNTEER, code="forbidden", status_code=403)
        if match.status != S.OFFERED:
            raise ConflictError(
                CANNOT_ACCEPT.format(status=match.status), code="invalid_transition"
            )
        _refuse_if_ineligible(match_ineligibility(match, today=today, holding_place=True))
        moved = [_move(match, S.ACCEPTED, actor=actor, conflict=CANNOT_ACCEPT)]
        if opportunity.starts_on is None or opportunity.starts_on <= today:
            moved.append(
                _move(
                    match,
                    S.ACTIVE,
                    actor=None,
                    reason=SYSTEM_ROLE_STARTED,
                    conflict=CANNOT_ACTIVATE,
                )
            )
        _notify_after_commit(moved[:1])
    return match


def match_decline(*, match_id: int, actor: User, reason: str = "", note: str = "") -> Match:
    """The volunteer declines an offer (reason optional); the place is freed."""
    reason = _check_reason(reason, VOLUNTEER_REASONS, required=False)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.is_match_volunteer(actor, match):
            raise ApplicationError(NOT_THE_VOLUNTEER, code="forbidden", status_code=403)
        declined = _move(
            match, S.DECLINED, actor=actor, reason=reason, note=note, conflict=CANNOT_DECLINE
        )
        _notify_after_commit([declined])
    return match


def match_activate(*, match_id: int, actor: User | None, today: dt.date | None = None) -> Match:
    """Start an accepted match: a coordinator's ``start`` action (any day), or the system on
    ``starts_on`` (actor None; the daily sweep)."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id)
        if actor is not None and not permissions.can_review(actor, match):
            raise ApplicationError(NOT_A_COORDINATOR, code="forbidden", status_code=403)
        if actor is None and opportunity.starts_on is not None and opportunity.starts_on > today:
            raise ConflictError(CANNOT_ACTIVATE.format(status="not started"), code="not_started")
        reason = "" if actor is not None else SYSTEM_ROLE_STARTED
        _move(match, S.ACTIVE, actor=actor, reason=reason, conflict=CANNOT_ACTIVATE)
    return match


def match_complete(*, match_id: int, actor: User, reason: str = "", note: str = "") -> Match:
    """Either side marks an active match completed; ratings open afterwards."""
    reason = _check_reason(reason, COMPLETE_REASONS, required=False)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.is_party(actor, match):
            raise ApplicationError(NOT_A_PARTY, code="forbidden", status_code=403)
        completed = _move(
            match, S.COMPLETED, actor=actor, reason=reason, note=note, conflict=CANNOT_COMPLETE
        )
        _notify_after_commit([completed])
    return match


def match_withdraw(*, match_id: int, actor: User | None, reason: str, note: str = "") -> Match:
    """Withdraw a match with a reason: a coordinator (any open state), the volunteer (after
    accepting; an offer is declined instead) or the system (actor None, e.g. the daily sweep)."""
    with transaction.atomic():
        match, _ = _lock(match_id)
        if actor is None:
            reason = _check_reason(reason, SYSTEM_REASONS, required=True)
        elif permissions.is_match_volunteer(actor, match) and not permissions.can_review(
            actor, match
        ):
            reason = _check_reason(reason, VOLUNTEER_REASONS, required=True)
            if match.status == S.OFFERED:
                raise ConflictError(VOLUNTEER_CANNOT_WITHDRAW_OFFER, code="invalid_transition")
            if match.status not in COMMITTED_STATUSES:
                raise ConflictError(
                    CANNOT_WITHDRAW.format(status=match.status), code="invalid_transition"
                )
        elif permissions.can_review(actor, match):
            reason = _check_reason(reason, COORDINATOR_REASONS, required=True)
        else:
            raise ApplicationError(NOT_A_PARTY, code="forbidden", status_code=403)
        withdrawn = _move(
            match, S.WITHDRAWN, actor=actor, reason=reason, note=note, conflict=CANNOT_WITHDRAW
        )
        _notify_after_commit([withdrawn])
    return match


# --- The daily sweep --------------------------------------------------------------------------------

#: The engine codes for which the sweep withdraws a suggestion or an offer: what changed under it
#: (a training or check lapsed, the role closed, ended or filled up). Other rules (distance, modes,
#: languages) follow the volunteer's own profile edits and are the engine's rematch's business.
SWEEP_CODES = frozenset(
    {eligibility.ROLE_NOT_OPEN, eligibility.TRAINING_MISSING, eligibility.BACKGROUND_CHECK_MISSING}
)
SWEPT_STATUSES = frozenset({S.SUGGESTED, S.APPROVED, S.OFFERED})
#: Records are built for this many matches at once: the builders cost a fixed handful of queries
#: per batch, and 500 keeps one batch's records well under 10 MB.
SWEEP_BATCH = 500


def _sweep_codes(codes: Iterable[str]) -> list[str]:
    return [code for code in codes if code in SWEEP_CODES]


def match_withdraw_if_ineligible(*, match_id: int, today: dt.date) -> bool:
    """Withdraw one suggestion or offer, as the system, if it broke a sweep rule. Re-checked under
    the locks, so a match a coordinator changed meanwhile is left alone."""
    with transaction.atomic():
        match, _ = _lock(match_id)
        if match.status not in SWEPT_STATUSES:
            return False
        holding = match.status in OCCUPYING_STATUSES
        codes = _sweep_codes(match_ineligibility(match, today=today, holding_place=holding))
        if not codes:
            return False
        withdrawn = _move(
            match,
            S.WITHDRAWN,
            actor=None,
            reason=SYSTEM_NO_LONGER_ELIGIBLE,
            note=", ".join(codes),
            conflict=CANNOT_WITHDRAW,
        )
        _notify_after_commit([withdrawn])
    return True


def matches_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily sweep: withdraw suggestions and offers that are no longer eligible, and activate
    accepted matches whose role starts today or started earlier. Safe to run twice."""
    from matching.records import opportunity_records, volunteer_records

    today = today or _today()
    withdrawn = 0
    candidates = list(
        Match.objects.filter(status__in=SWEPT_STATUSES)
        .order_by("id")
        .values_list("id", "volunteer_id", "opportunity_id", "status")
    )
    for start in range(0, len(candidates), SWEEP_BATCH):
        batch = candidates[start : start + SWEEP_BATCH]
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
        for match_id, volunteer_id, opportunity_id, status in batch:
            role = roles[opportunity_id]
            if status in OCCUPYING_STATUSES:  # its own place does not count against it
                role = dataclasses.replace(role, capacity_left=role.capacity_left + 1)
            codes = eligibility.ineligibility_reasons(volunteers[volunteer_id], role, today=today)
            if _sweep_codes(codes) and match_withdraw_if_ineligible(match_id=match_id, today=today):
                withdrawn += 1
    activated = 0
    starting = Match.objects.filter(status=S.ACCEPTED).exclude(opportunity__starts_on__gt=today)
    for match_id in list(starting.values_list("id", flat=True)):
        try:
            match_activate(match_id=match_id, actor=None, today=today)
        except ConflictError:
            continue  # changed meanwhile (withdrawn, or already active)
        activated += 1
    return {"withdrawn": withdrawn, "activated": activated}
