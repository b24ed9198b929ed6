"""Hard rules: a pair that breaks any of them is never suggested.

One small function per rule, each answering "does this pair pass?" for one volunteer and one role.
The Django side calls :func:`is_eligible` / :func:`ineligibility_reasons` when a coordinator
approves, when a volunteer accepts, and in the daily sweep that withdraws stale suggestions. The
full run applies the same rules vectorised in :mod:`matching.engine.pairs`; tests hold the two
in agreement.

Dates: trainings, checks and age are judged on the start date, ``max(starts_on, today)``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from matching.engine import rules
from matching.engine.geo import haversine_km
from matching.engine.records import OpportunityRecord, VolunteerRecord, start_date

# Reason codes: stable strings that the Django side may store and that tests import.
ROLE_NOT_OPEN = "role_not_open"
VOLUNTEER_UNAVAILABLE = "volunteer_unavailable"
MODE_NOT_ACCEPTED = "mode_not_accepted"
TOO_FAR = "too_far"
TOO_YOUNG = "too_young"
BACKGROUND_CHECK_MISSING = "background_check_missing"
TRAINING_MISSING = "training_missing"
LANGUAGE_MISSING = "language_missing"
HOURS_EXCEEDED = "hours_exceeded"
SKILL_MISSING = "skill_missing"
NO_SHARED_TIME = "no_shared_time"
PAIR_EXCLUDED = "pair_excluded"

# Distances are compared with a hair of slack so that a role exactly at the limit, computed
# through radians and back, is not lost to rounding.
_DISTANCE_SLACK_KM = 1e-6
_HOURS_SLACK = 1e-9


def role_is_running(opportunity: OpportunityRecord, today: date) -> bool:
    """Published and not ended (today <= ends_on when set)."""
    return opportunity.status == "published" and (
        opportunity.ends_on is None or today <= opportunity.ends_on
    )


def role_has_place(opportunity: OpportunityRecord) -> bool:
    return opportunity.capacity_left >= 1


def role_is_open(opportunity: OpportunityRecord, today: date) -> bool:
    """Running (published, not ended) and at least one place left."""
    return role_is_running(opportunity, today) and role_has_place(opportunity)


def volunteer_is_available(volunteer: VolunteerRecord) -> bool:
    """Not paused and holding fewer commitments than they asked for."""
    return not volunteer.paused and volunteer.active_commitments < volunteer.max_commitments


def mode_is_accepted(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    """The volunteer accepts the role's exact mode: accepting in-person does not imply hybrid."""
    return opportunity.mode in volunteer.modes


def distance_km(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float | None:
    """Great-circle distance, or None when either side has no coordinates."""
    v_lat, v_lon = volunteer.latitude, volunteer.longitude
    o_lat, o_lon = opportunity.latitude, opportunity.longitude
    if v_lat is None or v_lon is None or o_lat is None or o_lon is None:
        return None
    return float(haversine_km(v_lat, v_lon, o_lat, o_lon))


def is_within_travel(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    """In-person and hybrid roles must lie within the volunteer's max_travel_km.

    Hybrid roles meet on site some of the time, so they get the distance rule too (safe choice).
    Without coordinates on either side we cannot tell, so the pair fails. Remote and phone roles
    have no distance rule.
    """
    if not opportunity.needs_travel:
        return True
    km = distance_km(volunteer, opportunity)
    return km is not None and km <= volunteer.max_travel_km + _DISTANCE_SLACK_KM


def is_old_enough(volunteer: VolunteerRecord, opportunity: OpportunityRecord, today: date) -> bool:
    """Age on the start date >= the role's age rule: its min_age, and 18 at least when it serves
    minors (``rules.effective_min_age``); an unknown birth date fails any age rule."""
    return rules.old_enough(
        volunteer.date_of_birth, opportunity.effective_min_age, start_date(opportunity, today)
    )


def check_is_valid_for(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, day: date
) -> bool:
    """A cleared, verified check that counts for this role and has not expired by ``day``."""
    return rules.check_counts_on(
        status=volunteer.background_check_status,
        expires_on=volunteer.background_check_expires_on,
        verified=volunteer.background_check_verified,
        scope=volunteer.check_scope,
        organization_id=opportunity.organization_id,
        day=day,
    )


def has_background_check(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, today: date
) -> bool:
    """Roles that require a check, and every role with minors in its audience, need one that is
    cleared, verified for this role and still valid on the start date."""
    if not opportunity.needs_background_check:
        return True
    return check_is_valid_for(volunteer, opportunity, start_date(opportunity, today))


def trainings_for(volunteer: VolunteerRecord, organization_id: int) -> dict[str, date | None]:
    """Verified trainings that count for a role of ``organization_id``, slug -> expiry: those
    staff verified, and those this organization's coordinators verified (the later expiry when
    both). Unverified trainings are not in the record at all."""
    held = dict(volunteer.trainings)
    for slug, expires_on in volunteer.scoped_trainings.get(organization_id, {}).items():
        held[slug] = rules.later_expiry(held[slug], expires_on) if slug in held else expires_on
    return held


def has_required_trainings(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, today: date
) -> bool:
    """Every required training held, verified for this role and unexpired on the start date."""
    day = start_date(opportunity, today)
    held = trainings_for(volunteer, opportunity.organization_id)
    return all(
        t in held and rules.unexpired_on(held[t], day) for t in opportunity.required_trainings
    )


def speaks_required_languages(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    return opportunity.languages <= volunteer.languages


def has_hours_for(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    """committed_hours + hours_per_week <= max_hours_per_week, when both limits are known."""
    if volunteer.max_hours_per_week is None or opportunity.hours_per_week is None:
        return True
    return (
        volunteer.committed_hours + opportunity.hours_per_week
        <= volunteer.max_hours_per_week + _HOURS_SLACK
    )


def has_required_skills(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    """Every required skill, unless the role teaches them on the job (then they only rank)."""
    return opportunity.skills_learnable or opportunity.required_skills <= volunteer.skills


def shares_a_slot(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> bool:
    """A role at fixed times needs a volunteer free in at least one of them (a volunteer who has
    not said when they are free is not assumed to be)."""
    return not opportunity.needs_shared_slot or bool(
        opportunity.availability & volunteer.availability
    )


_PairRule = Callable[[VolunteerRecord, OpportunityRecord, date], bool]

#: Every hard rule, in the order reasons are reported. One place per rule.
RULES: tuple[tuple[str, _PairRule], ...] = (
    (ROLE_NOT_OPEN, lambda v, o, today: role_is_open(o, today)),
    (VOLUNTEER_UNAVAILABLE, lambda v, o, today: volunteer_is_available(v)),
    (MODE_NOT_ACCEPTED, lambda v, o, today: mode_is_accepted(v, o)),
    (TOO_FAR, lambda v, o, today: is_within_travel(v, o)),
    (TOO_YOUNG, is_old_enough),
    (BACKGROUND_CHECK_MISSING, has_background_check),
    (TRAINING_MISSING, has_required_trainings),
    (LANGUAGE_MISSING, lambda v, o, today: speaks_required_languages(v, o)),
    (HOURS_EXCEEDED, lambda v, o, today: has_hours_for(v, o)),
    (SKILL_MISSING, lambda v, o, today: has_required_skills(v, o)),
    (NO_SHARED_TIME, lambda v, o, today: shares_a_slot(v, o)),
)


def ineligibility_reasons(
    volunteer: VolunteerRecord,
    opportunity: OpportunityRecord,
    *,
    today: date,
    excluded: Collection[tuple[int, int]] = frozenset(),
) -> list[str]:
    """Codes of every rule the pair breaks; empty means eligible."""
    reasons = [code for code, passes in RULES if not passes(volunteer, opportunity, today)]
    if (volunteer.id, opportunity.id) in excluded:
        reasons.append(PAIR_EXCLUDED)
    return reasons


def is_eligible(
    volunteer: VolunteerRecord,
    opportunity: OpportunityRecord,
    *,
    today: date,
    excluded: Collection[tuple[int, int]] = frozenset(),
) -> bool:
    return not ineligibility_reasons(volunteer, opportunity, today=today, excluded=excluded)
