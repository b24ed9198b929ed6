"""One story per hard rule: the rule excludes, and its boundary still includes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matching.engine import eligibility as rules
from matching.engine import rules as building_blocks
from matching.engine.eligibility import ineligibility_reasons, is_eligible
from tests.matching.engine.engine_people import TODAY, TWO_KM_NORTH, ada, listening_line


def reasons(volunteer, role, **kw):
    return ineligibility_reasons(volunteer, role, today=TODAY, **kw)


def test_ada_and_the_listening_circle_are_a_valid_pair():
    assert reasons(ada(), listening_line()) == []
    assert is_eligible(ada(), listening_line(), today=TODAY)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_only_published_roles_are_suggested(status):
    assert reasons(ada(), listening_line(status=status)) == [rules.ROLE_NOT_OPEN]


def test_a_role_that_ended_yesterday_is_closed_but_one_ending_today_is_open():
    assert reasons(ada(), listening_line(ends_on=TODAY - timedelta(days=1))) == [
        rules.ROLE_NOT_OPEN
    ]
    assert reasons(ada(), listening_line(ends_on=TODAY)) == []


def test_a_full_role_is_not_suggested_and_one_place_left_is_enough():
    assert reasons(ada(), listening_line(capacity_left=0)) == [rules.ROLE_NOT_OPEN]
    assert reasons(ada(), listening_line(capacity_left=1)) == []


def test_paused_ada_gets_nothing():
    assert reasons(ada(paused=True), listening_line()) == [rules.VOLUNTEER_UNAVAILABLE]


def test_ada_at_her_commitment_limit_gets_nothing_one_below_is_fine():
    assert reasons(ada(max_commitments=2, active_commitments=2), listening_line()) == [
        rules.VOLUNTEER_UNAVAILABLE
    ]
    assert reasons(ada(max_commitments=2, active_commitments=1), listening_line()) == []


@pytest.mark.parametrize("mode", ["in_person", "remote", "phone", "hybrid"])
def test_ada_must_accept_the_roles_exact_mode(mode):
    others = frozenset({"in_person", "remote", "phone", "hybrid"}) - {mode}
    assert rules.MODE_NOT_ACCEPTED in reasons(ada(modes=others), listening_line(mode=mode))
    assert reasons(ada(modes=frozenset({mode})), listening_line(mode=mode)) == []


@pytest.mark.parametrize("mode", ["in_person", "hybrid"])
def test_roles_on_site_must_be_within_adas_travel_radius(mode):
    # The role is 2.0 km away: a 1.99 km radius excludes it, exactly 2.0 km includes it.
    assert reasons(ada(max_travel_km=1.99), listening_line(mode=mode)) == [rules.TOO_FAR]
    assert reasons(ada(max_travel_km=2.0), listening_line(mode=mode)) == []


def test_remote_and_phone_roles_have_no_distance_rule():
    far_ada = ada(latitude=None, longitude=None, max_travel_km=0.5)
    for mode in ("remote", "phone"):
        assert reasons(far_ada, listening_line(mode=mode, latitude=None, longitude=None)) == []


def test_without_coordinates_on_either_side_a_role_on_site_is_not_suggested():
    assert reasons(ada(latitude=None, longitude=None), listening_line()) == [rules.TOO_FAR]
    assert reasons(ada(), listening_line(latitude=None, longitude=None)) == [rules.TOO_FAR]


def test_age_is_judged_on_the_start_date():
    # Ben turns 18 on 2025-09-01; the role starts that day, so he qualifies; a day later born, no.
    start = date(2025, 9, 1)
    role = listening_line(min_age=18, starts_on=start)
    assert reasons(ada(date_of_birth=date(2007, 9, 1)), role) == []
    assert reasons(ada(date_of_birth=date(2007, 9, 2)), role) == [rules.TOO_YOUNG]


def test_an_unknown_birth_date_fails_any_age_rule_but_no_rule_no_problem():
    assert reasons(ada(date_of_birth=None), listening_line(min_age=16)) == [rules.TOO_YOUNG]
    assert reasons(ada(date_of_birth=None), listening_line()) == []


def test_leap_day_birthdays_turn_over_on_the_first_of_march():
    assert building_blocks.age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert building_blocks.age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


@pytest.mark.parametrize("status", ["none", "pending", "expired"])
def test_a_role_requiring_a_check_needs_a_cleared_one(status):
    role = listening_line(background_check_required=True)
    assert reasons(ada(background_check_status=status), role) == [rules.BACKGROUND_CHECK_MISSING]
    assert reasons(ada(background_check_status="cleared"), role) == []


def test_a_check_must_still_be_valid_on_the_start_date():
    start = date(2025, 7, 1)
    role = listening_line(background_check_required=True, starts_on=start)
    lapsing = ada(
        background_check_status="cleared", background_check_expires_on=start - timedelta(1)
    )
    valid = ada(background_check_status="cleared", background_check_expires_on=start)
    assert reasons(lapsing, role) == [rules.BACKGROUND_CHECK_MISSING]
    assert reasons(valid, role) == []


def test_roles_with_minors_always_need_a_check_even_if_not_ticked():
    role = listening_line(background_check_required=False, audience=frozenset({"minors"}))
    assert reasons(ada(), role) == [rules.BACKGROUND_CHECK_MISSING]
    assert reasons(ada(background_check_status="cleared"), role) == []


def test_required_trainings_must_be_held_and_valid_on_the_start_date():
    start = date(2025, 8, 1)
    role = listening_line(required_trainings=frozenset({"mhfa"}), starts_on=start)
    assert reasons(ada(), role) == [rules.TRAINING_MISSING]
    assert reasons(ada(trainings={"mhfa": start - timedelta(1)}), role) == [rules.TRAINING_MISSING]
    assert reasons(ada(trainings={"mhfa": start}), role) == []
    assert reasons(ada(trainings={"mhfa": None}), role) == []


def test_a_role_that_already_started_is_judged_today():
    role = listening_line(required_trainings=frozenset({"mhfa"}), starts_on=date(2025, 1, 1))
    assert reasons(ada(trainings={"mhfa": TODAY - timedelta(1)}), role) == [rules.TRAINING_MISSING]
    assert reasons(ada(trainings={"mhfa": TODAY}), role) == []


def test_every_required_language_must_be_spoken():
    role = listening_line(languages=frozenset({"es", "en"}))
    assert reasons(ada(languages=frozenset({"en"})), role) == [rules.LANGUAGE_MISSING]
    assert reasons(ada(languages=frozenset({"en", "es"})), role) == []


def test_hours_limit_counts_hours_already_committed():
    role = listening_line(hours_per_week=2.0)
    assert reasons(ada(max_hours_per_week=5.0, committed_hours=3.5), role) == [rules.HOURS_EXCEEDED]
    assert reasons(ada(max_hours_per_week=5.0, committed_hours=3.0), role) == []
    assert reasons(ada(max_hours_per_week=None, committed_hours=40.0), role) == []
    assert reasons(ada(max_hours_per_week=1.0), listening_line(hours_per_week=None)) == []


def test_excluded_pairs_are_never_eligible():
    assert reasons(ada(), listening_line(), excluded={(1, 10)}) == [rules.PAIR_EXCLUDED]
    assert reasons(ada(), listening_line(), excluded={(1, 11)}) == []


def test_distance_is_two_km_as_constructed():
    assert rules.distance_km(ada(), listening_line()) == pytest.approx(2.0, abs=0.01)
    latitude = ada().latitude
    assert latitude is not None
    assert TWO_KM_NORTH[0] > latitude
