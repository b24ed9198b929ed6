"""Edges of the hard rules that the one-story-per-rule tests leave open: half-known coordinates,
the rounding slack at the travel and hours limits, and ``is_eligible`` passing on everything it is
given. Found by mutation testing (bench/mutation.py --target engine)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from matching.engine import eligibility as rules
from matching.engine import rules as building_blocks
from matching.engine.eligibility import is_eligible
from tests.matching.engine.engine_people import TODAY, ada, listening_line


@pytest.mark.parametrize(
    ("volunteer_changes", "role_changes"),
    [
        ({"latitude": None}, {}),
        ({"longitude": None}, {}),
        ({}, {"latitude": None}),
        ({}, {"longitude": None}),
    ],
    ids=[
        "ada-without-latitude",
        "ada-without-longitude",
        "role-without-latitude",
        "role-without-longitude",
    ],
)
def test_one_missing_coordinate_is_enough_to_make_the_distance_unknown(
    volunteer_changes, role_changes
):
    volunteer, role = ada(**volunteer_changes), listening_line(**role_changes)
    assert rules.distance_km(volunteer, role) is None
    assert rules.ineligibility_reasons(volunteer, role, today=TODAY) == [rules.TOO_FAR]


def _smallest_radius_reaching(km: float) -> float:
    """The smallest radius r with r + slack == km in floats: the rule's exact edge."""
    radius = km - rules._DISTANCE_SLACK_KM
    while radius + rules._DISTANCE_SLACK_KM < km:
        radius = math.nextafter(radius, math.inf)
    while math.nextafter(radius, -math.inf) + rules._DISTANCE_SLACK_KM >= km:
        radius = math.nextafter(radius, -math.inf)
    assert radius + rules._DISTANCE_SLACK_KM == km
    return radius


def test_a_role_exactly_at_the_radius_plus_the_rounding_slack_is_still_within_reach():
    role = listening_line()
    km = rules.distance_km(ada(), role)
    assert km is not None
    radius = _smallest_radius_reaching(km)
    assert rules.is_within_travel(ada(max_travel_km=radius), role) is True
    assert (
        rules.is_within_travel(ada(max_travel_km=math.nextafter(radius, -math.inf)), role) is False
    )


def test_hours_exactly_at_the_limit_plus_the_rounding_slack_still_fit():
    # committed 0 + 1e-9 hours == max 0 + slack 1e-9: the limit itself is allowed.
    role = listening_line(hours_per_week=rules._HOURS_SLACK)
    assert rules.has_hours_for(ada(max_hours_per_week=0.0, committed_hours=0.0), role) is True
    over = listening_line(hours_per_week=math.nextafter(rules._HOURS_SLACK, 1.0))
    assert rules.has_hours_for(ada(max_hours_per_week=0.0, committed_hours=0.0), over) is False


def test_is_eligible_judges_the_dates_on_the_day_it_is_given():
    ends_today = listening_line(ends_on=TODAY)
    assert is_eligible(ada(), ends_today, today=TODAY) is True
    assert is_eligible(ada(), ends_today, today=TODAY + timedelta(days=1)) is False


def test_is_eligible_honours_the_excluded_pairs():
    assert is_eligible(ada(), listening_line(), today=TODAY, excluded={(1, 10)}) is False
    assert is_eligible(ada(), listening_line(), today=TODAY, excluded={(10, 1)}) is True


def test_leap_day_birthdays_turn_over_on_the_first_of_march():
    assert building_blocks.age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert building_blocks.age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18
