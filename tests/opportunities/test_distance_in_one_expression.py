"""The role list measures distances with ``DistanceKm``, the haversine written as one SQL
expression for speed: it must give exactly what the composed ``distance_km_expression`` gives,
for exact and hidden (snapped) addresses, near and far, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random

import pytest
from django.db.models import Case, FloatField, Value, When

from backend.places import DistanceKm, distance_km_expression, haversine_km
from opportunities.models import TRAVEL_MODES, Opportunity
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


def test_with_modes_only_travelled_roles_with_a_place_get_a_distance():
    for mode in ("in_person", "hybrid", "remote", "phone"):
        OpportunityFactory.create(mode=mode, latitude=40.7, longitude=-73.9)
        OpportunityFactory.create(mode=mode, latitude=None, longitude=None)
    centre = (40.7359, -73.9911)
    composed = Case(
        When(mode__in=list(TRAVEL_MODES), latitude__isnull=False, then=DistanceKm(*centre)),
        default=Value(None),
        output_field=FloatField(),
    )
    rows = Opportunity.objects.all()
    expected = dict(rows.annotate(d=composed).values_list("id", "d"))
    single = dict(rows.annotate(d=DistanceKm(*centre, modes=TRAVEL_MODES)).values_list("id", "d"))
    assert single == expected
    assert sum(d is not None for d in single.values()) == 2
