"""Nothing stale survives: the system's re-check of one match, of a volunteer's or a role's open
matches (right after they changed), and a coordinator's resume of a match on hold.

What the system does (``placements.services.eligibility.system_move``), judged with the engine's
own rules on the pair as it stands now:

* a suggestion, approval or offer that breaks any rule is withdrawn, with the codes in the
  transition's note. An offer's own place and the other offers waiting for the volunteer's answer
  do not count against it (``pair_records(holding_place=True)``): only what they committed to.
* an accepted match that has not started and breaks a rule is withdrawn too (safeguarding: it must
  not start), unless the only cause is a lapsed background check or training: then it goes on hold
  (it keeps its place and the commitment), and back to accepted when the credential is valid
  again. The role closing to newcomers, or the volunteer's own hours limit, do not withdraw a
  commitment already made; of "unavailable" only pausing does (the cap was counted on accept).
* an active match is never ended by the system: people in a running role are not dropped by a
  profile edit (pausing, moving, modes), their coordinator decides. A lapsed check or training the
  role needs, or an age the role needs (a corrected date of birth), puts it on hold; when valid
  again it becomes active again (the sweep, the change's event, or a coordinator's ``resume``).

Every move goes through the lifecycle's ``_move`` (audit row, event, notices), under the same
locks as a person's action, and is re-checked under them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from backend.errors import ConflictError, ForbiddenError
from matching.models import Match, MatchStatus, MatchTransition
from placements import permissions
from placements.services.eligibility import (
    ACTIVE_HOLD_CODES,
    CREDENTIAL_CODES,
    SystemMove,
    match_ineligibility,
    refuse_if_ineligible,
    system_move,
)
from placements.services.reasons import SYSTEM_ROLE_STARTED
from placements.services.transitions import (
    CANNOT_ACTIVATE,
    NOT_A_COORDINATOR,
    _lock,
    _move,
    _today,
)
from placements.states import RECHECKED_STATUSES

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus

CANNOT_HOLD = "This match is {status}: only an accepted or active match can be put on hold."
CANNOT_RESUME = "Only a match on hold can be resumed; this match is {status}."


def held_from(match: Match) -> str:
    """The status a match on hold was held from (accepted or active)."""
    step = (
        MatchTransition.objects.filter(match=match, to_status=S.ON_HOLD)
        .order_by("-created_at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )
    return S.ACCEPTED if step == S.ACCEPTED else S.ACTIVE


def _apply(match: Match, move: SystemMove, *, today: dt.date) -> None:
    conflict = CANNOT_HOLD if move.to_status == S.ON_HOLD else CANNOT_ACTIVATE
    _move(
        match,
        move.to_status,
        actor=None,
        reason=move.reason,
        note=", ".join(move.codes),
        conflict=conflict,
    )
    starts_on = match.opportunity.starts_on
    if move.to_status == S.ACCEPTED and (starts_on is None or starts_on <= today):
        _move(match, S.ACTIVE, actor=None, reason=SYSTEM_ROLE_STARTED, conflict=CANNOT_ACTIVATE)


def match_recheck(*, match_id: int, today: dt.date | None = None) -> SystemMove | None:
    """Re-check one match as the system and make its move (withdraw, hold, resume), if any.
    Under the locks, so a match a person changed meanwhile is judged as it is now."""
    today = today or _today()
    with transaction.atomic():
        match, _ = _lock(match_id)
        if match.status not in RECHECKED_STATUSES:
            return None
        holding = match.status != S.SUGGESTED
        codes = match_ineligibility(match, today=today, holding_place=holding)
        origin = held_from(match) if match.status == S.ON_HOLD else None
        move = system_move(match.status, codes, paused=match.volunteer.paused, held_from=origin)
        if move is not None:
            _apply(match, move, today=today)
    return move


#: Newest first: when a role's places shrink below its offers, or a volunteer's cap below their
#: offers, the latest ones give way and the earliest keep their place.
RECHECK_ORDER = "-id"


def _recheck_all(matches: list[int], today: dt.date | None) -> int:
    moved = 0
    for match_id in matches:
        if match_recheck(match_id=match_id, today=today) is not None:
            moved += 1
    return moved


def volunteer_recheck(*, profile_id: int, today: dt.date | None = None) -> int:
    """Re-check every open match of one volunteer (after their profile, check or trainings
    changed). Returns how many the system moved."""
    ids = Match.objects.filter(volunteer_id=profile_id, status__in=RECHECKED_STATUSES)
    return _recheck_all(list(ids.order_by(RECHECK_ORDER).values_list("id", flat=True)), today)


def opportunity_recheck(*, opportunity_id: int, today: dt.date | None = None) -> int:
    """Re-check every open match of one role (after it was edited, closed or filled)."""
    ids = Match.objects.filter(opportunity_id=opportunity_id, status__in=RECHECKED_STATUSES)
    return _recheck_all(list(ids.order_by(RECHECK_ORDER).values_list("id", flat=True)), today)


def commitment_recheck(*, match_id: int, today: dt.date | None = None) -> int:
    """Re-check the volunteer's other open matches after they committed to this one."""
    profile_id = Match.objects.filter(pk=match_id).values_list("volunteer_id", flat=True).first()
    if profile_id is None:
        return 0
    return volunteer_recheck(profile_id=profile_id, today=today)


def match_resume(*, match_id: int, actor: User, today: dt.date | None = None) -> Match:
    """A coordinator resumes a match on hold, once what held it is valid again (they may have
    just verified the renewal). Refused (409, with the reasons) while it is still lapsed."""
    today = today or _today()
    with transaction.atomic():
        match, opportunity = _lock(match_id)
        if not permissions.can_review(actor, match):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        if match.status != S.ON_HOLD:
            raise ConflictError(
                CANNOT_RESUME.format(status=match.status), code="invalid_transition"
            )
        origin = held_from(match)
        blocking = CREDENTIAL_CODES if origin == S.ACCEPTED else ACTIVE_HOLD_CODES
        codes = match_ineligibility(match, today=today, holding_place=True)
        refuse_if_ineligible([code for code in codes if code in blocking])
        _move(match, origin, actor=actor, conflict=CANNOT_RESUME)
        if origin == S.ACCEPTED and (
            opportunity.starts_on is None or opportunity.starts_on <= today
        ):
            _move(match, S.ACTIVE, actor=None, reason=SYSTEM_ROLE_STARTED, conflict=CANNOT_ACTIVATE)
    return match
