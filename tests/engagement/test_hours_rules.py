"""Hours go through one service (finding 1 and the issue's "Hours" rule): only the match's volunteer
logs, only on an active or completed match, only for days inside the match (from the day it became
active to the day it completed, never a day to come), more than 0 and at most 24 hours a day, at
most the role's weekly hours plus a margin in a week, and ``verified_*`` is set only by the
organization's coordinators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.errors import ApplicationError, ConflictError
from engagement import services
from engagement.models import HoursLog
from matching.models import Match, MatchStatus, MatchTransition
from placements.services import transitions
from tests.conftest import client_for
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate
URL = "/api/v1/volunteers/me/hours/"


def _ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


def _at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def _active(volunteer, role, coordinator, *, suggested: int, active: int) -> Match:
    """Suggested ``suggested`` days ago, offered and accepted that day, active ``active`` days
    ago (the day the role started, say)."""
    match = suggestion(ready_volunteer(volunteer, max_commitments=5), role)
    transitions.match_approve(match_id=match.pk, actor=coordinator)
    match = transitions.match_accept(match_id=match.pk, actor=volunteer.user)
    Match.objects.filter(pk=match.pk).update(created_at=_at(suggested))
    MatchTransition.objects.filter(match=match).exclude(to_status=MatchStatus.ACTIVE).update(
        created_at=_at(suggested)
    )
    MatchTransition.objects.filter(match=match, to_status=MatchStatus.ACTIVE).update(
        created_at=_at(active)
    )
    return Match.objects.get(pk=match.pk)


@pytest.fixture
def long_role(harbor):
    """A peer line that started a month ago, 3 hours a week."""
    return peer_line(harbor, starts_on=_ago(30))


def _log(volunteer, match, day: dt.date, hours: str):
    return client_for(volunteer.user).post(
        URL, {"match": match.pk, "date": day.isoformat(), "hours": hours}, format="json"
    )


def test_no_hours_for_the_days_before_the_match_became_active(ada, sam, long_role):
    """Given Ada suggested ten days ago and active only for four, the days between are refused
    with the day the match began; that day itself is taken."""
    match = _active(ada, long_role, sam, suggested=10, active=4)

    before = _log(ada, match, _ago(6), "1")
    first_day = _log(ada, match, _ago(4), "1")

    assert (before.status_code, before.json()["error"]["fields"]) == (
        400,
        {"date": [services.HOURS_BEFORE_MATCH.format(date=_ago(4).isoformat())]},
    )
    assert first_day.status_code == 201


def test_a_completed_match_takes_hours_only_up_to_the_day_it_completed(ada, sam, long_role):
    """Given Ada's match completed three days ago, she may still log the days it ran, not the
    days after."""
    match = _active(ada, long_role, sam, suggested=20, active=20)
    transitions.match_complete(match_id=match.pk, actor=sam)
    MatchTransition.objects.filter(match=match, to_status=MatchStatus.COMPLETED).update(
        created_at=_at(3)
    )

    after = _log(ada, match, _ago(1), "1")
    last_day = _log(ada, match, _ago(3), "1")

    assert (after.status_code, after.json()["error"]["fields"]) == (
        400,
        {"date": [services.HOURS_AFTER_END.format(date=_ago(3).isoformat())]},
    )
    assert last_day.status_code == 201


def test_a_week_holds_the_roles_hours_plus_half_again(ada, sam, long_role):
    """Given Ada on a role of 3 hours a week (at most 4.5 logged in a week), 4 hours on last
    week's Monday leave no room for 1 more on its Sunday; this week starts afresh."""
    match = _active(ada, long_role, sam, suggested=30, active=30)
    this_monday = TODAY() - dt.timedelta(days=TODAY().weekday())
    last_monday = this_monday - dt.timedelta(days=7)

    four = _log(ada, match, last_monday, "4")
    sunday = _log(ada, match, last_monday + dt.timedelta(days=6), "1")
    this_week = _log(ada, match, this_monday, "1")

    assert (four.status_code, sunday.status_code, this_week.status_code) == (201, 400, 201)
    assert sunday.json()["error"]["fields"] == {
        "hours": [
            services.HOURS_WEEK_FULL.format(
                weekly="3", cap="4.50", monday=last_monday.isoformat(), logged="4.00"
            )
        ]
    }


def test_a_role_stating_no_weekly_hours_still_has_a_weekly_ceiling(ada, sam, harbor):
    """Given a role with no weekly hours, a week holds at most 60 (40 assumed, plus half)."""
    role = peer_line(harbor, title="Open drop-in", hours_per_week=None, starts_on=_ago(30))
    match = _active(ada, role, sam, suggested=30, active=30)
    last_monday = TODAY() - dt.timedelta(days=TODAY().weekday() + 7)

    answers = [_log(ada, match, last_monday + dt.timedelta(days=d), "12") for d in range(6)]

    assert [a.status_code for a in answers] == [201] * 5 + [400]


@pytest.mark.parametrize("hours", ["0", "-2", "24.01", "1000"])
def test_the_service_refuses_hours_out_of_range_on_the_hours_field(ada, sam, long_role, hours):
    """Given hours of 0 or below, or over 24, the service itself answers a field error (it once
    reached the database constraint and gave a 500)."""
    match = _active(ada, long_role, sam, suggested=5, active=5)

    with pytest.raises(ApplicationError) as refused:
        services.hours_log_add(
            match_id=match.pk, actor=ada.user, date=_ago(1), hours=Decimal(hours)
        )

    assert (refused.value.status_code, refused.value.fields) == (
        400,
        {"hours": [services.HOURS_OUT_OF_RANGE]},
    )
    assert not HoursLog.objects.exists()


def test_only_the_matchs_volunteer_logs_hours_even_through_the_service(
    ada, sam, rita, alex, long_role
):
    """Given Ada's active match, Sam (its coordinator), Alex (Harbor's admin) and Rita (an
    outsider) cannot log hours on it."""
    match = _active(ada, long_role, sam, suggested=5, active=5)

    for someone in (sam, alex, rita):
        with pytest.raises(ApplicationError) as refused:
            services.hours_log_add(match_id=match.pk, actor=someone, date=_ago(1), hours=Decimal(1))
        assert refused.value.status_code == 403
    assert not HoursLog.objects.exists()


def test_a_match_on_hold_takes_no_hours(ada, sam, long_role):
    """Given Ada's match on hold (her check lapsed), she is told why her hours are refused."""
    match = _active(ada, long_role, sam, suggested=5, active=5)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ON_HOLD)

    answer = _log(ada, match, _ago(1), "1")

    assert (answer.status_code, answer.json()["error"]["message"]) == (
        409,
        services.HOURS_ONLY_ON_ACTIVE.format(status="on_hold"),
    )
    with pytest.raises(ConflictError):
        services.hours_log_add(match_id=match.pk, actor=ada.user, date=_ago(1), hours=Decimal(1))


def test_only_the_organizations_coordinators_verify_hours(ada, sam, long_role):
    """Given Ada's logged hours, she cannot verify them (the address answers 404, the service
    403); Sam verifies them and is recorded as the verifier."""
    match = _active(ada, long_role, sam, suggested=5, active=5)
    log = services.hours_log_add(match_id=match.pk, actor=ada.user, date=_ago(1), hours=Decimal(2))

    by_ada = client_for(ada.user).post(f"/api/v1/hours/{log.pk}/verify/")
    with pytest.raises(ApplicationError) as refused:
        services.hours_log_verify(log_id=log.pk, actor=ada.user)
    by_sam = client_for(sam).post(f"/api/v1/hours/{log.pk}/verify/")

    assert (by_ada.status_code, refused.value.status_code, by_sam.status_code) == (404, 403, 200)
    log.refresh_from_db()
    assert (log.verified_by, log.verified_at is not None) == (sam, True)
