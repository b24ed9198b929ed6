"""Role reads that stay cheap as the catalogue grows: the distance filter prunes by a box on the
indexed coordinates before the exact haversine (and the box never loses a role the circle holds),
and ``q=`` is full-text search through a GIN index on PostgreSQL, a substring match on SQLite."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import Q

from backend.places import haversine_km
from opportunities import filters
from opportunities.filters import OpportunityFilter, bounding_box
from opportunities.models import Opportunity
from opportunities.search import SEARCH_INDEX, opportunities_matching_text
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index and its plan: PostgreSQL only"
)


def _plan(queryset) -> str:
    """The query plan of ``queryset`` with sequential scans priced out (a test table is tiny)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("centre", "radius_km"),
    [
        ((40.7359, -73.9911), 10),
        ((40.7359, -73.9911), 500),
        ((64.1466, -21.9426), 300),  # far north: the longitude span widens
        ((-16.5, 179.9), 200),  # across the antimeridian: no longitude bound
        ((89.5, 10.0), 100),  # reaching the pole: no longitude bound
    ],
)
def test_the_box_keeps_every_role_the_circle_holds(centre, radius_km):
    rng = random.Random(11)
    spread = 3 * radius_km / 111
    places = [
        (
            max(-90.0, min(90.0, centre[0] + rng.uniform(-spread, spread))),
            (centre[1] + rng.uniform(-3 * spread, 3 * spread) + 180) % 360 - 180,
        )
        for _ in range(400)
    ]
    inside = {
        i
        for i, (lat, lon) in enumerate(places)
        if haversine_km(centre[0], centre[1], lat, lon) <= radius_km
    }
    boxed = [i for i, (lat, lon) in enumerate(places) if _in_box(centre, radius_km, lat, lon)]
    assert inside <= set(boxed)
    assert len(boxed) < len(places)  # and it prunes


def _in_box(centre, radius_km, lat, lon) -> bool:
    box = bounding_box(*centre, radius_km=radius_km)
    bounds = dict(_flatten(box))
    return all(
        (
            lat >= bounds.get("latitude__gte", -90),
            lat <= bounds.get("latitude__lte", 90),
            lon >= bounds.get("longitude__gte", -180),
            lon <= bounds.get("longitude__lte", 180),
        )
    )


def _flatten(q):
    for child in q.children:
        if isinstance(child, tuple):
            yield child
        else:
            yield from _flatten(child)


def test_the_distance_filter_answers_the_same_with_the_box(harbor, anonymous, monkeypatch):
    rng = random.Random(4)
    for _ in range(40):
        OpportunityFactory.create(
            organization=harbor,
            mode="in_person",
            latitude=40.7 + rng.uniform(-0.4, 0.4),
            longitude=-74.0 + rng.uniform(-0.5, 0.5),
            hide_address=rng.random() < 0.3,
        )

    def listed() -> list[tuple[int, float]]:
        answer = anonymous.get(f"{URL}?near=40.7359,-73.9911&radius_km=15&limit=100")
        return [(row["id"], row["distance_km"]) for row in answer.json()["results"]]

    boxed = listed()
    monkeypatch.setattr(filters, "bounding_box", lambda *_, **__: Q())
    assert boxed == listed()
    assert 0 < len(boxed) < 40


def test_the_distance_filter_reads_the_coordinate_index(harbor):
    OpportunityFactory.create(organization=harbor, mode="in_person", latitude=40.7, longitude=-74)
    found = OpportunityFilter(
        {"near": "40.7359,-73.9911", "radius_km": "10"}, queryset=Opportunity.objects.all()
    ).qs

    assert "opportunity_lat_lon" in _plan(found)


def test_q_finds_words_in_the_title_or_description(harbor):
    listener = OpportunityFactory.create(
        organization=harbor, title="Helpline listener", description="Evening calls."
    )
    gardener = OpportunityFactory.create(
        organization=harbor, title="Garden buddy", description="Grow herbs; LISTEN too."
    )
    OpportunityFactory.create(organization=harbor, title="Driver", description="Drive people.")

    def ids(text: str) -> set[int]:
        return set(
            opportunities_matching_text(Opportunity.objects.all(), text).values_list(
                "id", flat=True
            )
        )

    assert ids("listen") == {listener.id, gardener.id}
    assert ids("HERBS") == {gardener.id}
    assert ids("  ") == set(Opportunity.objects.values_list("id", flat=True))


@on_postgres
def test_q_is_answered_from_the_gin_index_on_postgresql(harbor):
    OpportunityFactory.create(organization=harbor, title="Helpline listener")

    plan = _plan(opportunities_matching_text(Opportunity.objects.all(), "listener"))

    assert SEARCH_INDEX in plan


@on_postgres
def test_q_understands_phrases_and_exclusions_on_postgresql(harbor):
    evening = OpportunityFactory.create(organization=harbor, title="Evening phone befriender")
    OpportunityFactory.create(organization=harbor, title="Morning phone befriender")

    found = opportunities_matching_text(Opportunity.objects.all(), "befriender -morning")

    assert list(found.values_list("id", flat=True)) == [evening.id]
