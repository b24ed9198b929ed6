"""Soft features: how good an eligible pair is, each a number in [0, 1].

The order of :data:`FEATURE_NAMES` is the contract with stored models (coefficients are listed in
this order) and with ``Match.features`` in the database. The scalar functions below are the
readable definitions; :mod:`matching.engine.pairs` computes the same numbers vectorised, and the
tests hold the two in agreement.
"""

from __future__ import annotations

from matching.engine.records import HOME_MODES, OpportunityRecord, VolunteerRecord

FEATURE_NAMES: tuple[str, ...] = (
    "text_similarity",
    "required_skill_coverage",
    "preferred_skill_coverage",
    "cause_overlap",
    "availability_overlap",
    "distance_fit",
    "language_fit",
)

#: Distance at which the distance feature halves. 5 km is a 20-25 minute subway or bus ride in
#: New York; each further 5 km halves it again. A volunteer's own max_travel_km is a hard rule.
DISTANCE_HALF_KM = 5.0


def required_skill_coverage(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of required skills the volunteer has; a role that requires none is fully covered."""
    if not opportunity.required_skills:
        return 1.0
    return len(opportunity.required_skills & volunteer.skills) / len(opportunity.required_skills)


def preferred_skill_coverage(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of nice-to-have skills held; no preferences means no bonus to claim (0)."""
    if not opportunity.preferred_skills:
        return 0.0
    return len(opportunity.preferred_skills & volunteer.skills) / len(opportunity.preferred_skills)


def cause_overlap(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of the role's causes the volunteer cares about (0 when the role names none)."""
    if not opportunity.causes:
        return 0.0
    return len(opportunity.causes & volunteer.causes) / len(opportunity.causes)


def availability_overlap(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of the role's time slots the volunteer is free; a role with no slots is flexible (1)."""
    if not opportunity.availability:
        return 1.0
    return len(opportunity.availability & volunteer.availability) / len(opportunity.availability)


def distance_fit(distance_km: float | None, mode: str) -> float:
    """1 for remote and phone roles; halves every DISTANCE_HALF_KM for roles on site."""
    if mode in HOME_MODES:
        return 1.0
    if distance_km is None:
        return 0.0
    return float(0.5 ** (distance_km / DISTANCE_HALF_KM))


def language_fit(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of the role's required languages spoken: a bonus for a scarce match (0 when none).

    Eligible pairs always speak all required languages, so among them this marks the roles that
    need the volunteer's language, e.g. a Spanish-speaking peer-support line.
    """
    if not opportunity.languages:
        return 0.0
    return len(opportunity.languages & volunteer.languages) / len(opportunity.languages)
