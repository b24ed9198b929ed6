"""Email goes out after the notification row is committed, outside any transaction or row lock, and
exactly once per row however often (or however unluckily) the task runs.

The email backends below stand in for an SMTP server: one records whether a transaction was open
while it "talked to the server", one hangs up on the first message."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Sequence
from typing import ClassVar

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from matching.models import MatchTransition
from notifications.models import Notification
from notifications.services import delivery, transition_notices
from notifications.tasks import (
    expiry_reminders_task,
    notify_transition_task,
    resend_lost_notices_task,
    review_digest_task,
)
from placements.services import transitions
from tests.factories import TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = pytest.mark.usefixtures("eager_tasks")
TODAY = timezone.localdate
HERE = "tests.notifications.test_notification_email"


class TransactionWatchingBackend(BaseEmailBackend):
    """Records each message with whether a database transaction was open while it was sent."""

    sent: ClassVar[list[tuple[str, bool]]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            self.sent.append((message.to[0], connection.in_atomic_block))
        return len(email_messages)


class HangsUpOnceBackend(BaseEmailBackend):
    """The first message fails as a dropped SMTP connection would; later ones reach mail.outbox."""

    failures_left: ClassVar[int] = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(email_messages)
        return len(email_messages)


def _use_backend(settings, name: str):  # type: ignore[no-untyped-def]
    """Make ``name`` the email backend; return the class Django will instantiate (pytest may have
    imported this file under another module name, so the class here can be a different copy)."""
    settings.EMAIL_BACKEND = f"{HERE}.{name}"
    return import_string(settings.EMAIL_BACKEND)


@pytest.fixture
def watching(settings) -> list[tuple[str, bool]]:
    backend = _use_backend(settings, "TransactionWatchingBackend")
    backend.sent = []
    return backend.sent


@pytest.fixture
def hangs_up_once(settings):  # type: ignore[no-untyped-def]
    backend = _use_backend(settings, "HangsUpOnceBackend")
    backend.failures_left = 1
    return backend


def _offer(volunteer, role, coordinator):
    return transitions.match_approve(
        match_id=suggestion(ready_volunteer(volunteer), role).pk, actor=coordinator
    )


@pytest.mark.django_db(transaction=True)
def test_no_email_is_sent_while_a_transaction_is_open(ada, bo, harbor, sam, alex, watching):
    """Given a real database (no test transaction around everything): when Sam offers Ada a role,
    the digest tells Sam and Alex of Bo's suggestion, and Ada is reminded of her expiring training,
    every email is sent with no transaction open, so no row lock is held while the SMTP server
    answers."""
    role = peer_line(harbor)
    role.required_trainings.add(training_type("mhfa"))
    TrainingRecordFactory.create(profile=ada, expires_on=TODAY() + dt.timedelta(days=10))
    _offer(ada, role, sam)  # the offer's task runs eagerly after commit
    suggestion(ready_volunteer(bo), role)

    review_digest_task.delay()
    expiry_reminders_task.delay()

    assert sorted(watching) == [
        ("ada@example.org", False),  # the offer
        ("ada@example.org", False),  # the training reminder
        ("alex@harbor.example", False),
        ("sam@harbor.example", False),
    ]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_row_is_kept_when_the_email_fails_and_the_retry_sends_it_once(
    ada, harbor, sam, hangs_up_once, django_capture_on_commit_callbacks
):
    """Given the SMTP server hangs up on the first try: Ada's offer is already in the app, the
    task's retry emails it, and running the task again sends nothing more."""
    with django_capture_on_commit_callbacks(execute=False):  # the task is run by hand below
        match = _offer(ada, peer_line(harbor), sam)
    offer = MatchTransition.objects.get(match=match, to_status="offered")

    with pytest.raises(smtplib.SMTPServerDisconnected):
        transition_notices.notifications_for_transition(transition_id=offer.pk)
    kept = Notification.objects.get(recipient=ada.user)
    assert (kept.emailed_at, kept.email_claim, len(mail.outbox)) == (None, None, 0)

    hangs_up_once.failures_left = 1
    # The task's autoretry catches the dropped connection and runs it again (at once, eagerly).
    first = notify_transition_task.apply(args=[offer.pk], throw=False)
    again = notify_transition_task.delay(offer.pk)

    assert (first.get(), again.get(), hangs_up_once.failures_left) == (1, 1, 0)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().pk == kept.pk
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_a_row_another_worker_is_emailing_is_left_to_it_until_its_claim_lapses(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    """Given two runs of the same task at once (a redelivered message, say), the row claimed by
    the first is not emailed by the second; once the claim is older than the lease (the first
    worker died), the daily resend sends it."""
    with django_capture_on_commit_callbacks(execute=False):
        _offer(ada, peer_line(harbor), sam)
    offer = MatchTransition.objects.get(to_status="offered")
    row = delivery.notifications_record(
        drafts=[
            delivery.Draft(
                key=f"transition:{offer.pk}:user:{ada.user.pk}",
                recipient=ada.user,
                kind=Notification.Kind.MATCH_OFFERED,
                title="New role offered",
                body="Hello",
            )
        ]
    )[0]
    Notification.objects.filter(pk=row.pk).update(
        email_claim=uuid.uuid4(), email_claimed_at=timezone.now()
    )

    notify_transition_task.delay(offer.pk)
    resend_lost_notices_task.delay()
    assert mail.outbox == []

    Notification.objects.filter(pk=row.pk).update(
        email_claimed_at=timezone.now() - delivery.EMAIL_CLAIM_LEASE - dt.timedelta(seconds=1)
    )
    resend_lost_notices_task.delay()
    resend_lost_notices_task.delay()
    assert [m.to[0] for m in mail.outbox] == ["ada@example.org"]
