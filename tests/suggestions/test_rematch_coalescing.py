"""Rematch requests for one volunteer or one role coalesce (suggestions/dispatch.py): while her
rematch is queued and has not started, more edits queue nothing, and the one queued reads the
latest state, so her last edit is always matched."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from suggestions import dispatch, tasks
from suggestions.services import reconcile
from tests.support.broker import queued_tasks

pytestmark = pytest.mark.django_db

ME = "/api/v1/volunteers/me/"
REMATCH = "matching.volunteer_rematch"


def rematches(queued: list[tuple[str, list]]) -> list[tuple[str, list]]:
    return [(task, args) for task, args in queued if task == REMATCH]


def test_twenty_edits_in_a_row_queue_one_rematch_that_matches_the_last(
    ada, ada_client, django_capture_on_commit_callbacks
):
    """Given Ada editing her profile twenty times in a row, then one rematch is queued, and when
    it runs it matches her as she is after the twentieth edit (nothing is left to reconcile)."""
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            response = ada_client.patch(
                ME, {"bio": f"edit {n}", "modes": ["remote"]}, format="json"
            )
            assert response.status_code == 200
            response = ada_client.patch(
                ME, {"languages": ["es"] if n % 2 else ["fr"]}, format="json"
            )
            assert response.status_code == 200

    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]
    tasks.volunteer_rematch_task.apply(args=[ada.id])  # the worker takes it
    assert ada.id not in reconcile.stale_volunteer_ids(limit=100)


def test_an_edit_after_her_rematch_started_queues_another(ada, django_capture_on_commit_callbacks):
    dispatch.enqueue("volunteer_rematch_task", ada.id)
    dispatch.enqueue("volunteer_rematch_task", ada.id)
    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]

    dispatch.rematch_starting("volunteer_rematch_task", ada.id)  # what the task does first
    dispatch.enqueue("volunteer_rematch_task", ada.id)  # an edit committed meanwhile
    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]


def test_requests_for_different_volunteers_and_roles_do_not_coalesce(ada, bo):
    for _ in range(3):
        dispatch.enqueue("volunteer_rematch_task", ada.id)
        dispatch.enqueue("volunteer_rematch_task", bo.id)
        dispatch.enqueue("opportunity_rematch_task", ada.id)  # a role's id may equal hers
    assert sorted(queued_tasks()) == sorted(
        [
            (REMATCH, [ada.id]),
            (REMATCH, [bo.id]),
            ("matching.opportunity_rematch", [ada.id]),
        ]
    )


def test_a_request_the_broker_refused_does_not_hold_back_the_next(ada, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.volunteer_rematch_task, "delay", refuse)
    dispatch.enqueue("volunteer_rematch_task", ada.id)  # logged, not raised
    monkeypatch.undo()
    dispatch.enqueue("volunteer_rematch_task", ada.id)
    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]


def test_a_queued_mark_whose_message_was_lost_expires(ada):
    dispatch.enqueue("volunteer_rematch_task", ada.id)
    queued_tasks()  # the message is gone (a broker that lost it)
    key = dispatch._pending_key("volunteer_rematch_task", ada.id)
    assert cache.get(key) == 1
    cache.delete(key)  # what COALESCE_SECONDS later does
    dispatch.enqueue("volunteer_rematch_task", ada.id)
    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]


def test_the_reconciler_coalesces_with_a_rematch_an_edit_queued(ada):
    dispatch.enqueue("volunteer_rematch_task", ada.id)  # her edit's rematch, not started yet
    tasks.reconcile_stale_matches_task.apply()
    assert rematches(queued_tasks()) == [(REMATCH, [ada.id])]
