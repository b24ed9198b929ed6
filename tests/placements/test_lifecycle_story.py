"""The lifecycle end to end, through the API, with the embedded defaults (SQLite, locmem email,
tasks run in-process after commit).

Harbor House's "Evening peer support line" has two places. Sam the coordinator approves Ada and
Bo; Cy's approval is refused because the role is full. Ada and Bo hear about their offers. Ada
accepts (the role has started, so her match is active at once) and Bo declines, which frees a
place for Cy. The history shows each step, and Ada's calendar shows her evenings.
"""

from __future__ import annotations

import pytest
from django.core import mail
from icalendar import Calendar, vRecur

from matching.models import Match
from notifications import messages
from placements.services import transitions
from tests.conftest import client_for
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """POST and run what the request queued after its commit (as a real request would)."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, format="json")

    return post


def test_a_coordinator_fills_a_role_and_the_volunteers_answer(
    act, ada, bo, harbor, sam, sam_client, rita_client, anonymous
):
    # Given the peer line with two places and three suggestions
    role = peer_line(harbor)
    ada, bo = ready_volunteer(ada), ready_volunteer(bo)
    cy = new_volunteer("Cy")
    ada_match = suggestion(ada, role, features={"skills": 0.9, "distance": 1.0})
    bo_match = suggestion(bo, role)
    cy_match = suggestion(cy, role)
    ada_client, bo_client, cy_client = (
        client_for(ada.user),
        client_for(bo.user),
        client_for(cy.user),
    )

    # When Sam approves all three
    first = act(sam_client, f"/api/v1/matches/{ada_match.pk}/approve/", {"note": "Great listener"})
    second = act(sam_client, f"/api/v1/matches/{bo_match.pk}/approve/")
    third = act(sam_client, f"/api/v1/matches/{cy_match.pk}/approve/")

    # Then two are offered and the third is refused: the role is full
    assert (first.status_code, first.json()["status"]) == (200, "offered")
    assert (second.status_code, second.json()["status"]) == (200, "offered")
    assert third.status_code == 409
    assert third.json()["error"] == {
        "code": "role_full",
        "message": transitions.ROLE_FULL.format(capacity=2),
        "fields": {},
    }

    # And Ada and Bo are told, by email and in the app; Cy is not
    offered_title = messages.OFFERED_TITLE.format(role=role.title)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", offered_title),
        ("bo@example.org", offered_title),
    ]
    inbox = ada_client.get("/api/v1/notifications/?unread=1").json()
    assert [(n["kind"], n["title"], n["match"]) for n in inbox["results"]] == [
        ("match_offered", offered_title, ada_match.pk)
    ]
    assert cy_client.get("/api/v1/notifications/").json()["results"] == []

    # And Ada sees the offer, without the hidden address until she accepts
    mine = ada_client.get("/api/v1/volunteers/me/matches/").json()["results"]
    assert [(m["id"], m["status"]) for m in mine] == [(ada_match.pk, "offered")]
    assert mine[0]["role"]["address"] is None
    assert mine[0]["role"]["latitude"] is None
    assert mine[0]["organization"]["name"] == "Harbor House"
    assert cy_client.get("/api/v1/volunteers/me/matches/").json()["results"] == []

    # When Ada accepts and Bo declines
    mail.outbox.clear()
    accepted = act(ada_client, f"/api/v1/volunteers/me/matches/{ada_match.pk}/accept/")
    declined = act(
        bo_client, f"/api/v1/volunteers/me/matches/{bo_match.pk}/decline/", {"reason": "schedule"}
    )

    # Then the role has started, so Ada is active at once and now sees where to go
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    assert accepted.json()["role"]["address"] == "12 Quay Street"
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")

    # And Sam hears about both
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("sam@harbor.example", messages.ACCEPTED_TITLE.format(volunteer="Ada", role=role.title)),
        ("sam@harbor.example", messages.DECLINED_TITLE.format(volunteer="Bo", role=role.title)),
    ]

    # And Bo's place is free again: Cy's approval now goes through
    retry = act(sam_client, f"/api/v1/matches/{cy_match.pk}/approve/")
    assert (retry.status_code, retry.json()["status"]) == (200, "offered")

    # And the history shows each step of Ada's match, with who acted
    history = sam_client.get(f"/api/v1/matches/{ada_match.pk}/history/").json()
    assert [(h["from_status"], h["to_status"], h["actor"]["kind"]) for h in history] == [
        ("suggested", "approved", "coordinator"),
        ("approved", "offered", "coordinator"),
        ("offered", "accepted", "volunteer"),
        ("accepted", "active", "system"),
    ]
    assert history[0]["note"] == "Great listener"
    assert history[0]["actor"]["email"] == "sam@harbor.example"
    # Ada sees her match from the offer on; Bo's history shows his reason; outsiders get 404
    own = ada_client.get(f"/api/v1/matches/{ada_match.pk}/history/").json()
    assert [h["to_status"] for h in own] == ["offered", "accepted", "active"]
    assert "email" not in own[0]["actor"]
    bo_history = sam_client.get(f"/api/v1/matches/{bo_match.pk}/history/").json()
    assert (bo_history[-1]["to_status"], bo_history[-1]["reason"]) == ("declined", "schedule")
    assert rita_client.get(f"/api/v1/matches/{ada_match.pk}/history/").status_code == 404
    assert bo_client.get(f"/api/v1/matches/{ada_match.pk}/history/").status_code == 404

    # And Ada's accepted role appears in her secret calendar feed, weekly on Tuesday and Thursday
    reset = act(ada_client, "/api/v1/volunteers/me/calendar/reset/")
    assert reset.status_code == 200
    feed = anonymous.get(reset.json()["url"].removeprefix("http://testserver"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == [
        f"match-{ada_match.pk}-thu-evening@kindred-match",
        f"match-{ada_match.pk}-tue-evening@kindred-match",
    ]
    rules = [e["rrule"] for e in events]
    assert all(isinstance(rule, vRecur) and rule["FREQ"] == ["WEEKLY"] for rule in rules)
    assert str(events[0]["summary"]) == "Evening peer support line (Harbor House)"

    # And the engine's stored features are untouched, ready to serve as labelled examples
    assert Match.objects.get(pk=ada_match.pk).features == {"skills": 0.9, "distance": 1.0}
