"""A volunteer's "I'm interested" in a role, and the coordinator's answer.

::

    pending --withdraw (the volunteer)--> withdrawn
        |----accept (a coordinator)--> accepted   the pair's match: suggested -> approved -> offered
        +----decline (a coordinator, a reason)--> declined   the volunteer is told

A request is judged by the engine's own rules (``matching.engine.eligibility``, on the records of
``matching.records``) when it is made and again when it is accepted; a refusal names each rule
broken in words (INELIGIBILITY_TEXT). Accepting it goes through the one lifecycle: the pair's open
suggestion, or a new one the engine scores and the suggestions store writes (with its frozen
facts), is approved by ``transitions.match_approve`` with the reason ``volunteer_asked``, so its
audit rows and notifications are the lifecycle's. A request holds no place and the engine never
reads it: a full run or a rematch leaves it alone.

Locks: the role's row first, then the volunteer's (or the request's), as in transitions.py, so two
coordinators answering at once are serialised.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from backend.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from backend.events import emit
from matching import records as record_builders
from matching.engine import Suggestion, eligibility, rank_for_opportunity
from matching.models import OCCUPYING_STATUSES, Match, MatchStatus
from opportunities.models import Opportunity
from organizations.models import VerificationStatus
from placements import permissions
from placements.events import InterestRequestChanged
from placements.models import MESSAGE_MAX_LENGTH, InterestRequest, InterestStatus
from placements.services import transitions
from placements.services.eligibility import ineligibility_words
from placements.services.reasons import COORDINATOR_REASONS, VOLUNTEER_ASKED, check_reason
from suggestions.api.serializers import shown_reasons
from suggestions.services.candidates import excluded_pairs, role_snapshot
from suggestions.services.facts import pair_facts
from suggestions.services.scoring_model import scoring_model_current
from suggestions.services.store import suggestions_store
from volunteers.models import VolunteerProfile

if TYPE_CHECKING:
    from accounts.models import User

IS = InterestStatus

# --- Messages (tests import them) -------------------------------------------------------------------

INTEREST_NOT_FOUND = "No such interest request."
ROLE_NOT_FOUND = "No such role."
NOT_A_VOLUNTEER = "Only a volunteer with a profile can ask for a role."
EMAIL_NOT_VERIFIED = (
    "Confirm your email address first, with the link we sent you: organizations hear from "
    "volunteers only after that."
)
ALREADY_ASKED = "You already asked for this role; the coordinator has your request."
MATCH_IN_PROGRESS = "You are already matched with this role: see My roles."
TOO_MANY_OPEN = (
    "You have {limit} requests waiting for an answer, the most at once. Withdraw one, or wait "
    "for the coordinators to answer."
)
NOT_ELIGIBLE = "You cannot ask for this role: {reasons}."
MESSAGE_TOO_LONG = "Keep the message to {limit} characters."
NOT_PENDING = "This request is {status}: it was already answered or withdrawn."
NOT_YOURS = "Only the volunteer who asked can withdraw the request."
NOT_A_COORDINATOR = "Only a coordinator or admin of the role's organization may answer it."
PAIR_IN_PROGRESS = (
    "This volunteer already has a match for this role ({status}): it goes on in the review "
    "queue, not here."
)


def _today() -> dt.date:
    return timezone.localdate()


def _matchable(opportunity: Opportunity) -> bool:
    """Published, of a verified organization: the catalogue the engine ranks."""
    return (
        opportunity.status == Opportunity.Status.PUBLISHED
        and opportunity.organization.verification_status == VerificationStatus.VERIFIED
    )


def _pair_codes(
    profile: VolunteerProfile, opportunity: Opportunity, *, today: dt.date
) -> list[str]:
    """The engine's reason codes for this pair now, pairs closed before included (empty:
    eligible)."""
    volunteer = record_builders.volunteer_record(profile, today=today)
    role = record_builders.opportunity_record(opportunity, today=today)
    excluded = excluded_pairs(volunteer_ids=[profile.pk], opportunity_ids=[opportunity.pk])
    return eligibility.ineligibility_reasons(volunteer, role, today=today, excluded=excluded)


def _refuse_if_ineligible(codes: list[str]) -> None:
    if codes:
        raise ConflictError(
            NOT_ELIGIBLE.format(reasons=ineligibility_words(codes)),
            code="not_eligible",
            fields={"reasons": codes},
        )


def _open_match(profile_id: int, opportunity_id: int) -> Match | None:
    return (
        Match.objects.filter(volunteer_id=profile_id, opportunity_id=opportunity_id)
        .exclude(status=MatchStatus.WITHDRAWN)
        .first()
    )


def _changed(interest: InterestRequest, *, actor: User | None) -> None:
    emit(
        InterestRequestChanged(
            actor_id=getattr(actor, "pk", None),
            interest_id=interest.pk,
            opportunity_id=interest.opportunity_id,
            to_status=interest.status,
            reason=interest.reason,
            match_id=interest.match_id,
        )
    )


def interest_express(
    *, actor: User, opportunity_id: int, message: str = "", today: dt.date | None = None
) -> InterestRequest:
    """The volunteer asks to be considered for a role. Refused (409, in words) when the engine's
    rules say they cannot do it, when they already asked or are already matched with it, or when
    they hold INTEREST_MAX_OPEN_PER_VOLUNTEER requests waiting for an answer."""
    today = today or _today()
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        text = MESSAGE_TOO_LONG.format(limit=MESSAGE_MAX_LENGTH)
        raise ApplicationError(text, fields={"message": [text]})
    profile_id = (
        VolunteerProfile.objects.filter(user_id=getattr(actor, "pk", None) or 0)
        .values_list("pk", flat=True)
        .first()
    )
    if profile_id is None:  # as every volunteers/me/ address: no profile, nothing to find
        raise NotFoundError(NOT_A_VOLUNTEER)
    if not actor.email_verified:
        raise ConflictError(EMAIL_NOT_VERIFIED, code="email_not_verified")
    with transaction.atomic():
        opportunity = (
            Opportunity.objects.select_for_update()
            .select_related("organization")
            .filter(pk=opportunity_id)
            .first()
        )
        if opportunity is None or not _matchable(opportunity):
            raise NotFoundError(ROLE_NOT_FOUND)
        profile = VolunteerProfile.objects.select_for_update().get(pk=profile_id)
        mine = InterestRequest.objects.filter(volunteer=profile, status=IS.PENDING)
        if mine.filter(opportunity=opportunity).exists():
            raise ConflictError(ALREADY_ASKED, code="already_asked")
        match = _open_match(profile.pk, opportunity.pk)
        if match is not None and match.status in OCCUPYING_STATUSES:
            raise ConflictError(MATCH_IN_PROGRESS, code="match_in_progress")
        limit = settings.INTEREST_MAX_OPEN_PER_VOLUNTEER
        # A request for a role closed since does not hold one of her places in the count.
        if mine.filter(opportunity__status=Opportunity.Status.PUBLISHED).count() >= limit:
            raise ConflictError(TOO_MANY_OPEN.format(limit=limit), code="too_many_requests")
        _refuse_if_ineligible(_pair_codes(profile, opportunity, today=today))
        interest = InterestRequest.objects.create(
            volunteer=profile,
            opportunity=opportunity,
            message=message,
            reasons=_shown_reasons(profile, opportunity, today=today),
        )
        _changed(interest, actor=actor)
    return interest


def _lock(interest_id: int) -> tuple[InterestRequest, Opportunity]:
    """Lock the role, then the request; fresh rows. Inside ``transaction.atomic``."""
    opportunity_id = (
        InterestRequest.objects.filter(pk=interest_id)
        .values_list("opportunity_id", flat=True)
        .first()
    )
    if opportunity_id is None:
        raise NotFoundError(INTEREST_NOT_FOUND)
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("organization")
        .get(pk=opportunity_id)
    )
    interest = (
        InterestRequest.objects.select_for_update().select_related("volunteer").get(pk=interest_id)
    )
    return interest, opportunity


def _refuse_unless_pending(interest: InterestRequest) -> None:
    if interest.status != IS.PENDING:
        raise ConflictError(
            NOT_PENDING.format(status=interest.get_status_display().lower()),
            code="invalid_transition",
        )


def interest_withdraw(*, interest_id: int, actor: User) -> InterestRequest:
    """The volunteer takes back a request that is still waiting."""
    with transaction.atomic():
        interest, _ = _lock(interest_id)
        if interest.volunteer.user_id != getattr(actor, "pk", None):
            raise ForbiddenError(NOT_YOURS)
        _refuse_unless_pending(interest)
        interest.status = IS.WITHDRAWN
        interest.save(update_fields=["status", "updated_at"])
        _changed(interest, actor=actor)
    return interest


def _engine_suggestion(
    profile: VolunteerProfile, opportunity: Opportunity, *, today: dt.date
) -> tuple[list[Suggestion], str]:
    """The pair as the engine suggests it (nothing when not eligible), and the model's version."""
    snapshot = role_snapshot()
    model = scoring_model_current()
    found = rank_for_opportunity(
        record_builders.opportunity_record(opportunity, today=today),
        [record_builders.volunteer_record(profile, today=today)],
        today=today,
        k=1,
        model=model,
        labels=snapshot.labels,
        # The catalogue's vectorizer, so the text fit is the one the queues are scored with.
        index=snapshot.index,
    )
    return found, model.version


def _shown_reasons(
    profile: VolunteerProfile, opportunity: Opportunity, *, today: dt.date
) -> list[str]:
    """The engine's reasons for the pair as the review queue shows them: a distance only as the
    band the store would freeze (``facts.pair_facts``)."""
    found, _version = _engine_suggestion(profile, opportunity, today=today)
    if not found:
        return []
    facts = pair_facts([(profile.pk, opportunity.pk)], today=today)
    band = facts.get((profile.pk, opportunity.pk), {}).get("distance_band")
    return shown_reasons(list(found[0].reasons), band)


def _suggestion_for(profile: VolunteerProfile, opportunity: Opportunity, *, today: dt.date) -> int:
    """The pair's match as the engine would suggest it (score, features, reasons and the store's
    frozen facts), stored as a suggestion; its id. Refused in words when the engine's rules say
    the pair is not eligible."""
    found, version = _engine_suggestion(profile, opportunity, today=today)
    if not found:
        _refuse_if_ineligible(
            _pair_codes(profile, opportunity, today=today) or [eligibility.ROLE_NOT_OPEN]
        )
    stored = suggestions_store(suggestions=found, model_version=version, today=today)
    return stored.match_ids[0]


def interest_accept(
    *, interest_id: int, actor: User, note: str = "", today: dt.date | None = None
) -> InterestRequest:
    """A coordinator of the role's organization accepts the request: the pair's match is approved
    (and so offered to the volunteer) through ``transitions.match_approve``, reason
    ``volunteer_asked``, after the engine's rules are checked again."""
    today = today or _today()
    with transaction.atomic():
        interest, opportunity = _lock(interest_id)
        profile = interest.volunteer
        if not permissions.can_decide_interest(actor, opportunity, profile.user_id):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        _refuse_unless_pending(interest)
        match = _open_match(profile.pk, opportunity.pk)
        if match is not None and match.status != MatchStatus.SUGGESTED:
            raise ConflictError(
                PAIR_IN_PROGRESS.format(status=match.get_status_display().lower()),
                code="match_in_progress",
            )
        _refuse_if_ineligible(_pair_codes(profile, opportunity, today=today))
        match_id = (
            match.pk if match is not None else _suggestion_for(profile, opportunity, today=today)
        )
        transitions.match_approve(
            match_id=match_id, actor=actor, note=note, today=today, reason=VOLUNTEER_ASKED
        )
        interest.status = IS.ACCEPTED
        interest.decided_by = actor
        interest.decided_at = timezone.now()
        interest.match_id = match_id
        interest.save(update_fields=["status", "decided_by", "decided_at", "match", "updated_at"])
        _changed(interest, actor=actor)
    return interest


def interest_decline(*, interest_id: int, actor: User, reason: str) -> InterestRequest:
    """A coordinator declines the request with a reason code (COORDINATOR_REASONS); the
    volunteer is told (the notifications app hears InterestRequestChanged)."""
    reason = check_reason(reason, COORDINATOR_REASONS, required=True)
    with transaction.atomic():
        interest, opportunity = _lock(interest_id)
        if not permissions.can_decide_interest(actor, opportunity, interest.volunteer.user_id):
            raise ForbiddenError(gettext(NOT_A_COORDINATOR))
        _refuse_unless_pending(interest)
        interest.status = IS.DECLINED
        interest.reason = reason
        interest.decided_by = actor
        interest.decided_at = timezone.now()
        interest.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
        _changed(interest, actor=actor)
    return interest
