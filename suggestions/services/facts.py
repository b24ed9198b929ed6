"""What an organization is told about a suggested volunteer, frozen when the engine stores the
suggestion (``Match.facts``), never recomputed when someone reads it.

Read-time answers leaked what they hid: a coordinator who moved a role three times and read the
distance again located a home to about a metre, and one who moved the role's start date and read
``meets_minimum_age`` / ``background_check_cleared`` again recovered a date of birth and a check's
expiry by bisection. So the three facts are computed here, from the role's place and start date at
the moment the engine made (or re-made) the suggestion, and only the store writes them:

* ``distance_band``: "under 2 km" ... "over 25 km" (``rules.distance_band``) for roles on site when
  both places are known, worded in ``settings.DISTANCE_UNIT`` when it was stored ("under 1¼ mi"
  ... "over 15 mi" for "mi": the same bands, cut in km); None otherwise. Never a figure.
* ``meets_minimum_age``: old enough on the start day for the role's minimum age (18 at least when
  the role serves minors); true when the role has no age rule.
* ``background_check_cleared``: None when the role needs no check; otherwise a cleared, verified
  check (by staff, or by this organization) that is still valid on the start day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from matching.engine import FEATURE_NAMES, rules
from matching.engine.geo import haversine_km
from matching.engine.records import start_date
from opportunities.models import Opportunity
from volunteers.models import VolunteerProfile

FACT_KEYS = ("distance_band", "meets_minimum_age", "background_check_cleared")
#: Engine features an organization may see: ``distance_fit`` is a function of the distance, so it
#: is never shown (the band in the facts says what may be said).
SHOWN_FEATURES = frozenset(FEATURE_NAMES) - {"distance_fit"}

Pair = tuple[int, int]

_PROFILE_FIELDS = (
    "id",
    "latitude",
    "longitude",
    "date_of_birth",
    "background_check_status",
    "background_check_expires_on",
    "background_check_verified_at",
    "background_check_verified_for_id",
)
_ROLE_FIELDS = (
    "id",
    "organization_id",
    "mode",
    "latitude",
    "longitude",
    "starts_on",
    "min_age",
    "audience",
    "background_check_required",
)


class _Start:
    """Just enough of a role for ``start_date``."""

    def __init__(self, starts_on: dt.date | None) -> None:
        self.starts_on = starts_on


def _band(profile: dict[str, Any], role: dict[str, Any]) -> str | None:
    places = (profile["latitude"], profile["longitude"], role["latitude"], role["longitude"])
    if not rules.needs_travel(role["mode"]) or any(value is None for value in places):
        return None
    return rules.distance_band(float(haversine_km(*places)), settings.DISTANCE_UNIT)


def minimum_age(role: dict[str, Any]) -> int | None:
    """The role's age rule, as the engine has it (``rules.effective_min_age``)."""
    return rules.effective_min_age(role["min_age"], role["audience"] or ())


def _check_cleared(profile: dict[str, Any], role: dict[str, Any], day: dt.date) -> bool | None:
    if not rules.needs_background_check(
        required=role["background_check_required"], audience=role["audience"] or ()
    ):
        return None
    return rules.check_counts_on(
        status=profile["background_check_status"],
        expires_on=profile["background_check_expires_on"],
        verified=profile["background_check_verified_at"] is not None,
        scope=profile["background_check_verified_for_id"],
        organization_id=role["organization_id"],
        day=day,
    )


def facts_of(profile: dict[str, Any], role: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The facts of one pair, from ``values()`` rows of the profile and the role."""
    day = start_date(_Start(role["starts_on"]), today)
    return {
        "distance_band": _band(profile, role),
        "meets_minimum_age": rules.old_enough(profile["date_of_birth"], minimum_age(role), day),
        "background_check_cleared": _check_cleared(profile, role, day),
    }


def pair_facts(pairs: Iterable[Pair], *, today: dt.date) -> dict[Pair, dict[str, Any]]:
    """{(volunteer id, opportunity id): facts} for many pairs in two queries."""
    wanted = set(pairs)
    if not wanted:
        return {}
    profiles = {
        row["id"]: row
        for row in VolunteerProfile.objects.filter(id__in={v for v, _ in wanted})
        .order_by()
        .values(*_PROFILE_FIELDS)
    }
    roles = {
        row["id"]: row
        for row in Opportunity.objects.filter(id__in={o for _, o in wanted})
        .order_by()
        .values(*_ROLE_FIELDS)
    }
    return {
        (v, o): facts_of(profiles[v], roles[o], today=today)
        for v, o in wanted
        if v in profiles and o in roles
    }


def shown_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    """The stored facts as the review row shows them (None for what was never computed)."""
    facts = facts or {}
    return {key: facts.get(key) for key in FACT_KEYS}


def shown_features(features: dict[str, Any] | None) -> dict[str, Any]:
    """The engine's features without any that follows the distance."""
    return {name: value for name, value in (features or {}).items() if name in SHOWN_FEATURES}
