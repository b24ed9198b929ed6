"""The role list measures distances with ``DistanceKm``, the haversine written as one SQL
expression for speed: it must give exactly what the composed ``distance_km_expression`` gives,
for exact and hidden (snapped) addresses, near and far, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random

import pytest

from backend.places import DistanceKm, distance_km_expression, haversine_km
from opportunities.models import Opportunity
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CENTRES = [(40.7359, -73.9911), (-33.87, 151.21), (64.15, -21.94), (0.0, 179.99)]


def test_the_single_expression_gives_the_composed_ones_distances_to_the_bit():
    rng = random.Random(5)
    for i in range(40):
        OpportunityFactory.create(
            latitude=rng.uniform(-89, 89),
            longitude=rng.uniform(-180, 180),
            hide_address=i % 3 == 0,
        )
    rows = Opportunity.objects.filter(latitude__isnull=False)
    for centre in CENTRES:
        composed = dict(rows.annotate(d=distance_km_expression(*centre)).values_list("id", "d"))
        single = dict(rows.annotate(d=DistanceKm(*centre)).values_list("id", "d"))
        assert single == composed
        assert len(single) == 40


def test_it_filters_and_orders_like_a_field():
    near = OpportunityFactory.create(latitude=40.7061, longitude=-73.9969)  # Brooklyn Bridge
    OpportunityFactory.create(latitude=39.9526, longitude=-75.1652)  # Philadelphia
    centre = (40.7359, -73.9911)
    found = list(
        Opportunity.objects.annotate(d=DistanceKm(*centre))
        .filter(d__lte=10, id__in=[near.id])
        .order_by("d")
        .values_list("id", "d")
    )
    assert [pk for pk, _ in found] == [near.id]
    assert found[0][1] == pytest.approx(haversine_km(*centre, 40.7061, -73.9969), abs=1e-6)
