"""One fixture per role. Reference data (skills, causes, trainings, languages) comes from the
migration, so every test database has it."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from organizations.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    VolunteerProfileFactory,
)
from tests.support.broker import broker_purge_if_used


def pytest_addoption(parser):
    parser.addoption(
        "--travel-to",
        metavar="MOMENT",
        help=(
            "run with this process's clock moved to MOMENT (an ISO date or datetime; time-machine, "
            "ticking) to prove that no test depends on the calendar day, e.g. "
            "--travel-to=$(date -d '+5 years' +%%F) -m 'not worker' (a worker process keeps the "
            "real clock)"
        ),
    )


def pytest_configure(config):
    moment = config.getoption("--travel-to", default=None)
    if moment:
        import time_machine

        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test ends with a flush that empties the migration-seeded reference tables;
    reload them so every transactional test starts from what a migrated database holds."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from taxonomy.seed import reference_data_load

    reference_data_load()


@pytest.fixture(autouse=True)
def _empty_broker_queue():
    """This run's Celery queue lives as long as the pytest process: a message an earlier test left
    (a rematch queued after commit that no worker took) must not reach this test's worker. Emptied
    before each test that may find something there (tests/support/broker.py)."""
    broker_purge_if_used()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def ada():
    """Ada the volunteer."""
    return VolunteerProfileFactory.create(user__email="ada@example.org", display_name="Ada")


@pytest.fixture
def ada_client(ada) -> APIClient:
    return client_for(ada.user)


@pytest.fixture
def bo():
    """Bo, another volunteer."""
    return VolunteerProfileFactory.create(user__email="bo@example.org", display_name="Bo")


@pytest.fixture
def harbor():
    """Harbor House, a peer-support nonprofit."""
    return OrganizationFactory.create(name="Harbor House")


@pytest.fixture
def sam(harbor):
    """Sam, a coordinator at Harbor House."""
    return MembershipFactory.create(
        user=UserFactory.create(email="sam@harbor.example"),
        organization=harbor,
        role=Membership.Role.COORDINATOR,
    ).user


@pytest.fixture
def sam_client(sam) -> APIClient:
    return client_for(sam)


@pytest.fixture
def alex(harbor):
    """Alex, the admin of Harbor House."""
    return MembershipFactory.create(
        user=UserFactory.create(email="alex@harbor.example"),
        organization=harbor,
        role=Membership.Role.ADMIN,
    ).user


@pytest.fixture
def alex_client(alex) -> APIClient:
    return client_for(alex)


@pytest.fixture
def riverside():
    """Riverside Helpline, another nonprofit."""
    return OrganizationFactory.create(name="Riverside Helpline")


@pytest.fixture
def rita(riverside):
    """Rita, a coordinator at Riverside Helpline (an outsider to Harbor House)."""
    return MembershipFactory.create(
        user=UserFactory.create(email="rita@riverside.example"),
        organization=riverside,
        role=Membership.Role.COORDINATOR,
    ).user


@pytest.fixture
def rita_client(rita) -> APIClient:
    return client_for(rita)


@pytest.fixture
def staff():
    """Pat, platform staff."""
    return UserFactory.create(email="pat@kindred.example", is_staff=True)


@pytest.fixture
def staff_client(staff) -> APIClient:
    return client_for(staff)


@pytest.fixture
def pat_admin() -> tuple[Client, object]:
    """Pat as a superuser signed in to the Django admin (a session, as the admin needs, that has
    passed the second factor)."""
    from tests.support.second_factor import staff_login

    pat = UserFactory.create(email="pat.admin@kindred.example", is_staff=True, is_superuser=True)
    client = Client()
    staff_login(client, pat)
    return client, pat


@pytest.fixture
def tight_auth_rate(monkeypatch):
    """Sign-in throttled at 2 a minute. The throttle reads its rates when the class is defined; the
    project rate in tests is far higher than a story can reach. The cache holds the request
    history: start and end empty."""
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_shared_cache(request) -> None:
    """Throttle histories live in the shared cache, in tests the database cache: a table no test
    transaction rolls back. Each database test starts with it empty, so one test's requests never
    count against another's (a server started by a later test in the same process saw them)."""
    if request.node.get_closest_marker("django_db") is not None:
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _celery_may_wait_for_results() -> None:
    """Celery keeps "a task is running here, so waiting on a result would block" in one global
    flag, set and restored around each eager task. Two eager tasks in two threads at once (the
    concurrent sign-up test) restore it in the wrong order and leave it set, and every later
    ``result.get()`` in that process raised "Never call result.get() within a task!". The test
    process is never a worker: each test starts with the flag clear."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
