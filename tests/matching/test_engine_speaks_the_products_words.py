"""The engine knows no Django, so it names modes, statuses, audiences and slots in strings of its
own. These tests tie each of its vocabularies to the Django choices the product stores, and each of
its rule codes to the words people read, so that a new mode or status cannot be added on one side
only (a role the engine silently never matches, a refusal nobody can read)."""

from __future__ import annotations

import datetime as dt

import pytest

from matching.engine import eligibility, rules
from matching.engine.records import AUDIENCES, CHECK_STATUSES, MODES, ROLE_STATUSES, SLOTS
from opportunities.models import TRAVEL_MODES, Audience, Mode, Opportunity
from placements.services.eligibility import SWEEP_CODES
from placements.services.reasons import INELIGIBILITY_TEXT
from taxonomy import availability
from volunteers.models import BackgroundCheckStatus, VolunteerProfile


def test_modes_statuses_audiences_and_slots_are_the_same_words_on_both_sides():
    assert set(Mode.values) == MODES
    assert set(TRAVEL_MODES) == rules.TRAVEL_MODES
    assert set(BackgroundCheckStatus.values) == CHECK_STATUSES
    assert BackgroundCheckStatus.CLEARED == rules.CLEARED
    assert set(Audience.values) == AUDIENCES
    assert Audience.MINORS == rules.MINORS
    assert set(Opportunity.Status.values) == ROLE_STATUSES
    assert availability.SLOTS == SLOTS


def test_every_rule_the_engine_applies_has_words_a_volunteer_can_read():
    codes = {code for code, _ in eligibility.RULES} | {eligibility.PAIR_EXCLUDED}
    assert set(INELIGIBILITY_TEXT) == codes
    assert codes >= SWEEP_CODES


BORN = dt.date(2008, 2, 29)


@pytest.mark.parametrize(
    "day", [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 3, 1)]
)
def test_the_profile_and_the_engine_count_age_the_same_way(day):
    profile = VolunteerProfile(date_of_birth=BORN)
    assert profile.age_on(day) == rules.age_on(BORN, day)


@pytest.mark.parametrize("status", list(BackgroundCheckStatus.values))
@pytest.mark.parametrize("expires_in", [None, -1, 0, 1])
def test_the_profile_and_the_engine_judge_a_check_the_same_way(status, expires_in):
    today = dt.date(2026, 6, 1)
    expires = None if expires_in is None else today + dt.timedelta(days=expires_in)
    profile = VolunteerProfile(background_check_status=status, background_check_expires_on=expires)
    assert profile.background_check_valid_on(today) == rules.check_valid_on(status, expires, today)


@pytest.mark.parametrize("audience", [[], ["adults"], ["minors"], ["adults", "minors"]])
@pytest.mark.parametrize("required", [False, True])
def test_the_role_and_the_engine_agree_on_who_needs_a_check(audience, required):
    role = Opportunity(background_check_required=required, audience=audience)
    assert role.needs_background_check == rules.needs_background_check(
        required=required, audience=audience
    )


@pytest.mark.parametrize("audience", [[], ["adults"], ["minors"], ["adults", "minors"]])
@pytest.mark.parametrize("min_age", [None, 0, 16, 18, 21])
def test_the_role_and_the_engine_agree_on_its_age_rule(audience, min_age):
    """A role serving minors needs adults whatever min_age says, on both sides (issue 8, 6)."""
    role = Opportunity(min_age=min_age, audience=audience)
    assert role.effective_min_age == rules.effective_min_age(min_age, audience)
    if "minors" in audience:
        assert (role.effective_min_age or 0) >= rules.ADULT_AGE
