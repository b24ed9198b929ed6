"""Fixtures and helpers shared by tests/placements, tests/notifications and tests/engagement.

Each of those folders' conftest.py imports the fixtures it needs from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from backend.celery import app as celery_app
from tests.factories import MatchFactory, OpportunityFactory, VolunteerProfileFactory

TODAY = timezone.localdate


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Celery tasks run in the calling process, and their errors reach the test."""
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def ready_volunteer(profile, **changes):
    """A volunteer the engine's hard rules accept for a remote role with no requirements, free at
    the peer line's times."""
    profile.modes = ["remote", "phone", "in_person", "hybrid"]
    profile.max_commitments = 3
    profile.availability = ["tue-evening", "thu-evening"]
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def peer_line(organization, **changes):
    """The "Evening peer support line": remote, two places, already started, address hidden."""
    values = {
        "organization": organization,
        "title": "Evening peer support line",
        "capacity": 2,
        "mode": "remote",
        "hours_per_week": 3,
        "availability": ["tue-evening", "thu-evening"],
        "starts_on": TODAY() - dt.timedelta(days=7),
        "ends_on": TODAY() + dt.timedelta(days=180),
        "hide_address": True,
        "address": "12 Quay Street",
        "postcode": "10001",
        "latitude": 40.75,
        "longitude": -73.99,
    }
    values.update(changes)
    return OpportunityFactory.create(**values)


def suggestion(volunteer, role, **changes):
    values = {"volunteer": volunteer, "opportunity": role, "features": {"skills": 0.5}}
    values.update(changes)
    return MatchFactory.create(**values)


def new_volunteer(name: str, **changes):
    return ready_volunteer(
        VolunteerProfileFactory.create(
            user__email=f"{name.lower()}@example.org", display_name=name
        ),
        **changes,
    )
