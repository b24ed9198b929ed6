"""Soft features: how good an eligible pair is, each a number in [0, 1].

The order of :data:`FEATURE_NAMES` is the contract with stored models (coefficients are listed in
this order) and with ``Match.features`` in the database. The scalar functions below are the
readable definitions; :mod:`matching.engine.pairs` computes the same numbers vectorised, and the
tests hold the two in agreement.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from matching.engine import rules
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

#: The distance feature is a fixed fit per distance band (``rules.distance_band``), never a
#: function of the figure: features are stored on the suggestion and shown to the organization,
#: and a coordinator who moved a role and read a continuous fit again could locate a home. So it
#: says no more than the band the organization is told. The fits follow the old curve (halving
#: every 5 km; 5 km is a 20-25 minute subway or bus ride in New York) near each band's middle.
#: A volunteer's own max_travel_km stays an exact hard rule.
DISTANCE_BAND_FIT: Mapping[str, float] = {
    "under 2 km": 1.0,
    "2-5 km": 0.7,
    "5-10 km": 0.4,
    "10-25 km": 0.15,
    rules.FARTHEST_BAND: 0.05,
}
_BAND_UPPERS_KM = np.array([upper for upper, _ in rules.DISTANCE_BANDS], dtype=np.float64)
_BAND_FITS = np.array(
    [DISTANCE_BAND_FIT[words] for _, words in rules.DISTANCE_BANDS]
    + [DISTANCE_BAND_FIT[rules.FARTHEST_BAND]],
    dtype=np.float64,
)


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
    """1 for remote and phone roles; for roles on site the fit of the distance's band (0 when
    unknown), so two distances in one band give the same number."""
    if mode in HOME_MODES:
        return 1.0
    band = rules.distance_band(distance_km)
    return 0.0 if band is None else DISTANCE_BAND_FIT[band]


def band_fit(distance_km: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`distance_fit` of roles on site, vectorised: the band's fit, 0 where nan (unknown).

    Never increases with distance, so the fit of a lower bound on a distance bounds the fit."""
    band = np.searchsorted(_BAND_UPPERS_KM, np.nan_to_num(distance_km, nan=0.0), side="right")
    return np.where(np.isnan(distance_km), 0.0, _BAND_FITS[band])


def language_fit(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> float:
    """Share of the role's required languages spoken: a bonus for a scarce match (0 when none).

    Eligible pairs always speak all required languages, so among them this marks the roles that
    need the volunteer's language, e.g. a Spanish-speaking peer-support line.
    """
    if not opportunity.languages:
        return 0.0
    return len(opportunity.languages & volunteer.languages) / len(opportunity.languages)
