"""The hard rules' building blocks, on plain values: the one definition that the engine's
eligibility (on records), its vectorised copy (``pairs``, ``fused``: tests hold them equal), the
lifecycle's re-checks and the Django models (``VolunteerProfile.age_on``,
``Opportunity.needs_background_check``...) all use.

No imports beyond the standard library, so the models may import it without loading the engine.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

#: Modes that put a person in a place, so distance rules apply (hybrid means "sometimes on site").
TRAVEL_MODES: frozenset[str] = frozenset({"in_person", "hybrid"})
#: Modes done from home: no distance rule.
HOME_MODES: frozenset[str] = frozenset({"remote", "phone"})
CLEARED = "cleared"
MINORS = "minors"
#: A role whose audience includes minors needs adults: 18 or over on the start day.
ADULT_AGE = 18


def needs_travel(mode: str) -> bool:
    return mode in TRAVEL_MODES


def needs_background_check(*, required: bool, audience: Collection[str]) -> bool:
    """A role with minors in its audience always needs a check, whatever the organization ticked."""
    return required or MINORS in audience


def effective_min_age(min_age: int | None, audience: Collection[str]) -> int | None:
    """The age rule a role really has: its own minimum, raised to ADULT_AGE when minors are in its
    audience, whatever the organization typed (or left empty). None (or 0): no age rule."""
    if MINORS in audience:
        return max(min_age or 0, ADULT_AGE)
    return min_age or None


def age_on(born: date, day: date) -> int:
    """Whole years; someone born on 29 February turns a year older on 1 March in common years."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def old_enough(born: date | None, min_age: int | None, day: date) -> bool:
    """Age on ``day`` >= min_age; an unknown birth date fails any age rule, no rule passes all."""
    if min_age is None:
        return True
    return born is not None and age_on(born, day) >= min_age


def unexpired_on(expires_on: date | None, day: date) -> bool:
    """A training or check without an expiry date, or one that expires on ``day`` or later."""
    return expires_on is None or expires_on >= day


def check_valid_on(status: str, expires_on: date | None, day: date) -> bool:
    """A cleared background check that has not expired by ``day``."""
    return status == CLEARED and unexpired_on(expires_on, day)


def later_expiry(a: date | None, b: date | None) -> date | None:
    """The later of two expiries, None (never expires) being the latest."""
    if a is None or b is None:
        return None
    return max(a, b)


def counts_for(scope: int | None, organization_id: int) -> bool:
    """Whether a verified credential counts for a role of ``organization_id``: one verified by
    platform staff (scope None) counts everywhere; one verified by an organization's coordinator
    (scope = that organization's id) counts for that organization's roles only."""
    return scope is None or scope == organization_id


def check_counts_on(
    *,
    status: str,
    expires_on: date | None,
    verified: bool,
    scope: int | None,
    organization_id: int,
    day: date,
) -> bool:
    """A background check satisfies a role of ``organization_id`` on ``day``: cleared, verified
    (by staff, or by this organization's coordinator: ``scope``), and not expired by ``day``."""
    return (
        verified and counts_for(scope, organization_id) and check_valid_on(status, expires_on, day)
    )


#: What an organization is told of a volunteer's distance: a band, never a figure, so moving a role
#: and reading again cannot locate a home. Upper bounds in km (exclusive) and the band's words.
#: These kilometre bands are also the keys of the distance feature (``features.DISTANCE_BAND_FIT``),
#: whatever unit a deployment shows.
DISTANCE_BANDS: tuple[tuple[float, str], ...] = (
    (2.0, "under 2 km"),
    (5.0, "2-5 km"),
    (10.0, "5-10 km"),
    (25.0, "10-25 km"),
)
FARTHEST_BAND = "over 25 km"
#: Units a deployment may show distances in (``settings.DISTANCE_UNIT``); rules, radii and storage
#: stay in kilometres.
KILOMETRES, MILES = "km", "mi"
DISTANCE_UNITS: tuple[str, ...] = (KILOMETRES, MILES)
#: The kilometre bands as a US reader says them. Each is one kilometre band in round miles (2 km is
#: 1.24 mi, 5 km 3.1, 10 km 6.2, 25 km 15.5), never a band with edges of its own: the score follows
#: the kilometre band, and two sets of edges read together would cut a thin ring around a home.
BANDS_IN_MILES: dict[str, str] = {
    "under 2 km": "under 1¼ mi",
    "2-5 km": "1¼-3 mi",
    "5-10 km": "3-6 mi",
    "10-25 km": "6-15 mi",
    FARTHEST_BAND: "over 15 mi",
}


#: The one conversion between the units (the international mile).
KM_PER_MILE = 1.609344


def _checked(unit: str) -> str:
    if unit not in DISTANCE_UNITS:
        raise ValueError(f"unknown distance unit {unit!r}; use one of {', '.join(DISTANCE_UNITS)}")
    return unit


def km_from(distance: float, unit: str) -> float:
    """A distance a person gave in ``unit``, in kilometres (what rules and storage use)."""
    return distance * KM_PER_MILE if _checked(unit) == MILES else distance


def km_in(km: float, unit: str) -> float:
    """Kilometres as ``unit`` shows them."""
    return km / KM_PER_MILE if _checked(unit) == MILES else km


def band_names(unit: str) -> dict[str, str]:
    """Kilometre band -> its words in ``unit`` ("2-5 km" -> "1¼-3 mi" for "mi")."""
    if _checked(unit) == MILES:
        return dict(BANDS_IN_MILES)
    return {words: words for _, words in DISTANCE_BANDS} | {FARTHEST_BAND: FARTHEST_BAND}


def distance_band(km: float | None, unit: str = KILOMETRES) -> str | None:
    """The band a distance falls in, in ``unit``'s words ("under 2 km" ... "over 25 km"; "under
    1¼ mi" ... "over 15 mi"); None when unknown. The band is always cut in kilometres."""
    if km is None:
        return None
    band = next((words for upper, words in DISTANCE_BANDS if km < upper), FARTHEST_BAND)
    return band if unit == KILOMETRES else band_names(unit)[band]
