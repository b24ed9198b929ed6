"""A deployment in miles (settings.DISTANCE_UNIT = "mi", as `make run`'s New York demo): the pages
ask for and show distances in miles, and the rules and the profile keep kilometres (the engine's
rules.km_from / km_in are the one conversion)."""

from __future__ import annotations

import pytest
from django.test import Client

from matching.engine import rules
from tests.placements.lifecycle_helpers import peer_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def miles(settings):
    settings.DISTANCE_UNIT = "mi"


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_one_conversion_both_ways():
    assert rules.km_from(10, rules.MILES) == pytest.approx(16.09344)
    assert rules.km_in(16.09344, rules.MILES) == pytest.approx(10)
    assert rules.km_from(10, rules.KILOMETRES) == 10
    with pytest.raises(ValueError, match="unknown distance unit"):
        rules.km_in(1, "league")


@pytest.mark.usefixtures("miles")
def test_role_search_asks_for_miles_and_filters_by_them(client, harbor):
    # Chelsea is about 0.3 mi from 10001's centre; Brooklyn Heights about 4 mi.
    peer_line(harbor, title="Chelsea drop-in", mode="in_person", hide_address=False)
    peer_line(
        harbor,
        title="Brooklyn drop-in",
        mode="in_person",
        postcode="11201",
        latitude=40.6959,
        longitude=-73.9956,
        hide_address=False,
    )

    form = client.get("/roles/").content.decode()
    near = client.get("/roles/?postcode=10001&radius_mi=2").content.decode()
    wider = client.get("/roles/?postcode=10001&radius_mi=6").content.decode()

    assert "Within (mi)" in form
    assert 'name="radius_mi"' in form
    assert 'value="16"' in form  # the default 25 km, in miles
    assert "Chelsea drop-in" in near
    assert "Brooklyn drop-in" not in near
    assert "Brooklyn drop-in" in wider
    assert " mi away" in near
    assert " km away" not in near


@pytest.mark.usefixtures("miles")
def test_a_hidden_address_is_a_band_in_miles(client, harbor):
    peer_line(harbor, title="Crisis line", mode="in_person")

    listing = client.get("/roles/?postcode=10001&radius_mi=15").content.decode()

    assert "under 1¼ mi away" in listing


@pytest.mark.usefixtures("miles")
def test_a_radius_over_the_most_in_miles_is_refused_on_its_field(client):
    response = client.get("/roles/?postcode=10001&radius_mi=400")

    assert response.status_code == 400
    assert 'id="id_radius_mi_error"' in response.content.decode()


@pytest.mark.usefixtures("miles")
def test_ada_gives_her_travel_distance_in_miles_and_it_is_stored_in_km(ada):
    browser = signed_in(ada.user)

    saved = browser.post(
        "/me/profile/place/", {"postcode": "10001", "max_travel_km": "10", "modes": ["remote"]}
    )
    shown = browser.get("/me/profile/place/").content.decode()

    assert saved.status_code == 302
    ada.refresh_from_db()
    assert ada.max_travel_km == pytest.approx(16.093, abs=0.001)
    assert "How far you can travel (miles)" in shown
    assert 'value="10"' in shown


@pytest.mark.usefixtures("miles")
def test_too_far_in_miles_is_refused_in_miles(ada):
    response = signed_in(ada.user).post(
        "/me/profile/place/", {"postcode": "", "max_travel_km": "400", "modes": ["remote"]}
    )

    assert response.status_code == 400
    assert "Enter a travel distance between 0 and 310 mi." in response.content.decode()
    ada.refresh_from_db()
    assert ada.max_travel_km == 10


def test_a_deployment_in_km_keeps_km(client, ada):
    shown = signed_in(ada.user).get("/me/profile/place/").content.decode()

    assert "How far you can travel (km)" in shown
    assert 'value="10"' in shown
    assert "Within (km)" in client.get("/roles/").content.decode()
