"""Many coordinators approving at once never fill a role beyond its capacity, and one match is never
approved twice. Real threads, each with its own database connection and its own transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.errors import ConflictError
from matching.models import OCCUPYING_STATUSES, Match, MatchTransition
from placements.services import transitions
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, suggestion

THREADS = 8


def _race(calls) -> list[str]:
    """Run each call in its own thread, all released at once; return each outcome's code."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait(timeout=30)
            call()
            outcome = "ok"
        except ConflictError as error:
            outcome = error.code
        except Exception as error:  # reported in the assertion, never swallowed
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _story_of_a_busy_morning(day: int = 0):
    """Harbor House's peer line has two places and eight suggestions; eight coordinators each
    approve one of them at the same moment."""
    harbor = OrganizationFactory.create(name=f"Harbor House {day}")
    coordinators = [
        MembershipFactory.create(
            user=UserFactory.create(email=f"coordinator{i}.{day}@harbor.example"),
            organization=harbor,
        ).user
        for i in range(THREADS)
    ]
    role = peer_line(harbor, capacity=2)
    matches = [suggestion(new_volunteer(f"Volunteer{i}x{day}"), role) for i in range(THREADS)]
    return role, coordinators, matches


def _approve(match_id, actor):
    return lambda: transitions.match_approve(match_id=match_id, actor=actor)


def _check_capacity_race(day: int = 0):
    role, coordinators, matches = _story_of_a_busy_morning(day)
    outcomes = _race([_approve(m.pk, c) for m, c in zip(matches, coordinators, strict=True)])
    assert sorted(outcomes) == ["ok"] * 2 + ["role_full"] * (THREADS - 2), outcomes
    assert Match.objects.filter(opportunity=role, status__in=OCCUPYING_STATUSES).count() == 2


def _check_same_match_race():
    _, coordinators, matches = _story_of_a_busy_morning()
    target = matches[0]
    outcomes = _race([_approve(target.pk, c) for c in coordinators])
    assert sorted(outcomes) == ["invalid_transition"] * (THREADS - 1) + ["ok"], outcomes
    assert list(
        MatchTransition.objects.filter(match=target).values_list("to_status", flat=True)
    ) == ["approved", "offered"]


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_coordinators_approving_at_once_fill_exactly_the_capacity_on_postgresql():
    for day in range(3):  # a few rounds: without the role lock this failed every round
        _check_capacity_race(day)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_coordinators_approving_one_match_approve_it_once_on_postgresql():
    _check_same_match_race()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_immediate_transactions_give_sqlite_the_same_capacity_guarantee():
    _check_capacity_race()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_immediate_transactions_approve_one_match_once_on_sqlite():
    _check_same_match_race()
