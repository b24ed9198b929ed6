"""Nothing stale survives: a property over generated worlds and sequences of changes.

Hypothesis builds a small city (volunteers with trainings and checks, roles with requirements) and a
sequence of what happens in a charity's week: volunteers pause, change how they work, move, cap
their commitments; coordinators move a role's start, open it to minors, close it; checks and
trainings lapse silently (the clock moves on, or a row changes without an event), volunteers accept
offers; and the daily sweep runs. After every sweep, no suggestion, approval or offer breaks one of
the engine's rules, and no active match lacks a check or training its role needs (it is on hold).

Between sweeps a change the service hears about is acted on at once (the subscribers), but a
silent one (time passing) may stand until the next sweep: "for more than one sweep" is the promise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.errors import ApplicationError, ConflictError
from matching.models import Match, MatchStatus
from opportunities.models import Opportunity
from opportunities.services import opportunity_close, opportunity_update
from placements.services import transitions
from placements.services.eligibility import match_ineligibility
from placements.services.sweep import matches_sweep
from suggestions.services.rematch import opportunity_rematch
from tests.factories import (
    OpportunityFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerProfileFactory,
    training_type,
)
from tests.placements.lifecycle_helpers import eager_tasks  # noqa: F401  (fixture)
from volunteers.models import VolunteerProfile
from volunteers.services.profile_update import volunteer_profile_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

S = MatchStatus
#: Statuses that must be eligible after a sweep, whole rule book.
OPEN = (S.SUGGESTED, S.APPROVED, S.OFFERED)
#: The codes that put an active match on hold.
CREDENTIAL_CODES = {"background_check_missing", "training_missing"}
HOME = (40.75, -73.99)
FAR = (42.65, -73.75)  # about 210 km north

volunteer_spec = st.fixed_dictionaries(
    {
        "age": st.sampled_from([16, 17, 18, 30, 70]),
        "check_days": st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
        "mhfa_days": st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
        "max_commitments": st.integers(min_value=1, max_value=3),
    }
)
role_spec = st.fixed_dictionaries(
    {
        "mode": st.sampled_from(["remote", "in_person"]),
        "minors": st.booleans(),
        "needs_check": st.booleans(),
        "needs_mhfa": st.booleans(),
        "min_age": st.sampled_from([None, 18, 21]),
    }
)
step = st.one_of(
    st.tuples(st.just("pause"), st.integers(0, 3)),
    st.tuples(st.just("unpause"), st.integers(0, 3)),
    st.tuples(st.just("remote_only"), st.integers(0, 3)),
    st.tuples(st.just("move_away"), st.integers(0, 3)),
    st.tuples(st.just("one_commitment"), st.integers(0, 3)),
    st.tuples(st.just("birth_date_silently"), st.integers(0, 3)),
    st.tuples(st.just("check_lapses_silently"), st.integers(0, 3)),
    st.tuples(st.just("role_later"), st.integers(0, 2)),
    st.tuples(st.just("role_for_minors"), st.integers(0, 2)),
    st.tuples(st.just("role_closes"), st.integers(0, 2)),
    st.tuples(st.just("approve_and_accept"), st.integers(0, 20)),
    st.tuples(st.just("days_pass"), st.integers(1, 40)),
    st.tuples(st.just("sweep"), st.just(0)),
)


@dataclass
class City:
    volunteers: list[VolunteerProfile]
    roles: list[Opportunity]
    coordinator: Any


def _born(age: int, today: dt.date) -> dt.date:
    return today.replace(year=today.year - age) - dt.timedelta(days=10)


def _build(harbor, coordinator, volunteers, roles, today: dt.date) -> City:
    people = []
    for n, spec in enumerate(volunteers):
        profile = VolunteerProfileFactory.create(
            user=UserFactory.create(email=f"volunteer{n}@example.org"),
            display_name=f"Volunteer {n}",
            modes=["remote", "phone", "in_person", "hybrid"],
            latitude=HOME[0],
            longitude=HOME[1],
            max_travel_km=25,
            max_commitments=spec["max_commitments"],
            date_of_birth=_born(spec["age"], today),
        )
        if spec["check_days"] is not None:
            profile.background_check_status = "cleared"
            profile.background_check_cleared_on = today - dt.timedelta(days=300)
            profile.background_check_expires_on = today + dt.timedelta(days=spec["check_days"])
            profile.background_check_verified_at = timezone.now()
            profile.save()
        if spec["mhfa_days"] is not None:
            TrainingRecordFactory.create(
                profile=profile,
                training_type=training_type("mhfa"),
                completed_on=today - dt.timedelta(days=300),
                expires_on=today + dt.timedelta(days=spec["mhfa_days"]),
            )
        people.append(profile)
    posted = []
    for n, spec in enumerate(roles):
        role = OpportunityFactory.create(
            organization=harbor,
            title=f"Role {n}",
            mode=spec["mode"],
            capacity=3,
            latitude=HOME[0],
            longitude=HOME[1],
            postcode="10001",
            starts_on=today - dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=365),
            min_age=spec["min_age"],
            audience=["minors"] if spec["minors"] else ["adults"],
            background_check_required=spec["needs_check"],
        )
        if spec["needs_mhfa"]:
            role.required_trainings.set([training_type("mhfa")])
        posted.append(role)
    for role in posted:
        opportunity_rematch(opportunity_id=role.pk)
    return City(volunteers=people, roles=posted, coordinator=coordinator)


def _edit(profile: VolunteerProfile, **data) -> None:
    # A refused edit changes nothing; the property is about what was accepted.
    with contextlib.suppress(ApplicationError):
        volunteer_profile_update(profile=profile, data=data)


def _act(city: City, action: str, n: int, clock) -> None:
    today = timezone.localdate()
    volunteers, roles = city.volunteers, city.roles
    if action in {"pause", "unpause"}:
        _edit(volunteers[n], paused=action == "pause")
    elif action == "remote_only":
        _edit(volunteers[n], modes=["remote"])
    elif action == "move_away":
        _edit(volunteers[n], latitude=FAR[0], longitude=FAR[1])
    elif action == "one_commitment":
        _edit(volunteers[n], max_commitments=1)
    elif action == "birth_date_silently":
        # A staff correction or a data fix that no event announces: the sweep must catch it.
        VolunteerProfile.objects.filter(pk=volunteers[n].pk).update(date_of_birth=_born(16, today))
    elif action == "check_lapses_silently":
        VolunteerProfile.objects.filter(pk=volunteers[n].pk).update(
            background_check_expires_on=today - dt.timedelta(days=1)
        )
    elif action == "role_later":
        role = Opportunity.objects.get(pk=roles[n].pk)
        if role.status == Opportunity.Status.PUBLISHED:
            opportunity_update(
                opportunity=role,
                data={"starts_on": today + dt.timedelta(days=90)},
                actor=city.coordinator,
            )
    elif action == "role_for_minors":
        role = Opportunity.objects.get(pk=roles[n].pk)
        if role.status == Opportunity.Status.PUBLISHED:
            opportunity_update(
                opportunity=role, data={"audience": ["minors"]}, actor=city.coordinator
            )
    elif action == "role_closes":
        role = Opportunity.objects.get(pk=roles[n].pk)
        if role.status == Opportunity.Status.PUBLISHED:
            opportunity_close(opportunity=role, actor=city.coordinator)
    elif action == "approve_and_accept":
        _approve_and_accept(city, n)
    elif action == "days_pass":
        clock.shift(dt.timedelta(days=n))
    elif action == "sweep":
        matches_sweep()
        _assert_nothing_stale()


def _approve_and_accept(city: City, n: int) -> None:
    open_ids = list(
        Match.objects.filter(status__in=[S.SUGGESTED, S.OFFERED])
        .order_by("id")
        .values_list("id", "status")
    )
    if not open_ids:
        return
    match_id, status = open_ids[n % len(open_ids)]
    match = Match.objects.select_related("volunteer__user").get(pk=match_id)
    try:
        if status == S.SUGGESTED:
            transitions.match_approve(match_id=match_id, actor=city.coordinator)
        transitions.match_accept(match_id=match_id, actor=match.volunteer.user)
    except ConflictError:
        pass  # refused by a guard: the lifecycle said no, as it should


def _assert_nothing_stale() -> None:
    today = timezone.localdate()
    problems = []
    for match in Match.objects.filter(status__in=[*OPEN, S.ACTIVE]).select_related(
        "volunteer", "opportunity"
    ):
        holding = match.status != S.SUGGESTED
        codes = match_ineligibility(match, today=today, holding_place=holding)
        if match.status == S.ACTIVE:
            codes = [code for code in codes if code in CREDENTIAL_CODES]
        if codes:
            problems.append((match.pk, match.status, codes))
    assert problems == [], f"after the sweep on {today}: {problems}"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    volunteers=st.lists(volunteer_spec, min_size=4, max_size=4),
    roles=st.lists(role_spec, min_size=3, max_size=3),
    steps=st.lists(step, min_size=1, max_size=14),
)
def test_after_every_sweep_nothing_open_breaks_a_rule(
    harbor, sam, django_capture_on_commit_callbacks, volunteers, roles, steps
):
    with time_machine.travel(timezone.now(), tick=False) as clock, transaction.atomic():
        today = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            city = _build(harbor, sam, volunteers, roles, today)
        for action, n in [*steps, ("sweep", 0)]:
            with django_capture_on_commit_callbacks(execute=True):
                _act(city, action, n, clock)
        transaction.set_rollback(True)
