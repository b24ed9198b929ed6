"""Stories about organizations: who creates them, who may change them, who is on the team."""

from __future__ import annotations

import pytest

from backend.fields import NOT_FINITE_MESSAGE
from backend.places import COORDINATES_TOGETHER_MESSAGE
from opportunities.models import Opportunity
from organizations.api.members import MEMBERS_JOIN_BY_INVITATION_MESSAGE
from organizations.api.serializers import VERIFIED_READ_ONLY_MESSAGE
from organizations.api.views import ONLY_ADMINS_EDIT_MESSAGE
from organizations.models import Membership, Organization
from tests.conftest import client_for
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

HAVEN = {
    "name": "Haven Peer Collective",
    "description": "Peer-led groups for people living with anxiety.",
    "website": "https://haven.example.org",
    "contact_email": "hello@haven.example.org",
    "address": "44 Quiet Lane",
    "postcode": "10003",
}


def fields_of(response) -> dict:
    return response.json()["error"]["fields"]


def test_whoever_creates_an_organization_becomes_its_admin():
    """Given Nia, a signed-in person with no organization,
    when she creates Haven Peer Collective,
    then she is its admin and the postcode gave it a place."""
    nia = UserFactory.create(email="nia@haven.example.org")

    response = client_for(nia).post("/api/v1/organizations/", HAVEN)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Haven Peer Collective"
    assert body["my_role"] == "admin"
    assert body["verified"] is False
    assert body["latitude"] == pytest.approx(40.7313)
    assert body["longitude"] == pytest.approx(-73.9892)
    membership = Membership.objects.get(organization_id=body["id"])
    assert (membership.user, membership.role) == (nia, Membership.Role.ADMIN)


def test_nobody_can_verify_their_own_organization_through_the_api():
    nia = UserFactory.create(email="nia@haven.example.org")

    response = client_for(nia).post("/api/v1/organizations/", {**HAVEN, "verified": True})

    assert response.status_code == 400
    assert fields_of(response) == {"verified": [VERIFIED_READ_ONLY_MESSAGE]}
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"website": "ftp//nowhere"}, "website"),
        ({"latitude": 91, "longitude": 0}, "latitude"),
        ({"latitude": 0, "longitude": 181}, "longitude"),
        ({"latitude": "NaN", "longitude": 0}, "latitude"),
        ({"latitude": "forty", "longitude": 0}, "latitude"),
        ({"latitude": 40.7}, "longitude"),
        ({"postcode": "1" * 13}, "postcode"),
    ],
)
def test_a_bad_organization_is_refused_with_the_field_and_nothing_is_written(change, field):
    nia = UserFactory.create(email="nia@haven.example.org")

    response = client_for(nia).post("/api/v1/organizations/", {**HAVEN, **change})

    assert response.status_code == 400, response.content
    assert field in fields_of(response)
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_half_a_coordinate_names_the_missing_half():
    nia = UserFactory.create(email="nia@haven.example.org")
    body = {**HAVEN, "postcode": "", "latitude": 40.7}

    response = client_for(nia).post("/api/v1/organizations/", body)

    assert response.status_code == 400
    assert fields_of(response) == {"longitude": [COORDINATES_TOGETHER_MESSAGE]}


def test_a_nan_latitude_is_refused_with_its_own_message():
    nia = UserFactory.create(email="nia@haven.example.org")

    response = client_for(nia).post(
        "/api/v1/organizations/", {**HAVEN, "latitude": "NaN", "longitude": 1}
    )

    assert fields_of(response) == {"latitude": [NOT_FINITE_MESSAGE]}


def test_malformed_json_is_a_400_not_a_500():
    nia = UserFactory.create(email="nia@haven.example.org")

    response = client_for(nia).post(
        "/api/v1/organizations/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert not Organization.objects.exists()


def test_only_admins_change_an_organization(harbor, alex_client, sam_client):
    """Alex (admin) edits Harbor House's description; Sam (coordinator) may not."""
    response = sam_client.patch(f"/api/v1/organizations/{harbor.id}/", {"description": "Ours"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == ONLY_ADMINS_EDIT_MESSAGE

    response = alex_client.patch(
        f"/api/v1/organizations/{harbor.id}/", {"description": "Peer support by the water."}
    )
    assert response.status_code == 200
    harbor.refresh_from_db()
    assert harbor.description == "Peer support by the water."


def test_verified_stays_with_platform_staff_even_for_admins(harbor, alex_client):
    type(harbor).objects.filter(pk=harbor.pk).update(verification_status="pending")
    response = alex_client.patch(f"/api/v1/organizations/{harbor.id}/", {"verified": True})

    assert response.status_code == 400
    assert fields_of(response) == {"verified": [VERIFIED_READ_ONLY_MESSAGE]}
    harbor.refresh_from_db()
    assert harbor.is_verified is False


def test_outsiders_see_a_public_organization_without_its_address(harbor, alex_client, ada_client):
    """Harbor House posts a published role, so it is public: Ada sees its name and postcode but
    not its street address or coordinates; Alex, its admin, sees everything."""
    alex_client.patch(
        f"/api/v1/organizations/{harbor.id}/",
        {"address": "1 Pier Road", "latitude": 40.70, "longitude": -74.01, "postcode": "10004"},
    )
    OpportunityFactory.create(organization=harbor)

    seen_by_ada = ada_client.get(f"/api/v1/organizations/{harbor.id}/").json()
    seen_by_alex = alex_client.get(f"/api/v1/organizations/{harbor.id}/").json()

    assert (seen_by_ada["address"], seen_by_ada["latitude"], seen_by_ada["longitude"]) == (
        None,
        None,
        None,
    )
    assert seen_by_ada["postcode"] == "10004"
    assert seen_by_ada["my_role"] is None
    assert seen_by_alex["address"] == "1 Pier Road"
    assert seen_by_alex["latitude"] == 40.70


def test_the_list_shows_own_and_public_organizations_and_mine_narrows_it(
    harbor, riverside, rita_client
):
    """Rita sees Riverside (hers) and Harbor (it has a published role), not Quiet Org (drafts
    only); with mine=true only Riverside."""
    OpportunityFactory.create(organization=harbor)
    quiet = Organization.objects.create(name="Quiet Org", contact_email="q@example.org")
    OpportunityFactory.create(organization=quiet, status=Opportunity.Status.DRAFT)

    everyone = rita_client.get("/api/v1/organizations/").json()["results"]
    mine = rita_client.get("/api/v1/organizations/?mine=true").json()["results"]

    assert [org["name"] for org in everyone] == ["Harbor House", "Riverside Helpline"]
    assert [org["name"] for org in mine] == ["Riverside Helpline"]


def test_adding_a_member_directly_is_gone_and_points_to_invitations(
    harbor, alex_client, sam_client
):
    """Given Alex, Harbor House's admin, and Kim who has an account,
    when Alex posts Kim's email to the member list (the old way in),
    then nothing is added and the answer points to invitations; outsiders still get a 404."""
    kim = UserFactory.create(email="kim@example.org")

    response = alex_client.post(
        f"/api/v1/organizations/{harbor.id}/members/", {"email": kim.email, "role": "admin"}
    )

    assert response.status_code == 405
    assert response.json()["error"]["message"] == MEMBERS_JOIN_BY_INVITATION_MESSAGE
    assert not Membership.objects.filter(user=kim).exists()
    members = sam_client.get(f"/api/v1/organizations/{harbor.id}/members/").json()["results"]
    assert sorted(m["email"] for m in members) == ["alex@harbor.example", "sam@harbor.example"]
    outsider = client_for(kim).post(f"/api/v1/organizations/{harbor.id}/members/", {})
    assert outsider.status_code == 404


def test_an_unknown_organization_is_a_404(alex_client):
    assert alex_client.get("/api/v1/organizations/999999/").status_code == 404
    assert alex_client.get("/api/v1/organizations/not-a-number/").status_code == 404
    assert alex_client.get("/api/v1/organizations/999999/members/").status_code == 404
