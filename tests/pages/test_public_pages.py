"""The pages anyone opens: the home page, browsing and searching roles, a role."""

from __future__ import annotations

import pytest

from tests.factories import OrganizationFactory, cause
from tests.placements.lifecycle_helpers import peer_line

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_it_is_and_offers_sign_up_and_sign_in(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Volunteer for community mental health" in page
    assert 'href="/sign-up/"' in page
    assert 'href="/sign-in/"' in page
    assert 'href="#main"' in page  # the skip link


def test_the_pages_refuse_inline_styles_while_the_admin_keeps_its_policy(client):
    page_policy = client.get("/")["Content-Security-Policy"]
    admin_policy = client.get("/admin/login/")["Content-Security-Policy"]

    assert "style-src 'self';" in page_policy + ";"
    assert "unsafe-inline" not in page_policy
    assert "unsafe-inline" in admin_policy


def test_a_spanish_speaker_reads_the_home_page_in_spanish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es">' in response.content.decode()
    assert "Voluntariado" in response.content.decode()


def test_browsing_lists_published_roles_of_verified_organizations_only(client, harbor):
    peer_line(harbor, title="Evening peer support line")
    peer_line(harbor, title="Draft role", status="draft")
    pending = OrganizationFactory.create(name="Pending Place", verification_status="pending")
    peer_line(pending, title="Unverified role")

    page = client.get("/roles/").content.decode()

    assert "Evening peer support line" in page
    assert "Draft role" not in page
    assert "Unverified role" not in page


def test_searching_uses_the_role_filters_text_cause_and_distance_from_a_zip_code(client, harbor):
    chelsea = peer_line(harbor, title="Chelsea drop-in", mode="in_person", hide_address=False)
    chelsea.causes.add(cause("loneliness"))
    buffalo = peer_line(
        harbor,
        title="Buffalo drop-in",
        mode="in_person",
        postcode="14201",
        latitude=42.89,
        longitude=-78.88,
        hide_address=False,
    )
    buffalo.causes.add(cause("loneliness"))
    peer_line(harbor, title="Chelsea drop-in for veterans", mode="in_person", hide_address=False)

    page = client.get(
        "/roles/?postcode=10001&radius_km=10&q=drop-in&cause=loneliness"
    ).content.decode()

    assert "Chelsea drop-in" in page
    assert "Buffalo drop-in" not in page
    assert "for veterans" not in page
    assert "km away" in page


def test_a_hidden_address_shows_a_band_in_the_list_and_only_the_zip_code_on_the_role(
    client, harbor
):
    role = peer_line(harbor, title="Crisis line", mode="in_person")

    listing = client.get("/roles/?postcode=10001&radius_km=25").content.decode()
    detail = client.get(f"/roles/{role.pk}/").content.decode()

    assert "under 2 km away" in listing
    assert "12 Quay Street" not in listing + detail
    assert "Near ZIP code 10001" in detail
    assert "Verified organization" in detail


def test_an_unknown_zip_code_is_a_400_with_the_message_on_the_field(client):
    response = client.get("/roles/?postcode=00000")

    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not find that ZIP code" in page
    assert 'aria-invalid="true"' in page


def test_htmx_gets_only_the_results(client, harbor):
    peer_line(harbor, title="Evening peer support line")

    response = client.get("/roles/?q=evening", HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "Evening peer support line" in page


def test_a_draft_or_unknown_role_is_the_friendly_404(client, harbor, settings):
    settings.DEBUG = False
    draft = peer_line(harbor, status="draft")

    for url in (f"/roles/{draft.pk}/", "/roles/999999/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
