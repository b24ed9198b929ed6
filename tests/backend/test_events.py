"""Domain events: an audit row in the emitting transaction, delivery after commit only."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest
from django.db import transaction

from audit.models import AuditEntry
from backend import events
from backend.events import DomainEvent, emit, subscribe

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True, kw_only=True)
class KettleBoiled(DomainEvent):
    name = "kettle_boiled"
    subject = "kettle_id"
    kettle_id: int
    cups: tuple[str, ...] = ()


@pytest.fixture
def heard(monkeypatch) -> list[KettleBoiled]:
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    seen: list[KettleBoiled] = []
    subscribe(KettleBoiled, seen.append)
    return seen


def test_an_event_leaves_an_audit_row_naming_who_and_what(heard, sam):
    emit(KettleBoiled(actor_id=sam.pk, kettle_id=7, cups=("tea", "coffee")))

    entry = AuditEntry.objects.get()
    assert (entry.event, entry.actor_id, entry.subject_type, entry.subject_id) == (
        "kettle_boiled",
        sam.pk,
        "kettle",
        "7",
    )
    assert entry.data == {"kettle_id": 7, "cups": ["tea", "coffee"]}


def test_subscribers_hear_only_after_commit(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emit(KettleBoiled(kettle_id=1))
        assert heard == []  # not yet: the transaction may still roll back

    assert heard == [KettleBoiled(kettle_id=1)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_tells_nobody_and_records_nothing(heard):
    def change_that_fails() -> None:
        with transaction.atomic():
            emit(KettleBoiled(kettle_id=2))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert heard == []
    assert not AuditEntry.objects.filter(event="kettle_boiled").exists()


def test_a_failing_subscriber_does_not_stop_the_others(heard, django_capture_on_commit_callbacks):
    def broken(event: KettleBoiled) -> None:
        raise ConnectionError("broker down")

    events._subscribers[KettleBoiled].insert(0, (broken, events._always))

    with django_capture_on_commit_callbacks(execute=True):
        emit(KettleBoiled(kettle_id=3))

    assert heard == [KettleBoiled(kettle_id=3)]


def test_a_condition_that_does_not_hold_queues_nothing(heard, django_capture_on_commit_callbacks):
    subscribe(KettleBoiled, heard.append, when=lambda event: event.kettle_id > 10)

    with django_capture_on_commit_callbacks() as callbacks:
        emit(KettleBoiled(kettle_id=4))

    assert len(callbacks) == 1  # the unconditional subscriber only


def test_subscribing_twice_delivers_once(heard, django_capture_on_commit_callbacks):
    subscribe(KettleBoiled, heard.append)

    with django_capture_on_commit_callbacks(execute=True):
        emit(KettleBoiled(kettle_id=5))

    assert heard == [KettleBoiled(kettle_id=5)]


def test_the_apps_subscribe_to_each_others_events():
    """The wiring the product relies on: the suggestions app rematches and the placements app
    re-checks open matches after profile, check, training and role changes; the notifications app
    tells people about match transitions."""
    from opportunities.events import OpportunityChanged
    from placements.events import MatchTransitioned
    from volunteers.events import (
        BackgroundCheckRecorded,
        TrainingVerified,
        VolunteerProfileUpdated,
    )

    def handlers(event_type: type[DomainEvent]) -> set[str]:
        return {f"{h.__module__}.{h.__name__}" for h, _ in events.subscribers(event_type)}

    for event_type in (VolunteerProfileUpdated, BackgroundCheckRecorded, TrainingVerified):
        assert handlers(event_type) == {
            "suggestions.subscribers.rematch_volunteer",
            "placements.subscribers.recheck_volunteer",
        }
    assert handlers(OpportunityChanged) == {
        "suggestions.subscribers.rematch_opportunity",
        "placements.subscribers.recheck_opportunity",
    }
    assert handlers(MatchTransitioned) == {
        "notifications.subscribers.notify_transition",
        "placements.subscribers.recheck_after_commitment",
    }
