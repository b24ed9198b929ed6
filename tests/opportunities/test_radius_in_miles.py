"""A US deployment's users search in miles: ``radius_mi`` takes miles where ``radius_km`` takes
kilometres (one or the other), and bad values answer 400 on the parameter."""

from __future__ import annotations

import pytest

from opportunities.filters import (
    ONE_RADIUS_MESSAGE,
    RADIUS_MI_NEEDS_NEAR_MESSAGE,
)
from tests.opportunities.test_opportunities_distance import URL, city, fields_of  # noqa: F401

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_ada_finds_the_roles_within_4_miles_of_union_square(city, ada_client):  # noqa: F811
    """4 mi is 6.4 km: the bridge (~3.4 km) and the park (~5.7 km), as radius_km=6.4 finds."""
    in_miles = titles(ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_mi=4"))
    assert in_miles == ["Befriender by the bridge", "Walk-and-talk in the park"]
    assert in_miles == titles(ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_km=6.4"))
    assert titles(ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_mi=3")) == [
        "Befriender by the bridge"
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("near=40.7,-73.9&radius_mi=311", None),
        ("near=40.7,-73.9&radius_mi=-1", None),
        ("near=40.7,-73.9&radius_mi=far", None),
        ("radius_mi=3", RADIUS_MI_NEEDS_NEAR_MESSAGE),
        ("near=40.7,-73.9&radius_mi=3&radius_km=5", ONE_RADIUS_MESSAGE),
    ],
)
def test_a_bad_radius_in_miles_answers_400_on_the_parameter(ada_client, query, message):
    response = ada_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    fields = fields_of(response)
    assert "radius_mi" in fields
    if message:
        assert fields["radius_mi"] == [message]
