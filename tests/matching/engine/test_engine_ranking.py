"""Stories about what Ada is shown, and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matching.engine import (
    FEATURE_NAMES,
    MatchIndex,
    rank_all,
    rank_for_opportunity,
    rank_for_volunteer,
)
from tests.matching.engine.engine_people import LABELS, TODAY, UNION_SQUARE, ada, listening_line


def test_ada_is_shown_the_nearby_listening_circle_with_readable_reasons():
    index = MatchIndex.build([listening_line()], today=TODAY)
    [suggestion] = rank_for_volunteer(ada(), index, k=5, labels=LABELS)
    assert (suggestion.volunteer_id, suggestion.opportunity_id, suggestion.rank) == (1, 10, 1)
    assert 0 < suggestion.score <= 1
    assert list(suggestion.features) == list(FEATURE_NAMES)
    assert suggestion.features["required_skill_coverage"] == 1.0
    assert suggestion.features["availability_overlap"] == 1.0
    assert 2 <= len(suggestion.reasons) <= 4
    assert suggestion.reasons[0] == "2-5 km away"  # a band, never the figure
    assert "Has every skill the role requires: Active listening" in suggestion.reasons


def test_reasons_name_trainings_remote_mode_and_free_slots_with_real_values():
    role = listening_line(
        mode="remote",
        latitude=None,
        longitude=None,
        required_trainings=frozenset({"mhfa"}),
        availability=frozenset({"tue-evening", "thu-evening"}),
        required_skills=frozenset(),
    )
    expires = TODAY + timedelta(days=728)  # the engine is given TODAY: its dates count from it
    volunteer = ada(trainings={"mhfa": expires}, skills=frozenset())
    [s] = rank_for_volunteer(volunteer, MatchIndex.build([role], today=TODAY), labels=LABELS)
    assert s.reasons[0] == "Remote role; they accept remote work"
    assert f"Holds Mental Health First Aid, valid until {expires:%B %Y}" in s.reasons
    assert len(s.reasons) <= 4
    assert s.features["distance_fit"] == 1.0


def test_free_slots_read_as_days_and_parts():
    role = listening_line(
        availability=frozenset({"tue-evening", "thu-evening"}),
        causes=frozenset(),
        required_skills=frozenset(),
        text="",
    )
    [s] = rank_for_volunteer(ada(), MatchIndex.build([role], today=TODAY), labels=LABELS)
    assert "Free Tue and Thu evenings, the role's usual times" in s.reasons


def test_roles_in_a_nearer_distance_band_rank_higher_when_all_else_is_equal():
    near = listening_line(id=11, latitude=UNION_SQUARE[0] + 0.01)  # about 1.1 km: under 2 km
    far = listening_line(id=12, latitude=UNION_SQUARE[0] + 0.04)  # about 4.4 km: 2-5 km
    shown = rank_for_volunteer(ada(), MatchIndex.build([far, near], today=TODAY), k=2)
    assert [s.opportunity_id for s in shown] == [11, 12]
    assert shown[0].score > shown[1].score


def test_a_declined_pair_is_never_suggested_again():
    index = MatchIndex.build([listening_line()], today=TODAY)
    assert rank_for_volunteer(ada(), index, excluded={(1, 10)}) == []
    assert rank_all([ada()], [listening_line()], today=TODAY, excluded={(1, 10)}) == []


def test_rank_for_opportunity_finds_eligible_volunteers_best_first():
    bea = ada(id=2, text="Accountant, likes spreadsheets")
    paused_cy = ada(id=3, paused=True)
    far_dee = ada(id=4, max_travel_km=1.0)
    shown = rank_for_opportunity(
        listening_line(), [bea, ada(), paused_cy, far_dee], today=TODAY, k=5, labels=LABELS
    )
    assert [s.volunteer_id for s in shown] == [1, 2]
    assert all(2 <= len(s.reasons) <= 4 for s in shown)


def test_a_full_run_is_deterministic():
    from bench._synthetic import make_catalogue

    catalogue = make_catalogue(300, 120, seed=3)
    runs = [
        [
            (s.volunteer_id, s.opportunity_id, s.score, s.rank)
            for s in rank_all(
                catalogue.volunteers, catalogue.opportunities, today=catalogue.today, k=5
            )
        ]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len(runs[0]) > 0


@pytest.mark.parametrize("fair", [True, False])
def test_every_suggestion_of_a_realistic_run_has_two_to_four_reasons(fair):
    from bench._synthetic import make_catalogue

    c = make_catalogue(200, 100, seed=4)
    shown = rank_all(c.volunteers, c.opportunities, today=c.today, k=5, labels=c.labels, fair=fair)
    assert shown
    assert all(2 <= len(s.reasons) <= 4 for s in shown)
    assert all(set(s.features) == set(FEATURE_NAMES) for s in shown)


def test_the_logistics_reason_names_a_band_never_a_figure():
    """Given a volunteer at the door and one 2.44 km away, when the reason is written, then it
    names only the band: "Under 2 km away", "2-5 km away" (issue 8, finding 3)."""
    from matching.engine.reasons import logistics_reason
    from matching.engine.records import OpportunityRecord

    role = OpportunityRecord(
        id=1,
        organization_id=1,
        title="Garden host",
        text="",
        required_skills=frozenset(),
        preferred_skills=frozenset(),
        causes=frozenset(),
        languages=frozenset(),
        mode="in_person",
        latitude=40.73,
        longitude=-73.99,
        availability=frozenset(),
        hours_per_week=None,
        starts_on=None,
        ends_on=None,
        capacity_left=1,
        min_age=None,
        background_check_required=False,
        required_trainings=frozenset(),
        audience=frozenset(),
        status="published",
    )
    assert logistics_reason(role, 0.01) == "Under 2 km away"
    assert logistics_reason(role, 2.44) == "2-5 km away"
    assert logistics_reason(role, 30.0) == "Over 25 km away"
    assert logistics_reason(role, None) == "Distance unknown"


def test_one_query_for_many_places_finds_what_each_place_finds_alone():
    """The full run asks the index for the roles around every group of volunteers at once; each
    group must get exactly the rows, in the same order, that its own query returns."""
    import numpy as np

    from bench._synthetic import make_catalogue

    c = make_catalogue(50, 200, seed=5)
    index = MatchIndex.build(c.opportunities, today=c.today)
    points = np.radians([[40.73, -73.99], [40.65, -73.95], [40.85, -73.87], [40.0, -75.0]])
    radii = np.array([2.0, 8.0, 15.0, 1.0])
    together = index.within_reach_many(points, radii)
    alone = [index.within_reach(lat, lon, r) for (lat, lon), r in zip(points, radii, strict=True)]
    assert [list(rows) for rows in together] == [list(rows) for rows in alone]
    assert sum(len(rows) for rows in together) > 0
