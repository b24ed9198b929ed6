"""Stories about finding roles near you: the distance is computed by the database, filtered,
ordered, and reported in km."""

from __future__ import annotations

import pytest

from backend.places import haversine_km
from opportunities.filters import (
    INCLUDE_REMOTE_NEEDS_NEAR_MESSAGE,
    NEAR_FORMAT_MESSAGE,
    NEAR_RANGE_MESSAGE,
    RADIUS_NEEDS_NEAR_MESSAGE,
)
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/"
UNION_SQUARE = (40.7359, -73.9911)
BROOKLYN_BRIDGE = (40.7061, -73.9969)
CENTRAL_PARK = (40.7829, -73.9654)
NEWARK_PENN = (40.7347, -74.1644)
PHILADELPHIA = (39.9526, -75.1652)


def fields_of(response) -> dict:
    return response.json()["error"]["fields"]


def role_at(harbor, title: str, place: tuple[float, float], **extra):
    return OpportunityFactory.create(
        organization=harbor,
        title=title,
        mode=extra.pop("mode", "in_person"),
        latitude=place[0],
        longitude=place[1],
        **extra,
    )


@pytest.fixture
def city(harbor):
    """Roles around New York, plus a remote one that kept a Manhattan postcode's coordinates."""
    return {
        "park": role_at(harbor, "Walk-and-talk in the park", CENTRAL_PARK, mode="hybrid"),
        "bridge": role_at(harbor, "Befriender by the bridge", BROOKLYN_BRIDGE),
        "newark": role_at(harbor, "Newark drop-in", NEWARK_PENN),
        "philly": role_at(harbor, "Philadelphia helpline", PHILADELPHIA),
        "remote": role_at(harbor, "Online listener", UNION_SQUARE, mode="remote"),
        "phone": OpportunityFactory.create(
            organization=harbor, title="Phone befriender", mode="phone"
        ),
    }


def test_ada_finds_the_roles_within_10_km_of_union_square_nearest_first(city, ada_client):
    """Ada lives by Union Square and will travel 10 km: she gets the bridge (~3.4 km) then the
    park (~5.7 km); Newark (~14.6 km), Philadelphia and the remote roles are left out."""
    response = ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_km=10")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [city["bridge"].id, city["park"].id]
    bridge_km, park_km = (row["distance_km"] for row in rows)
    assert bridge_km == pytest.approx(3.35, abs=0.05)
    assert bridge_km == pytest.approx(
        float(haversine_km(*UNION_SQUARE, *BROOKLYN_BRIDGE)), abs=0.01
    )
    assert park_km == pytest.approx(float(haversine_km(*UNION_SQUARE, *CENTRAL_PARK)), abs=0.01)


def test_the_radius_is_the_boundary(city, ada_client):
    def titles(radius: float) -> list[str]:
        query = f"{URL}?near=40.7359,-73.9911&radius_km={radius}"
        return [row["title"] for row in ada_client.get(query).json()["results"]]

    newark_km = float(haversine_km(*UNION_SQUARE, *NEWARK_PENN))
    assert titles(3) == []
    assert "Newark drop-in" not in titles(round(newark_km - 0.1, 1))
    assert titles(round(newark_km + 0.1, 1))[-1] == "Newark drop-in"
    assert titles(500)[-1] == "Philadelphia helpline"


def test_include_remote_adds_remote_and_phone_roles_after_the_nearby_ones(city, ada_client):
    rows = ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_km=10&include_remote=true").json()[
        "results"
    ]

    assert [row["id"] for row in rows[:2]] == [city["bridge"].id, city["park"].id]
    assert {row["id"] for row in rows[2:]} == {city["remote"].id, city["phone"].id}
    assert [row["distance_km"] for row in rows[2:]] == [None, None]


def test_ordering_by_distance_descending_and_other_filters_combine(city, ada_client):
    rows = ada_client.get(
        f"{URL}?near=40.7359,-73.9911&radius_km=20&ordering=-distance_km&mode=in_person"
    ).json()["results"]

    assert [row["id"] for row in rows] == [city["newark"].id, city["bridge"].id]


def test_without_near_there_is_no_distance_and_ordering_by_it_is_harmless(city, anonymous):
    response = anonymous.get(f"{URL}?ordering=distance_km")

    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert {row["distance_km"] for row in response.json()["results"]} == {None}


def test_a_hidden_address_is_measured_from_its_neighbourhood_not_its_door(harbor, ada_client):
    """A crisis drop-in hides its address: Ada still finds it by distance, but the km are measured
    from a cell about 1 km wide, so narrowing radius_km cannot pin down the door."""
    door = (40.73215, -73.98753)
    hidden = role_at(harbor, "Crisis drop-in", door, hide_address=True)

    row = ada_client.get(f"{URL}?near=40.7359,-73.9911&radius_km=5").json()["results"][0]

    assert row["id"] == hidden.id
    assert row["latitude"] is None
    assert row["distance_km"] == pytest.approx(float(haversine_km(*UNION_SQUARE, *door)), abs=1.0)
    assert row["distance_km"] == pytest.approx(
        float(haversine_km(*UNION_SQUARE, 40.735, -73.985)), abs=0.01
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=abc", "near", NEAR_FORMAT_MESSAGE),
        ("near=40.7", "near", NEAR_FORMAT_MESSAGE),
        ("near=40.7,-73.9,5", "near", NEAR_FORMAT_MESSAGE),
        ("near=nan,inf", "near", NEAR_FORMAT_MESSAGE),
        ("near=91,0", "near", NEAR_RANGE_MESSAGE),
        ("near=0,181", "near", NEAR_RANGE_MESSAGE),
        ("near=40.7,-73.9&radius_km=501", "radius_km", None),
        ("near=40.7,-73.9&radius_km=-1", "radius_km", None),
        ("near=40.7,-73.9&radius_km=far", "radius_km", None),
        ("radius_km=10", "radius_km", RADIUS_NEEDS_NEAR_MESSAGE),
        ("include_remote=true", "include_remote", INCLUDE_REMOTE_NEEDS_NEAR_MESSAGE),
    ],
)
def test_a_bad_distance_query_answers_400_on_the_parameter(anonymous, query, field, message):
    response = anonymous.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert field in fields_of(response)
    if message:
        assert fields_of(response)[field] == [message]


def test_antipodes_do_not_break_the_arcsine(harbor, anonymous):
    """Rounding can push the haversine term just above 1 at the antipode; PostgreSQL would raise."""
    role_at(harbor, "Far away", (-40.7359, 106.0089))

    response = anonymous.get(f"{URL}?near=40.7359,-73.9911&radius_km=500")

    assert response.status_code == 200
    assert response.json()["count"] == 0
