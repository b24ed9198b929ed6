"""Notifications: one row and one email per event and person, however often the task runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from matching.models import MatchTransition
from notifications import messages
from notifications.models import Notification
from notifications.tasks import expiry_reminders_task, notify_transition_task, review_digest_task
from placements.services import transitions
from tests.conftest import client_for
from tests.factories import TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate


def test_running_the_offer_task_twice_sends_one_email_and_stores_one_row(ada, harbor, sam):
    match = transitions.match_approve(
        match_id=suggestion(ready_volunteer(ada), peer_line(harbor)).pk, actor=sam
    )
    offer = MatchTransition.objects.get(match=match, to_status="offered")

    notify_transition_task.delay(offer.pk)
    notify_transition_task.delay(offer.pk)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == messages.OFFERED_TITLE.format(role="Evening peer support line")
    assert Notification.objects.filter(recipient=ada.user).count() == 1


def test_offer_is_queued_after_commit_not_before(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        transitions.match_approve(match_id=match.pk, actor=sam)
    assert (len(queued), len(mail.outbox)) == (1, 0)
    queued[0]()
    assert len(mail.outbox) == 1


def test_each_person_reads_only_their_own_notifications(ada, bo, harbor, sam):
    role = peer_line(harbor)
    for person in (ada, bo):
        match = transitions.match_approve(
            match_id=suggestion(ready_volunteer(person), role).pk, actor=sam
        )
        notify_transition_task.delay(
            MatchTransition.objects.get(match=match, to_status="offered").pk
        )
    ada_client, bo_client = client_for(ada.user), client_for(bo.user)
    bo_note = Notification.objects.get(recipient=bo.user)

    assert ada_client.post(f"/api/v1/notifications/{bo_note.pk}/read/").status_code == 404
    ada_note = Notification.objects.get(recipient=ada.user)
    read = ada_client.post(f"/api/v1/notifications/{ada_note.pk}/read/")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert ada_client.get("/api/v1/notifications/?unread=1").json()["results"] == []
    assert len(ada_client.get("/api/v1/notifications/").json()["results"]) == 1
    assert bo_client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert bo_client.get("/api/v1/notifications/?unread=1").json()["results"] == []


def test_the_daily_digest_tells_each_coordinator_once_a_day(ada, bo, harbor, sam, alex, rita):
    role = peer_line(harbor)
    suggestion(ready_volunteer(ada), role)
    suggestion(ready_volunteer(bo), role)

    review_digest_task.delay()
    review_digest_task.delay()

    assert sorted(m.to[0] for m in mail.outbox) == ["alex@harbor.example", "sam@harbor.example"]
    assert mail.outbox[0].subject == messages.DIGEST_TITLE.format(count=2)
    line = messages.DIGEST_BODY_LINE.format(
        role=role.title,
        organization="Harbor House",
        count=2,
        link=f"{settings.PUBLIC_BASE_URL}/review/?role={role.pk}",
    )
    assert line in mail.outbox[0].body
    assert f"{settings.PUBLIC_BASE_URL}/review/\n" in mail.outbox[0].body


def test_a_volunteer_is_reminded_once_before_a_required_training_expires(ada, harbor, sam):
    role = peer_line(harbor, background_check_required=True)
    role.required_trainings.add(training_type("mhfa"))
    expires = TODAY() + dt.timedelta(days=20)
    ready_volunteer(
        ada,
        background_check_status="cleared",
        background_check_cleared_on=TODAY() - dt.timedelta(days=300),
        background_check_expires_on=TODAY() + dt.timedelta(days=29),
        background_check_verified_at=timezone.now(),  # a check counts once verified
    )
    TrainingRecordFactory.create(profile=ada, expires_on=expires)
    transitions.match_approve(match_id=suggestion(ada, role).pk, actor=sam)
    mail.outbox.clear()

    expiry_reminders_task.delay()
    expiry_reminders_task.delay()

    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [
            messages.CHECK_EXPIRY_TITLE.format(date=(TODAY() + dt.timedelta(days=29)).isoformat()),
            messages.TRAINING_EXPIRY_TITLE.format(
                training=training_type("mhfa").name, date=expires.isoformat()
            ),
        ]
    )
    assert Notification.objects.filter(kind="expiry_reminder").count() == 2


def test_the_daily_tasks_are_registered_with_beat():
    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= {
        "lifecycle.daily_sweep",
        "notifications.review_digest",
        "notifications.expiry_reminders",
        "notifications.resend_lost_notices",
    }


def test_the_daily_resend_sends_a_notice_whose_task_was_lost(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    """The broker was down when Sam approved: the queued notice never ran. The daily resend finds the
    offer without a notification and sends it."""
    from notifications.tasks import resend_lost_notices_task

    with django_capture_on_commit_callbacks(execute=False):
        transitions.match_approve(
            match_id=suggestion(ready_volunteer(ada), peer_line(harbor)).pk, actor=sam
        )
    assert mail.outbox == []

    resent = resend_lost_notices_task.delay().get()

    assert resent == 1
    assert [m.to[0] for m in mail.outbox] == ["ada@example.org"]
