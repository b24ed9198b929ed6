"""Issue 8, the engine's part: roles serving minors need adults with a cleared check, credentials
count only when verified (a coordinator's verification for their own organization's roles only),
and what the engine stores for an organization carries a distance band, never a figure.

Every story is told three ways where the rule has copies: the scalar rule (``ineligibility_reasons``,
what the lifecycle re-checks), the one-volunteer ranking, and the full run (vectorised rules and the
fused prefilter).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matching.engine import (
    MatchIndex,
    eligibility,
    ineligibility_reasons,
    rank_all,
    rank_for_volunteer,
)
from matching.engine.features import DISTANCE_BAND_FIT
from matching.engine.records import OpportunityRecord, VolunteerRecord
from tests.matching.engine.engine_people import (
    KM_PER_DEGREE_LATITUDE,
    LABELS,
    TODAY,
    UNION_SQUARE,
    ada,
    listening_line,
)

HARBOR, RIVERSIDE = 100, 200
START = TODAY + timedelta(days=30)
CLEARED = {"background_check_status": "cleared", "background_check_expires_on": None}


def born_years_before(years: int, day: date = START, *, days_later: int = 0) -> date:
    """A birthday ``years`` years before ``day`` (plus ``days_later``)."""
    return day.replace(year=day.year - years) + timedelta(days=days_later)


def youth_mentoring(**changes) -> OpportunityRecord:
    """Harbor House's after-school mentoring: serves minors, and no one typed a minimum age."""
    values = {
        "id": 30,
        "organization_id": HARBOR,
        "title": "After-school mentor",
        "mode": "remote",
        "latitude": None,
        "longitude": None,
        "min_age": None,
        "audience": frozenset({"minors"}),
        "starts_on": START,
    }
    values.update(changes)
    return listening_line(**values)


def shown_to(volunteer: VolunteerRecord, *roles: OpportunityRecord) -> dict[str, set[int]]:
    """Role ids each ranking path would suggest to ``volunteer``."""
    index = MatchIndex.build(list(roles), today=TODAY)
    return {
        "one": {s.opportunity_id for s in rank_for_volunteer(volunteer, index, k=10)},
        "full": {s.opportunity_id for s in rank_all([volunteer], list(roles), today=TODAY, k=10)},
    }


def reasons(volunteer: VolunteerRecord, role: OpportunityRecord) -> list[str]:
    return ineligibility_reasons(volunteer, role, today=TODAY)


# ------------------------------------------------------------------ finding 6: roles serving minors


@pytest.mark.parametrize("age", [16, 17])
def test_a_16_or_17_year_old_is_never_suggested_a_role_serving_minors_without_a_min_age(age):
    """Given a role serving minors whose min_age is empty, and a volunteer of 16 or 17 on its
    start day with a cleared check, when suggestions are made, then the role is not among them
    and the rule named is too_young (issue 8, finding 6)."""
    teen = ada(date_of_birth=born_years_before(age), **CLEARED)
    role = youth_mentoring()

    assert reasons(teen, role) == [eligibility.TOO_YOUNG]
    assert shown_to(teen, role) == {"one": set(), "full": set()}


def test_an_18_year_old_with_a_cleared_check_is_suggested_a_role_serving_minors():
    """Given a volunteer who turns 18 on the role's start day and holds a cleared, verified check,
    when suggestions are made, then the role serving minors is suggested."""
    adult = ada(date_of_birth=born_years_before(18), **CLEARED)
    role = youth_mentoring()

    assert reasons(adult, role) == []
    assert shown_to(adult, role) == {"one": {30}, "full": {30}}


def test_one_day_short_of_18_on_the_start_day_is_too_young_for_a_role_serving_minors():
    """Given a volunteer whose 18th birthday is the day after the start, then they are too young."""
    almost = ada(date_of_birth=born_years_before(18, days_later=1), **CLEARED)
    assert reasons(almost, youth_mentoring()) == [eligibility.TOO_YOUNG]


def test_an_18_year_old_without_a_cleared_check_is_not_suggested_a_role_serving_minors():
    """Given an adult whose check is only pending, when suggestions are made for a role serving
    minors that did not tick "check required", then it is not suggested: the check is missing."""
    adult = ada(date_of_birth=born_years_before(30), background_check_status="pending")
    role = youth_mentoring(background_check_required=False)

    assert reasons(adult, role) == [eligibility.BACKGROUND_CHECK_MISSING]
    assert shown_to(adult, role) == {"one": set(), "full": set()}


def test_a_min_age_below_18_on_a_role_serving_minors_is_raised_to_18():
    """Given a role serving minors (and adults) that says min_age 16, then a 17-year-old is too
    young, and a role for adults only with min_age 16 still takes them."""
    teen = ada(date_of_birth=born_years_before(17), **CLEARED)
    mixed = youth_mentoring(min_age=16, audience=frozenset({"adults", "minors"}))
    adults_only = youth_mentoring(id=31, min_age=16, audience=frozenset({"adults"}))

    assert reasons(teen, mixed) == [eligibility.TOO_YOUNG]
    assert reasons(teen, adults_only) == []
    assert shown_to(teen, mixed, adults_only) == {"one": {31}, "full": {31}}


def test_a_volunteer_without_a_date_of_birth_is_never_suggested_a_role_serving_minors():
    unknown = ada(date_of_birth=None, **CLEARED)
    assert reasons(unknown, youth_mentoring()) == [eligibility.TOO_YOUNG]


def test_a_higher_min_age_on_a_role_serving_minors_stands():
    """min_age 21 on a role serving minors stays 21: 18 is the floor, not a cap."""
    twenty = ada(date_of_birth=born_years_before(20), **CLEARED)
    assert reasons(twenty, youth_mentoring(min_age=21)) == [eligibility.TOO_YOUNG]


# ---------------------------------------------------------------- finding 5: verified credentials


def mhfa_role(organization_id: int, role_id: int) -> OpportunityRecord:
    return listening_line(
        id=role_id,
        organization_id=organization_id,
        mode="remote",
        latitude=None,
        longitude=None,
        required_trainings=frozenset({"mhfa"}),
    )


HARBOR_LINE, RIVERSIDE_LINE = mhfa_role(HARBOR, 41), mhfa_role(RIVERSIDE, 42)
NEXT_YEAR = TODAY + timedelta(days=365)


def test_a_training_verified_by_harbor_counts_for_harbors_roles_and_not_riversides():
    """Given MHFA verified by a Harbor House coordinator (not yet confirmed by staff), when
    suggestions are made, then Harbor's role that requires MHFA is suggested and Riverside's is
    not, its rule naming the missing training."""
    volunteer = ada(scoped_trainings={HARBOR: {"mhfa": NEXT_YEAR}})

    assert reasons(volunteer, HARBOR_LINE) == []
    assert reasons(volunteer, RIVERSIDE_LINE) == [eligibility.TRAINING_MISSING]
    assert shown_to(volunteer, HARBOR_LINE, RIVERSIDE_LINE) == {"one": {41}, "full": {41}}


def test_a_training_verified_by_staff_counts_for_every_organizations_roles():
    volunteer = ada(trainings={"mhfa": NEXT_YEAR})
    assert shown_to(volunteer, HARBOR_LINE, RIVERSIDE_LINE) == {"one": {41, 42}, "full": {41, 42}}


def test_an_unverified_training_satisfies_no_role():
    """A declared, unverified training is left out of the record (matching/records.py), so a
    volunteer whose only MHFA is unverified holds none; nor does a training a third organization
    verified count for Harbor's or Riverside's roles."""
    declared_only = ada(trainings={}, scoped_trainings={})
    elsewhere = ada(scoped_trainings={999: {"mhfa": None}})
    for volunteer in (declared_only, elsewhere):
        assert reasons(volunteer, HARBOR_LINE) == [eligibility.TRAINING_MISSING]
        assert shown_to(volunteer, HARBOR_LINE, RIVERSIDE_LINE) == {"one": set(), "full": set()}


def test_a_scoped_training_that_lapses_before_the_start_does_not_count():
    role = listening_line(
        id=43,
        organization_id=HARBOR,
        mode="remote",
        required_trainings=frozenset({"mhfa"}),
        starts_on=START,
    )
    lapsed = ada(scoped_trainings={HARBOR: {"mhfa": START - timedelta(days=1)}})
    assert reasons(lapsed, role) == [eligibility.TRAINING_MISSING]
    assert shown_to(lapsed, role) == {"one": set(), "full": set()}


def test_the_reason_names_the_expiry_of_the_training_that_counts_for_the_role():
    volunteer = ada(trainings={"mhfa": NEXT_YEAR}, scoped_trainings={HARBOR: {"mhfa": None}})
    index = MatchIndex.build([HARBOR_LINE, RIVERSIDE_LINE], today=TODAY)
    by_role = {s.opportunity_id: s for s in rank_for_volunteer(volunteer, index, labels=LABELS)}
    assert "Holds Mental Health First Aid, with no expiry" in by_role[41].reasons
    assert f"Holds Mental Health First Aid, valid until {NEXT_YEAR:%B %Y}" in by_role[42].reasons


def check_role(organization_id: int, role_id: int) -> OpportunityRecord:
    return listening_line(
        id=role_id,
        organization_id=organization_id,
        mode="remote",
        latitude=None,
        longitude=None,
        background_check_required=True,
    )


HARBOR_CHECK, RIVERSIDE_CHECK = check_role(HARBOR, 51), check_role(RIVERSIDE, 52)


def test_a_check_verified_by_harbor_counts_for_harbors_roles_only():
    """Given a cleared check that a Harbor House coordinator verified, then it satisfies Harbor's
    role that needs a check and not Riverside's."""
    volunteer = ada(**CLEARED, check_scope=HARBOR)

    assert reasons(volunteer, HARBOR_CHECK) == []
    assert reasons(volunteer, RIVERSIDE_CHECK) == [eligibility.BACKGROUND_CHECK_MISSING]
    assert shown_to(volunteer, HARBOR_CHECK, RIVERSIDE_CHECK) == {"one": {51}, "full": {51}}


def test_a_check_verified_by_staff_counts_everywhere():
    volunteer = ada(**CLEARED, check_scope=None)
    assert shown_to(volunteer, HARBOR_CHECK, RIVERSIDE_CHECK) == {
        "one": {51, 52},
        "full": {51, 52},
    }


def test_a_cleared_check_nobody_verified_counts_nowhere():
    """Given a check marked cleared that no one verified, then no role needing a check is
    suggested, and the reasons never say "Background check cleared"."""
    volunteer = ada(**CLEARED, background_check_verified=False)

    assert reasons(volunteer, HARBOR_CHECK) == [eligibility.BACKGROUND_CHECK_MISSING]
    assert shown_to(volunteer, HARBOR_CHECK, RIVERSIDE_CHECK) == {"one": set(), "full": set()}


def test_a_role_serving_minors_needs_a_check_verified_for_its_organization():
    adult = ada(date_of_birth=born_years_before(30), **CLEARED, check_scope=RIVERSIDE)
    assert reasons(adult, youth_mentoring()) == [eligibility.BACKGROUND_CHECK_MISSING]


# ------------------------------------------------------------- finding 3: distance only as a band


def moved_north(role: OpportunityRecord, metres: float) -> OpportunityRecord:
    lat = (role.latitude or 0.0) + metres / 1000.0 / KM_PER_DEGREE_LATITUDE
    return listening_line(id=role.id, latitude=lat, longitude=role.longitude)


def suggestion_for(volunteer: VolunteerRecord, role: OpportunityRecord):
    [one] = rank_for_volunteer(volunteer, MatchIndex.build([role], today=TODAY), labels=LABELS)
    [full] = rank_all([volunteer], [role], today=TODAY, labels=LABELS)
    assert (one.features, one.reasons) == (full.features, full.reasons)
    assert one.score == pytest.approx(full.score, abs=1e-5)  # the full run reads text back
    return one


def test_moving_a_role_300_metres_within_a_band_changes_no_feature_and_no_reason():
    """Given a role 3 km from Ada, when the coordinator moves it 300 m and back and the engine
    suggests again, then features, reasons and score are identical: nothing finer than the band
    "2-5 km" can be read from them (issue 8, finding 3)."""
    start = listening_line(latitude=UNION_SQUARE[0] + 3.0 / KM_PER_DEGREE_LATITUDE)
    seen = [suggestion_for(ada(), moved_north(start, metres)) for metres in (0, 300, -300, 600)]

    assert all(s.features == seen[0].features for s in seen)
    assert all(s.reasons == seen[0].reasons for s in seen)
    assert all(s.score == seen[0].score for s in seen)
    assert seen[0].features["distance_fit"] == DISTANCE_BAND_FIT["2-5 km"]
    assert seen[0].reasons[0] == "2-5 km away"


@pytest.mark.parametrize(
    ("km", "band"),
    [
        (0.02, "under 2 km"),
        (1.9, "under 2 km"),
        (2.5, "2-5 km"),
        (7.0, "5-10 km"),
        (12, "10-25 km"),
    ],
)
def test_features_and_reasons_name_only_the_band(km, band):
    """Whatever the distance, the distance feature is the band's fixed fit and the logistics
    reason names the band; no reason carries a figure such as "2.3 km"."""
    volunteer = ada(max_travel_km=30.0)
    role = listening_line(latitude=UNION_SQUARE[0] + km / KM_PER_DEGREE_LATITUDE)
    s = suggestion_for(volunteer, role)

    assert s.features["distance_fit"] == DISTANCE_BAND_FIT[band]
    assert s.reasons[0] == f"{band} away".capitalize()
    assert not any(f"{km:.1f}" in reason for reason in s.reasons)


def test_the_travel_limit_stays_exact_while_the_feature_is_banded():
    """The band hides the figure from the organization; the volunteer's own limit is still exact:
    a role 2.9 km away is beyond a 2.8 km limit though both lie in the "2-5 km" band."""
    role = listening_line(latitude=UNION_SQUARE[0] + 2.9 / KM_PER_DEGREE_LATITUDE)
    assert reasons(ada(max_travel_km=2.8), role) == [eligibility.TOO_FAR]
    assert reasons(ada(max_travel_km=3.0), role) == []


@pytest.mark.parametrize("km", [0.0, 1.999999, 2.0, 4.99, 5.0, 9.5, 10.0, 24.9, 25.0, 300.0, None])
def test_the_vectorised_distance_fit_is_the_scalar_one(km):
    """pairs.py computes the feature with ``band_fit``; features.distance_fit is the definition."""
    import numpy as np

    from matching.engine.features import band_fit, distance_fit

    vectorised = band_fit(np.array([np.nan if km is None else km]))[0]
    assert vectorised == distance_fit(km, "in_person")
