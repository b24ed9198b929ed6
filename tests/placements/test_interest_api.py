"""Interest requests through the API: Ada asks, reads and withdraws her own; Sam, Harbor's
coordinator, lists, accepts and declines; outsiders find nothing (404)."""

from __future__ import annotations

import pytest

from matching.engine import eligibility
from matching.models import Match
from placements.models import InterestRequest
from placements.services import interest
from tests.conftest import client_for
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
API = "/api/v1"


def test_ada_asks_reads_and_withdraws_through_the_api(ada, ada_client, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)

    made = ada_client.post(
        f"{API}/volunteers/me/interest-requests/",
        {"opportunity": role.pk, "message": "I listen."},
        format="json",
    )
    listed = ada_client.get(f"{API}/volunteers/me/interest-requests/?status=pending")
    gone = ada_client.delete(f"{API}/volunteers/me/interest-requests/{made.json()['id']}/")

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["message"], body["opportunity"]["id"]) == (
        "pending",
        "I listen.",
        role.pk,
    )
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert gone.status_code == 204
    assert InterestRequest.objects.get().status == "withdrawn"


def test_a_refusal_is_a_409_naming_the_rule_and_a_long_message_a_400_on_its_field(
    ada, ada_client, harbor
):
    ready_volunteer(ada)
    saturday = peer_line(harbor, availability=["sat-morning"], schedule_fixed=True)

    refused = ada_client.post(
        f"{API}/volunteers/me/interest-requests/", {"opportunity": saturday.pk}, format="json"
    )
    too_long = ada_client.post(
        f"{API}/volunteers/me/interest-requests/",
        {"opportunity": peer_line(harbor).pk, "message": "x" * 501},
        format="json",
    )

    assert refused.status_code == 409
    assert refused.json()["error"]["fields"] == {"reasons": [eligibility.NO_SHARED_TIME]}
    assert too_long.status_code == 400
    assert too_long.json()["error"]["fields"] == {
        "message": ["Keep the message to 500 characters."]
    }
    assert not InterestRequest.objects.exists()


def test_sam_lists_accepts_and_declines(ada, bo, harbor, sam_client):
    ready_volunteer(ada)
    ready_volunteer(bo)
    role = peer_line(harbor, capacity=3)
    adas = interest.interest_express(actor=ada.user, opportunity_id=role.pk, message="Hi")
    bos = interest.interest_express(actor=bo.user, opportunity_id=role.pk)

    listed = sam_client.get(f"{API}/interest-requests/?opportunity={role.pk}")
    accepted = sam_client.post(f"{API}/interest-requests/{adas.pk}/accept/", {}, format="json")
    no_reason = sam_client.post(f"{API}/interest-requests/{bos.pk}/decline/", {}, format="json")
    declined = sam_client.post(
        f"{API}/interest-requests/{bos.pk}/decline/", {"reason": "capacity"}, format="json"
    )

    rows = listed.json()["results"]
    assert [(r["id"], r["volunteer"]["display_name"]) for r in rows] == [
        (adas.pk, "Ada"),
        (bos.pk, "Bo"),
    ]
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert Match.objects.get(pk=accepted.json()["match"]).status == "offered"
    assert no_reason.status_code == 400
    assert declined.json()["status"] == "declined"


def test_outsiders_find_nothing(ada, bo, harbor, rita):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    bo_reads = client_for(bo.user).get(f"{API}/volunteers/me/interest-requests/{made.pk}/")
    rita_accepts = client_for(rita).post(f"{API}/interest-requests/{made.pk}/accept/", {})
    rita_lists = client_for(rita).get(f"{API}/interest-requests/")

    assert bo_reads.status_code == 404
    assert rita_accepts.status_code == 404
    assert rita_lists.json()["results"] == []
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"


def test_roles_for_you_through_the_api(ada, ada_client, harbor, sam):
    ready_volunteer(ada)
    role = peer_line(harbor)

    mine = ada_client.get(f"{API}/volunteers/me/roles-for-you/")
    none = client_for(sam).get(f"{API}/volunteers/me/roles-for-you/")

    assert mine.status_code == 200
    (row,) = mine.json()["roles"]
    assert (row["id"], row["distance_band"]) == (role.pk, None)
    assert row["reasons"]
    assert mine.json()["missing"] == ["no_place"]  # in person accepted, no ZIP code given
    assert none.status_code == 404
