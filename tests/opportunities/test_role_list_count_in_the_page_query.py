"""The role list counts its rows in the page's own query (``COUNT(*) OVER ()``): the answer's
``count``, ``next`` and ``previous`` must be what DRF's separate count gives, on every page,
past the last one, and with the distance filter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/"


@pytest.fixture
def roles(harbor):
    for i in range(7):
        OpportunityFactory.create(
            organization=harbor, mode="in_person", latitude=40.70 + i / 100, longitude=-73.99
        )
    OpportunityFactory.create(organization=harbor)  # remote


@pytest.mark.parametrize(
    ("query", "count"),
    [("", 8), ("near=40.70,-73.99&radius_km=25", 7), ("near=40.70,-73.99&radius_km=2", 2)],
)
def test_count_and_links_on_every_page(roles, ada_client, query, count):
    seen = []
    for offset in (0, 3, 6, 9, 50):
        body = ada_client.get(f"{URL}?limit=3&offset={offset}&{query}").json()
        assert body["count"] == count
        assert (body["next"] is not None) == (offset + 3 < count)
        assert (body["previous"] is not None) == (offset > 0)
        seen += [row["id"] for row in body["results"]]
    assert len(seen) == len(set(seen)) == count


def test_a_page_is_one_query_for_rows_and_count(roles, ada_client):
    with CaptureQueriesContext(connection) as queries:
        assert ada_client.get(f"{URL}?near=40.70,-73.99&radius_km=25").status_code == 200
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counted) == 1
    assert "OVER" in counted[0].upper()
