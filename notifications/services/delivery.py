"""Notifications: store the row once per event and recipient, commit it, then email it once.

The two steps are apart on purpose. Rows are written (in bulk, found again by their unique ``key``)
in one short transaction that commits before any email is sent, so the notice is in the app even
when the SMTP server is down, and no row lock is held while the server answers. Emailing then
happens with no transaction open: a run claims the unsent rows with one UPDATE (``email_claim``), so
a second run of the same task at the same time leaves them alone, sends, and marks what went out
(``emailed_at``). A failed send releases its claims and raises, and the task's autoretry sends what
is still unsent; a row already emailed is never emailed again. A worker that dies mid-send leaves
claims that lapse after EMAIL_CLAIM_LEASE, and the daily resend sends those rows. The one
duplicate left is a crash between the server's answer and the mark: we prefer it to a lost message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from matching.models import Match, MatchTransition
from notifications.models import Notification

if TYPE_CHECKING:
    from accounts.models import User

#: How long a run's claim on unsent rows holds. Longer than any SMTP conversation of a batch, so a
#: live run is never overtaken; after it, the claim is a dead worker's and the rows are sent again.
EMAIL_CLAIM_LEASE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Draft:
    """A notification to store, unless a row with its key exists already."""

    key: str
    recipient: User
    kind: str
    title: str
    body: str
    match: Match | None = None
    transition: MatchTransition | None = None

    def as_row(self) -> Notification:
        return Notification(
            key=self.key,
            recipient=self.recipient,
            kind=self.kind,
            title=self.title[:200],
            body=self.body,
            match=self.match,
            transition=self.transition,
        )


_DRAFT_FIELDS = ("recipient", "kind", "title", "body", "match", "transition")


def notifications_record(*, drafts: Sequence[Draft]) -> list[Notification]:
    """Store one row per key, keeping rows that exist as they are, and commit them; return the
    rows in the order of the drafts (the first draft of a key wins).

    ``durable``: this must be the outermost transaction, so the rows are committed when it ends and
    the email that follows is never about a row that could still roll back. Callers (the tasks) run
    outside any transaction."""
    unique: dict[str, Draft] = {}
    for draft in drafts:
        unique.setdefault(draft.key, draft)
    if not unique:
        return []
    keys = list(unique)
    with transaction.atomic(durable=True):
        rows = _rows_by_key(keys)
        missing = [draft.as_row() for key, draft in unique.items() if key not in rows]
        if missing:
            try:
                with transaction.atomic():
                    Notification.objects.bulk_create(missing)
            except IntegrityError:
                # Another run stored some of these keys meanwhile: keep theirs, add the rest.
                for row in missing:
                    Notification.objects.get_or_create(
                        key=row.key,
                        defaults={field: getattr(row, field) for field in _DRAFT_FIELDS},
                    )
            rows |= _rows_by_key([row.key for row in missing])
    return [rows[key] for key in keys]


def _rows_by_key(keys: Sequence[str]) -> dict[str, Notification]:
    return {
        row.key: row
        for row in Notification.objects.filter(key__in=keys).select_related("recipient")
    }


def notifications_email(*, notifications: Sequence[Notification]) -> None:
    """Email each of these rows that was not emailed yet and is not being emailed by another run.

    Runs with no transaction open (an SMTP conversation must not hold row locks or a database
    transaction). Claims, sends over one connection, then marks: the same queries for any batch.
    On a failed send the rows not sent are released and the error is raised, for the task to
    retry."""
    pending = {
        row.pk: row for row in notifications if row.emailed_at is None and row.recipient.email
    }
    if not pending:
        return
    claim, now = uuid.uuid4(), timezone.now()
    # Durable: the claim commits before the first message goes out, and a caller inside a
    # transaction is refused here rather than holding it open through the SMTP conversation.
    with transaction.atomic(durable=True):
        Notification.objects.filter(pk__in=list(pending), emailed_at__isnull=True).filter(
            Q(email_claim__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_LEASE)
        ).update(email_claim=claim, email_claimed_at=now)
        claimed = set(
            Notification.objects.filter(pk__in=list(pending), email_claim=claim).values_list(
                "pk", flat=True
            )
        )
    sent: list[int] = []
    try:
        with get_connection() as smtp:  # one SMTP session for the whole batch
            for pk, row in pending.items():
                if pk in claimed:
                    EmailMessage(
                        row.title,
                        row.body,
                        settings.DEFAULT_FROM_EMAIL,
                        [row.recipient.email],
                        connection=smtp,
                    ).send()
                    sent.append(pk)
    finally:
        done = timezone.now()
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=done, email_claim=None)
            for pk in sent:
                pending[pk].emailed_at = done
        unsent = claimed.difference(sent)
        if unsent:
            Notification.objects.filter(pk__in=list(unsent), email_claim=claim).update(
                email_claim=None, email_claimed_at=None
            )


def notifications_deliver(*, drafts: Sequence[Draft]) -> list[Notification]:
    """Store the drafts' rows (committed), then email the ones not emailed yet. The one way the
    services here notify anybody; call it outside any transaction (the tasks do)."""
    rows = notifications_record(drafts=drafts)
    notifications_email(notifications=rows)
    return rows


def notifications_email_unsent(*, since: dt.datetime) -> int:
    """Email the rows stored since ``since`` whose email never went out: a run that died mid-send
    (its claim lapsed) or gave up after its retries. Returns how many rows it tried."""
    rows = list(
        Notification.objects.filter(created_at__gte=since, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("id")
    )
    notifications_email(notifications=rows)
    return len(rows)
