"""Hours, ratings and the calendar address around Ada's active match at Harbor House."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from engagement import services
from matching.models import Match, MatchTransition
from placements.services import transitions
from tests.conftest import client_for
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate


@pytest.fixture
def ada_active(ada, harbor, sam):
    """Ada was suggested for the peer line (20 hours a week here) a week ago, when it started,
    accepted it that day and volunteers on it since."""
    suggested = suggestion(ready_volunteer(ada), peer_line(harbor, hours_per_week=20))
    match = transitions.match_approve(match_id=suggested.pk, actor=sam)
    match = transitions.match_accept(match_id=match.pk, actor=ada.user)
    week_ago = timezone.now() - dt.timedelta(days=7)
    Match.objects.filter(pk=match.pk).update(created_at=week_ago)
    MatchTransition.objects.filter(match=match).update(created_at=week_ago)
    return match


def test_ada_logs_hours_sam_verifies_them_and_totals_add_up(
    ada_active, ada_client, sam_client, rita_client
):
    url = f"/api/v1/volunteers/me/matches/{ada_active.pk}/hours/"
    yesterday = (TODAY() - dt.timedelta(days=1)).isoformat()

    first = ada_client.post(
        url, {"date": yesterday, "hours": "2.5", "note": "Evening shift"}, format="json"
    )
    second = ada_client.post(url, {"date": TODAY().isoformat(), "hours": "1"}, format="json")
    assert (first.status_code, second.status_code) == (201, 201)

    assert rita_client.post(f"/api/v1/hours/{first.json()['id']}/verify/").status_code == 404
    verified = sam_client.post(f"/api/v1/hours/{first.json()['id']}/verify/")
    assert (verified.status_code, verified.json()["verified"]) == (200, True)
    again = sam_client.post(f"/api/v1/hours/{first.json()['id']}/verify/")
    assert (again.status_code, again.json()["error"]["message"]) == (
        409,
        services.HOURS_ALREADY_VERIFIED,
    )

    totals = sam_client.get("/api/v1/hours/totals/?by=volunteer").json()["results"]
    assert [(t["volunteer"], t["hours"], t["verified_hours"], t["entries"]) for t in totals] == [
        ("Ada", "3.50", "2.50", 2)
    ]
    by_role = sam_client.get("/api/v1/hours/totals/?by=role").json()["results"]
    assert [(t["opportunity"], t["hours"]) for t in by_role] == [
        ("Evening peer support line", "3.50")
    ]
    exported = sam_client.get("/api/v1/hours/totals.csv?by=volunteer")
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["volunteer"], r["hours"], r["verified_hours"]) for r in rows] == [
        ("Ada", "3.50", "2.50")
    ]
    assert rita_client.get("/api/v1/hours/totals/?by=volunteer").json()["results"] == []
    mine = ada_client.get("/api/v1/volunteers/me/hours/totals/").json()["results"]
    assert [(t["opportunity"], t["hours"]) for t in mine] == [("Evening peer support line", "3.50")]


def test_hours_are_refused_in_the_future_beyond_24_a_day_and_on_a_match_not_active(
    ada_active, ada_client, sam
):
    url = f"/api/v1/volunteers/me/matches/{ada_active.pk}/hours/"
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    future = ada_client.post(url, {"date": tomorrow, "hours": "1"}, format="json")
    assert (future.status_code, future.json()["error"]["message"]) == (
        400,
        services.HOURS_IN_FUTURE,
    )

    ada_client.post(url, {"date": TODAY().isoformat(), "hours": "20"}, format="json")
    too_many = ada_client.post(url, {"date": TODAY().isoformat(), "hours": "5"}, format="json")
    assert too_many.status_code == 400
    assert too_many.json()["error"]["message"] == services.HOURS_DAY_FULL.format(
        logged="20.00", date=TODAY().isoformat()
    )

    transitions.match_withdraw(match_id=ada_active.pk, actor=sam, reason="other")
    closed = ada_client.post(url, {"date": TODAY().isoformat(), "hours": "1"}, format="json")
    assert closed.status_code == 409
    assert closed.json()["error"]["message"] == services.HOURS_ONLY_ON_ACTIVE.format(
        status="withdrawn"
    )


def test_after_completion_each_side_rates_once(ada_active, ada_client, sam_client, bo):
    early = ada_client.post(
        f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/", {"score": 5}, format="json"
    )
    assert early.status_code == 409
    assert early.json()["error"]["message"] == services.RATING_ONLY_COMPLETED.format(
        status="active"
    )

    assert (
        sam_client.post(
            f"/api/v1/matches/{ada_active.pk}/complete/", {"reason": "finished"}, format="json"
        ).status_code
        == 200
    )
    by_ada = ada_client.post(
        f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/",
        {"score": 5, "comment": "Supportive team"},
        format="json",
    )
    by_sam = sam_client.post(
        f"/api/v1/matches/{ada_active.pk}/rating/", {"score": 4}, format="json"
    )
    twice = sam_client.post(f"/api/v1/matches/{ada_active.pk}/rating/", {"score": 3}, format="json")
    out_of_range = ada_client.post(
        f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/", {"score": 6}, format="json"
    )
    by_bo = client_for(bo.user).post(
        f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/", {"score": 1}, format="json"
    )

    assert (by_ada.status_code, by_ada.json()["side"]) == (201, "volunteer")
    assert (by_sam.status_code, by_sam.json()["side"]) == (201, "organization")
    assert (twice.status_code, twice.json()["error"]["message"]) == (
        409,
        services.RATING_ALREADY_GIVEN,
    )
    assert out_of_range.status_code == 400
    assert by_bo.status_code == 404


def test_resetting_the_calendar_address_retires_the_old_one(ada_active, ada_client, anonymous):
    old = ada_client.post("/api/v1/volunteers/me/calendar/reset/").json()["url"]
    new = ada_client.post("/api/v1/volunteers/me/calendar/reset/").json()["url"]

    assert old != new
    assert anonymous.get(old.removeprefix("http://testserver")).status_code == 404
    assert anonymous.get(new.removeprefix("http://testserver")).status_code == 200
    assert anonymous.get("/api/v1/calendar/not-a-token.ics").status_code == 404


def test_a_coordinator_without_a_volunteer_profile_has_no_calendar(sam_client):
    response = sam_client.post("/api/v1/volunteers/me/calendar/reset/")
    assert response.status_code == 404


def test_both_sides_read_the_ratings_of_their_match_and_outsiders_cannot(
    ada_active, ada_client, sam_client, rita_client
):
    sam_client.post(
        f"/api/v1/matches/{ada_active.pk}/complete/", {"reason": "finished"}, format="json"
    )
    ada_client.post(
        f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/",
        {"score": 5, "comment": "Supportive team"},
        format="json",
    )
    sam_client.post(f"/api/v1/matches/{ada_active.pk}/rating/", {"score": 4}, format="json")

    as_ada = ada_client.get(f"/api/v1/volunteers/me/matches/{ada_active.pk}/rating/")
    as_sam = sam_client.get(f"/api/v1/matches/{ada_active.pk}/rating/")
    as_rita = rita_client.get(f"/api/v1/matches/{ada_active.pk}/rating/")

    assert as_ada.status_code == as_sam.status_code == 200
    assert [(r["side"], r["score"], r["comment"]) for r in as_ada.json()] == [
        ("organization", 4, ""),
        ("volunteer", 5, "Supportive team"),
    ]
    assert as_sam.json() == as_ada.json()
    assert as_rita.status_code == 404
