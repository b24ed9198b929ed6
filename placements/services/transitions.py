"""The match lifecycle: one service per transition, each with its guard and its audit row.

::

    suggested --approve--> approved --offer--> offered --accept--> accepted --activate--> active
        |                     (approval offers          |                 |                  |
        +--reject--> rejected   immediately)            +--decline--> declined          complete
                                                                                            v
                                                                                        completed
    hold:     accepted/active --lapse (system)--> on_hold --renewed (system) or resume
              (coordinator)--> back to accepted/active;  on_hold --complete--> completed
    withdraw: from suggested/approved/offered (coordinator or system),
              from accepted/active/on_hold (coordinator, the volunteer or system) --> withdrawn

A match goes on hold (system) when the volunteer's background check or a training the role needs
is no longer valid, and back to where it was when it is valid again (system, or a coordinator's
``resume``): see placements/services/rechecks.py, which also withdraws what broke a rule.

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

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from backend.events import emit
from matching.engine import eligibility
from matching.models import Match, MatchStatus, MatchTransition
from opportunities.models import Opportunity
from placements import permissions
from placements.events import MatchTransitioned
from placements.services.eligibility import (
    match_ineligibility,
    pair_records,
    refuse_if_ineligible,
)
from placements.services.reasons import (
    APPROVE_REASONS,
    COMPLETE_REASONS,
    COORDINATOR_REASONS,
    STAFF_SAFEGUARDING,
    SYSTEM_REASONS,
    SYSTEM_ROLE_STARTED,
    VOLUNTEER_REASONS,
    check_reason,
)
from placements.states import ALLOWED, COMMITTED_STATUSES
from volunteers.models import VolunteerProfile

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus

# --- Messages (tests import them) -------------------------------------------------------------------

MATCH_NOT_FOUND = gettext_noop("No such match.")
NOT_A_COORDINATOR = gettext_noop(
    "Only a coordinator or admin of the role's organization may do this."
)
NOT_THE_VOLUNTEER = gettext_noop("Only the volunteer of this match may do this.")
NOT_A_PARTY = gettext_noop(
    "Only the volunteer or a coordinator of the role's organization may do this."
)
CANNOT_APPROVE = gettext_noop(
    "Only a suggestion waiting for review can be approved; this match is {status}."
)
CANNOT_REJECT = gettext_noop(
    "Only a suggestion waiting for review can be rejected; this match is {status}."
)
CANNOT_OFFER = gettext_noop("Only an approved match can be offered; this match is {status}.")
CANNOT_ACCEPT = gettext_noop("Only an offer can be accepted; this match is {status}.")
CANNOT_DECLINE = gettext_noop("Only an offer can be declined; this match is {status}.")
CANNOT_ACTIVATE = gettext_noop("Only an accepted match can be started; this match is {status}.")
CANNOT_COMPLETE = gettext_noop(
    "Only an active match or one on hold can be completed; this match is {status}."
)
CANNOT_WITHDRAW = gettext_noop("This match is {status} and can no longer be withdrawn.")
VOLUNTEER_CANNOT_WITHDRAW_OFFER = gettext_noop("Decline the offer instead of withdrawing from it.")
ROLE_FULL = gettext_noop("The role has no place left: all {capacity} places are taken.")
ROLE_NOT_OPEN = gettext_noop("The role is not open: it is not published or it has ended.")
NOT_STAFF = gettext_noop("Only platform staff may withdraw a match for a safeguarding concern.")
SAFEGUARDING_NOTE_REQUIRED = gettext_noop(
    "Say what the concern is: the note is kept with the match's history."
)

# --- Helpers ----------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _lock(match_id: int, *, lock_volunteer: bool = False) -> tuple[Match, Opportunity]:
    """Lock the role, then (optionally) the volunteer, then the match, and return fresh rows.

    Must run inside ``transaction.atomic``. The order is the same in every service.
    """
    ids = Match.objects.filter(pk=match_id).values_list("opportunity_id", "volunteer_id").first()
    if ids is None:
        raise NotFoundError(gettext(MATCH_NOT_FOUND))
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
    shown_position: int | None = None,
) -> MatchTransition:
    """Apply one allowed transition, write its audit row and tell the other apps (after commit:
    the notifications app tells the people involved)."""
    from_status = match.status
    if to_status not in ALLOWED.get(from_status, frozenset()):
        raise ConflictError(conflict.format(status=from_status), code="invalid_transition")
    fields = ["status", "updated_at"]
    if from_status == S.SUGGESTED:
        # Where it sat in its role's queue as it left it: the refit weighs each decision by it
        # (docs/matching.md, "How the score learns"). A bulk review gives the positions the rows
        # had before its first decision moved the others up.
        match.shown_position = shown_position or match.queue_position()
        fields.append("shown_position")
    match.status = to_status
    # Named fields only: features, reasons and score are the engine's and stay as they were.
    match.save(update_fields=fields)
    transition = MatchTransition.objects.create(
        match=match,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        note=(note or "").strip(),
    )
    emit(
        MatchTransitioned(
            actor_id=getattr(actor, "pk", None),
            match_id=match.pk,
            transition_id=transition.pk,
            from_status=from_status,
            to_status=to_status,
        )
    )
    return transition


def match_approve(
    *,
    match_id: int,
    actor: User,
    note: str = "",
    today: dt.date | None = None,
    shown_position: int | None = None,
    reason: str = "",
) -> Match:
    """A coordinator approves a suggestion; the approval offers the role to the volunteer at once
    (two transitions). Refused when the role is closed or full, or the pair is no longer eligible.
    ``reason`` (optional, APPROVE_REASONS) says why when it is not the queue's ordinary approval:
    ``volunteer_asked`` when the volunteer's interest request was accepted."""
    today = today or _today()
    reason = check_reason(reason, APPROVE_REASONS, required=False)
    with transaction.atomic():
        match, opportunity = _lock(match_id)
        if not permissions.can_review(actor, match):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        if match.status != S.SUGGESTED:
            raise ConflictError(
                gettext(CANNOT_APPROVE).format(status=match.status), code="invalid_transition"
            )
        volunteer, role = pair_records(match, today=today, holding_place=False)
        if not eligibility.role_is_running(role, today):
            raise ConflictError(gettext(ROLE_NOT_OPEN), code="role_not_open")
        if not eligibility.role_has_place(role):
            raise ConflictError(
                gettext(ROLE_FULL).format(capacity=opportunity.capacity), code="role_full"
            )
        refuse_if_ineligible(eligibility.ineligibility_reasons(volunteer, role, today=today))
        _move(
            match,
            S.APPROVED,
            actor=actor,
            reason=reason,
            note=note,
            conflict=gettext(CANNOT_APPROVE),
            shown_position=shown_position,
        )
        _move(match, S.OFFERED, actor=actor, conflict=gettext(CANNOT_OFFER))
    return match


def match_reject(
    *,
    match_id: int,
    actor: User,
    reason: str,
    note: str = "",
    shown_position: int | None = None,
) -> Match:
    """A coordinator rejects a suggestion with a reason code; the engine never suggests the pair
    again (CLOSED_PAIR_STATUSES)."""
    reason = check_reason(reason, COORDINATOR_REASONS, required=True)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.can_review(actor, match):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        _move(
            match,
            S.REJECTED,
            actor=actor,
            reason=reason,
            note=note,
            conflict=gettext(CANNOT_REJECT),
            shown_position=shown_position,
        )
    return match


def match_accept(*, match_id: int, actor: User, today: dt.date | None = None) -> Match:
    """The volunteer accepts an offer. Eligibility is re-checked now (commitments, weekly hours,
    trainings and check valid on the start date, role still open); a role that has started makes
    the match active at once."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id, lock_volunteer=True)
        if not permissions.is_match_volunteer(actor, match):
            raise ForbiddenError(gettext(NOT_THE_VOLUNTEER))
        if match.status != S.OFFERED:
            raise ConflictError(
                gettext(CANNOT_ACCEPT).format(status=match.status), code="invalid_transition"
            )
        refuse_if_ineligible(match_ineligibility(match, today=today, holding_place=True))
        _move(match, S.ACCEPTED, actor=actor, conflict=gettext(CANNOT_ACCEPT))
        if opportunity.starts_on is None or opportunity.starts_on <= today:
            _move(
                match,
                S.ACTIVE,
                actor=None,
                reason=SYSTEM_ROLE_STARTED,
                conflict=gettext(CANNOT_ACTIVATE),
            )
    return match


def match_decline(*, match_id: int, actor: User, reason: str = "", note: str = "") -> Match:
    """The volunteer declines an offer (reason optional); the place is freed."""
    reason = check_reason(reason, VOLUNTEER_REASONS, required=False)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.is_match_volunteer(actor, match):
            raise ForbiddenError(gettext(NOT_THE_VOLUNTEER))
        _move(
            match,
            S.DECLINED,
            actor=actor,
            reason=reason,
            note=note,
            conflict=gettext(CANNOT_DECLINE),
        )
    return match


def match_activate(*, match_id: int, actor: User | None, today: dt.date | None = None) -> Match:
    """Start an accepted match: a coordinator's ``start`` action (any day), or the system on
    ``starts_on`` (actor None; the daily sweep)."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id)
        if actor is not None and not permissions.can_review(actor, match):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        if actor is None and opportunity.starts_on is not None and opportunity.starts_on > today:
            raise ConflictError(
                gettext(CANNOT_ACTIVATE).format(status="not started"), code="not_started"
            )
        reason = "" if actor is not None else SYSTEM_ROLE_STARTED
        _move(match, S.ACTIVE, actor=actor, reason=reason, conflict=gettext(CANNOT_ACTIVATE))
    return match


def match_complete(*, match_id: int, actor: User, reason: str = "", note: str = "") -> Match:
    """Either side marks an active match (or one on hold) completed; ratings open afterwards."""
    reason = check_reason(reason, COMPLETE_REASONS, required=False)
    with transaction.atomic():
        match, _ = _lock(match_id)
        if not permissions.is_party(actor, match):
            raise ForbiddenError(gettext(NOT_A_PARTY))
        _move(
            match,
            S.COMPLETED,
            actor=actor,
            reason=reason,
            note=note,
            conflict=gettext(CANNOT_COMPLETE),
        )
    return match


def match_withdraw(*, match_id: int, actor: User | None, reason: str, note: str = "") -> Match:
    """Withdraw a match with a reason: a coordinator (any open state), the volunteer (after
    accepting; an offer is declined instead) or the system (actor None, e.g. the daily sweep)."""
    with transaction.atomic():
        match, _ = _lock(match_id)
        if actor is None:
            reason = check_reason(reason, SYSTEM_REASONS, required=True)
        elif permissions.is_match_volunteer(actor, match) and not permissions.can_review(
            actor, match
        ):
            reason = check_reason(reason, VOLUNTEER_REASONS, required=True)
            if match.status == S.OFFERED:
                raise ConflictError(
                    gettext(VOLUNTEER_CANNOT_WITHDRAW_OFFER), code="invalid_transition"
                )
            if match.status not in COMMITTED_STATUSES:
                raise ConflictError(
                    gettext(CANNOT_WITHDRAW).format(status=match.status), code="invalid_transition"
                )
        elif permissions.can_review(actor, match):
            reason = check_reason(reason, COORDINATOR_REASONS, required=True)
        else:
            raise ForbiddenError(gettext(NOT_A_PARTY))
        _move(
            match,
            S.WITHDRAWN,
            actor=actor,
            reason=reason,
            note=note,
            conflict=gettext(CANNOT_WITHDRAW),
        )
    return match


def match_withdraw_for_safeguarding(*, match_id: int, actor: User, note: str) -> Match:
    """Platform staff end a match at once, whatever its open state (a suggestion, an offer, an
    active or held match), on a safeguarding concern; the note says why, and both sides hear."""
    if not permissions.can_withdraw_for_safeguarding(actor):
        raise ForbiddenError(gettext(NOT_STAFF))
    if not (note or "").strip():
        raise ApplicationError(
            gettext(SAFEGUARDING_NOTE_REQUIRED),
            fields={"note": [gettext(SAFEGUARDING_NOTE_REQUIRED)]},
        )
    with transaction.atomic():
        match, _ = _lock(match_id)
        _move(
            match,
            S.WITHDRAWN,
            actor=actor,
            reason=STAFF_SAFEGUARDING,
            note=note,
            conflict=gettext(CANNOT_WITHDRAW),
        )
    return match
