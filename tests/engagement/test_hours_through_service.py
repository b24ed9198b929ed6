"""POST /api/v1/volunteers/me/hours/ logs hours through the hours service, like the per-match
address does: only the volunteer of a match they hold, never verified by themselves, with the
service's rules on hours and dates, and a refusal that tells an outsider nothing about the match.

Each test here failed while the view saved through a writable model serializer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engagement import services
from engagement.models import HoursLog
from matching.models import Match, MatchTransition
from placements.services import transitions
from tests.conftest import client_for
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate
URL = "/api/v1/volunteers/me/hours/"


def _days_ago(days: int) -> str:
    return (TODAY() - dt.timedelta(days=days)).isoformat()


def _volunteering(volunteer, role, coordinator, *, suggested_days_ago: int = 8) -> Match:
    """The volunteer was suggested for the role some days ago, was offered it and accepted it that
    same day, and holds it since (active at once when the role had started)."""
    match = suggestion(ready_volunteer(volunteer, max_commitments=5), role)
    then = timezone.now() - dt.timedelta(days=suggested_days_ago)
    transitions.match_approve(match_id=match.pk, actor=coordinator)
    match = transitions.match_accept(match_id=match.pk, actor=volunteer.user)
    Match.objects.filter(pk=match.pk).update(created_at=then)
    MatchTransition.objects.filter(match=match).update(created_at=then)
    return match


@pytest.fixture
def role(harbor):
    return peer_line(harbor)


@pytest.fixture
def adas_match(ada, role, sam) -> Match:
    return _volunteering(ada, role, sam)


def test_bo_cannot_log_hours_on_adas_match_and_learns_nothing_about_it(
    ada, bo, role, sam, adas_match
):
    """Given Ada the volunteer and Bo, both volunteering on the peer line at Harbor House, when Bo
    logs hours on Ada's match, he is told only what he would hear for a match that does not exist;
    so is Sam, who coordinates the role but is nobody's volunteer."""
    _volunteering(bo, role, sam)
    hours = {"date": _days_ago(1), "hours": "2"}

    by_bo = client_for(bo.user).post(URL, {"match": adas_match.pk, **hours}, format="json")
    no_such_match = client_for(bo.user).post(URL, {"match": 999_999, **hours}, format="json")
    by_sam = client_for(sam).post(URL, {"match": adas_match.pk, **hours}, format="json")

    assert (by_bo.status_code, by_sam.status_code) == (404, 404)
    assert by_bo.json() == no_such_match.json() == by_sam.json()
    assert "Ada" not in by_bo.content.decode()
    assert role.title not in by_bo.content.decode()
    assert not HoursLog.objects.filter(match=adas_match).exists()


def test_ada_logs_hours_only_on_a_match_she_holds(ada, harbor, role, sam, adas_match, ada_client):
    """Given Ada with one active match, one accepted (the role starts next week), one offered and
    one only suggested: the suggestion and the offer answer 404 (she holds neither), the accepted
    match is refused by the service (not active yet), and the active one takes her hours, as it
    still does once completed."""
    later = peer_line(harbor, title="Weekend drop-in", starts_on=TODAY() + dt.timedelta(days=7))
    accepted = _volunteering(ada, later, sam)
    offered = transitions.match_approve(
        match_id=suggestion(ada, peer_line(harbor, title="Food bank driver")).pk, actor=sam
    )
    suggested = suggestion(ada, peer_line(harbor, title="Helpline trainer"))
    hours = {"date": _days_ago(1), "hours": "2"}

    answers = {
        status: ada_client.post(URL, {"match": match.pk, **hours}, format="json")
        for status, match in [
            ("suggested", suggested),
            ("offered", offered),
            ("accepted", accepted),
            ("active", adas_match),
        ]
    }

    assert {status: answer.status_code for status, answer in answers.items()} == {
        "suggested": 404,
        "offered": 404,
        "accepted": 409,
        "active": 201,
    }
    assert answers["accepted"].json()["error"]["message"] == services.HOURS_ONLY_ON_ACTIVE.format(
        status="accepted"
    )
    logged = answers["active"].json()
    assert (logged["match"], logged["volunteer"], logged["opportunity"], logged["hours"]) == (
        adas_match.pk,
        "Ada",
        role.title,
        "2.00",
    )

    # Once completed, the days it ran still take hours (the issue: "an active or completed match").
    transitions.match_complete(match_id=adas_match.pk, actor=sam)
    completed = ada_client.post(
        URL, {"match": adas_match.pk, "date": _days_ago(2), "hours": "1"}, format="json"
    )
    assert completed.status_code == 201
    assert HoursLog.objects.filter(match__volunteer=ada).count() == 2


def test_ada_cannot_verify_her_own_hours(ada_client, adas_match, sam):
    """Given Ada logging hours, when she also sends the verification fields, they are ignored:
    only a coordinator verifies, through the service."""
    answer = ada_client.post(
        URL,
        {
            "match": adas_match.pk,
            "date": _days_ago(1),
            "hours": "3",
            "verified": True,
            "verified_at": timezone.now().isoformat(),
            "verified_by": sam.pk,
        },
        format="json",
    )

    assert answer.status_code == 201
    assert (answer.json()["verified"], answer.json()["verified_at"]) == (False, None)
    log = HoursLog.objects.get(pk=answer.json()["id"])
    assert (log.verified_at, log.verified_by) == (None, None)


@pytest.mark.parametrize("hours", ["0", "0.00", "-1"])
def test_hours_of_zero_or_below_are_a_field_error_not_a_server_error(ada_client, adas_match, hours):
    """Given Ada logging no hours or negative ones, she is told what is wrong with the hours."""
    answer = ada_client.post(
        URL, {"match": adas_match.pk, "date": _days_ago(1), "hours": hours}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid"
    assert list(answer.json()["error"]["fields"]) == ["hours"]
    assert not HoursLog.objects.exists()


def test_hours_before_the_match_existed_or_in_the_future_are_refused_on_the_date_field(
    ada, harbor, sam, ada_client
):
    """Given Ada active for three days on a role with no start date, she can log hours from the
    day the match became active until today, and not for the days around that."""
    open_ended = peer_line(harbor, title="Open-ended befriending", starts_on=None)
    match = _volunteering(ada, open_ended, sam, suggested_days_ago=3)
    began = timezone.localdate(Match.objects.get(pk=match.pk).created_at)

    def log(date: str):  # type: ignore[no-untyped-def]
        return ada_client.post(URL, {"match": match.pk, "date": date, "hours": "1"}, format="json")

    before, future = log(_days_ago(4)), log((TODAY() + dt.timedelta(days=1)).isoformat())
    first_day, today = log(began.isoformat()), log(TODAY().isoformat())

    assert (before.status_code, before.json()["error"]["fields"]) == (
        400,
        {"date": [services.HOURS_BEFORE_MATCH.format(date=began.isoformat())]},
    )
    assert (future.status_code, future.json()["error"]["fields"]) == (
        400,
        {"date": [services.HOURS_IN_FUTURE]},
    )
    assert (first_day.status_code, today.status_code) == (201, 201)


def test_hours_before_the_role_started_are_refused_too(ada_client, adas_match):
    """Given Ada suggested eight days ago for the peer line, which started a week ago, the day
    before the role started is refused with the role's start date."""
    answer = ada_client.post(
        URL, {"match": adas_match.pk, "date": _days_ago(8), "hours": "1"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {
        "date": [services.HOURS_BEFORE_START.format(date=_days_ago(7))]
    }


def test_a_day_holds_at_most_24_hours_here_too(ada, harbor, sam, ada_client):
    """Given Ada on a role of 20 hours a week has logged 20 hours today, 5 more do not fit."""
    long_shifts = _volunteering(
        ada, peer_line(harbor, title="Night shelter", hours_per_week=20), sam
    )
    first = ada_client.post(
        URL, {"match": long_shifts.pk, "date": TODAY().isoformat(), "hours": "20"}, format="json"
    )
    more = ada_client.post(
        URL, {"match": long_shifts.pk, "date": TODAY().isoformat(), "hours": "5"}, format="json"
    )

    assert (first.status_code, more.status_code) == (201, 400)
    assert more.json()["error"]["fields"] == {
        "hours": [services.HOURS_DAY_FULL.format(logged="20.00", date=TODAY().isoformat())]
    }
