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

Every service is safe to run twice, and costs the same number of queries for 2 people as for 20.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from matching.models import OCCUPYING_STATUSES, Match, MatchStatus, MatchTransition
from notifications import messages as m
from notifications.dispatch import NOTIFIED_STATUSES
from notifications.models import Notification
from organizations.membership import active_members
from organizations.models import Membership
from placements.services import reasons
from volunteers.models import TrainingRecord

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus
Kind = Notification.Kind

#: A reminder goes out this many days before a required training or check expires.
EXPIRY_REMINDER_DAYS = 30
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


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient).unread().update(read_at=timezone.now())


# --- Match transitions ------------------------------------------------------------------------------


def _reviewers(organization_id: int) -> list[User]:
    return active_members(organization_id)


def _reason_suffix(transition: MatchTransition) -> str:
    if not transition.reason:
        return ""
    labels = {
        **reasons.COORDINATOR_REASONS,
        **reasons.VOLUNTEER_REASONS,
        **reasons.SYSTEM_REASONS,
        **reasons.COMPLETE_REASONS,
    }
    return m.REASON_SUFFIX.format(reason=labels.get(transition.reason, transition.reason))


Notice = tuple["User", str, str, str]


def _recipients(transition: MatchTransition, match: Match) -> list[Notice]:
    """(recipient, kind, title template, body template) for one transition."""
    volunteer_user = match.volunteer.user
    coordinators = _reviewers(match.opportunity.organization_id)
    by_volunteer = transition.actor_id == volunteer_user.pk
    to = transition.to_status
    if to == S.OFFERED:
        return [(volunteer_user, Kind.MATCH_OFFERED, m.OFFERED_TITLE, m.OFFERED_BODY)]
    if to == S.ACCEPTED:
        return [(u, Kind.MATCH_ACCEPTED, m.ACCEPTED_TITLE, m.ACCEPTED_BODY) for u in coordinators]
    if to == S.DECLINED:
        return [(u, Kind.MATCH_DECLINED, m.DECLINED_TITLE, m.DECLINED_BODY) for u in coordinators]
    if to == S.WITHDRAWN:
        if transition.from_status == S.SUGGESTED:
            return []  # the volunteer never saw it; coordinators see it in the queue's history
        to_coordinators: list[Notice] = [
            (u, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_COORDINATOR)
            for u in coordinators
            if u.pk != transition.actor_id
        ]
        to_volunteer: list[Notice] = [
            (volunteer_user, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_VOLUNTEER)
        ]
        if by_volunteer:
            return to_coordinators
        if transition.actor_id is None:
            return to_volunteer + to_coordinators
        return to_volunteer
    if to == S.COMPLETED:
        item = (Kind.MATCH_COMPLETED, m.COMPLETED_TITLE, m.COMPLETED_BODY)
        if by_volunteer:
            return [(u, *item) for u in coordinators]
        return [(volunteer_user, *item)]
    return []


def notifications_for_transition(*, transition_id: int) -> list[Notification]:
    """Tell the people concerned about one match transition (see notifications/messages.py)."""
    transition = (
        MatchTransition.objects.select_related(
            "match__volunteer__user", "match__opportunity__organization"
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is None or transition.to_status not in NOTIFIED_STATUSES:
        return []
    match = transition.match
    context: dict[str, Any] = {
        "volunteer": match.volunteer.display_name,
        "role": match.opportunity.title,
        "organization": match.opportunity.organization.name,
        "reason": _reason_suffix(transition),
    }
    return notifications_deliver(
        drafts=[
            Draft(
                key=f"transition:{transition.pk}:user:{recipient.pk}",
                recipient=recipient,
                kind=kind,
                title=title.format(**context),
                body=body.format(**context),
                match=match,
                transition=transition,
            )
            for recipient, kind, title, body in _recipients(transition, match)
        ]
    )


def notices_reconcile(*, since: dt.datetime) -> int:
    """Send the notices of recent transitions that have none (their task was lost, e.g. the
    broker was down at commit). Returns how many transitions were handled."""
    missing = MatchTransition.objects.filter(
        created_at__gte=since, to_status__in=NOTIFIED_STATUSES, notifications__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for transition_id in list(missing):
        notifications_for_transition(transition_id=transition_id)
        count += 1
    return count


# --- Digest and reminders ---------------------------------------------------------------------------


def notifications_review_digest(*, today: dt.date) -> list[Notification]:
    """One email a day to each coordinator with suggestions waiting on their published roles."""
    rows = (
        Match.objects.filter(status=S.SUGGESTED, opportunity__status="published")
        .values(
            "opportunity_id",
            "opportunity__title",
            "opportunity__organization_id",
            "opportunity__organization__name",
        )
        .order_by("opportunity__organization__name", "opportunity__title")
    )
    per_org: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        entry = per_org[row["opportunity__organization_id"]].setdefault(
            row["opportunity_id"],
            {
                "role": row["opportunity__title"],
                "organization": row["opportunity__organization__name"],
                "count": 0,
            },
        )
        entry["count"] += 1
    members = _members_of(list(per_org))
    per_user: dict[int, tuple[User, list[dict[str, Any]]]] = {}
    for organization_id, roles in per_org.items():
        for user in members.get(organization_id, []):
            per_user.setdefault(user.pk, (user, []))[1].extend(roles.values())
    drafts = []
    for user_id, (user, lines) in per_user.items():
        total = sum(line["count"] for line in lines)
        body = m.DIGEST_BODY_HEAD + "".join(m.DIGEST_BODY_LINE.format(**line) for line in lines)
        drafts.append(
            Draft(
                key=f"digest:{today.isoformat()}:user:{user_id}",
                recipient=user,
                kind=Kind.REVIEW_DIGEST,
                title=m.DIGEST_TITLE.format(count=total),
                body=body,
            )
        )
    return notifications_deliver(drafts=drafts)


def _members_of(organization_ids: Sequence[int]) -> dict[int, list[User]]:
    """``organizations.membership.active_members`` for many organizations in one query."""
    members: dict[int, list[User]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(organization_id__in=organization_ids)
        .select_related("user")
        .order_by("id")
    ):
        if membership.user.is_active:
            members[membership.organization_id].append(membership.user)
    return members


def _expiry_draft(
    *, match: Match, key: str, expires_on: dt.date, title: str, body: str, **context: str
) -> Draft:
    context |= {
        "volunteer": match.volunteer.display_name,
        "date": expires_on.isoformat(),
        "role": match.opportunity.title,
    }
    return Draft(
        key=key,
        recipient=match.volunteer.user,
        kind=Kind.EXPIRY_REMINDER,
        title=title.format(**context),
        body=body.format(**context),
        match=match,
    )


def notifications_expiry_reminders(*, today: dt.date) -> list[Notification]:
    """Remind volunteers EXPIRY_REMINDER_DAYS days ahead when a training or background check that
    one of their roles requires (offered, accepted or active) is about to expire. Once per item:
    the key names the record and its expiry date, so a renewed item gets its own reminder later.

    Two of a volunteer's roles can require the same item: the first match (by id) names the role
    in the one reminder. The volunteers' expiring records are read in one query, not per match."""
    horizon = today + dt.timedelta(days=EXPIRY_REMINDER_DAYS)
    holding = Match.objects.filter(status__in=OCCUPYING_STATUSES)
    matches = list(
        holding.select_related("volunteer__user", "opportunity")
        .prefetch_related("opportunity__required_trainings")
        .order_by("id")
    )
    required = {t.pk for match in matches for t in match.opportunity.required_trainings.all()}
    expiring: dict[int, list[TrainingRecord]] = defaultdict(list)
    if required:
        for record in TrainingRecord.objects.filter(
            profile_id__in=holding.values("volunteer_id"),
            training_type_id__in=required,
            expires_on__gte=today,
            expires_on__lte=horizon,
        ).select_related("training_type"):
            expiring[record.profile_id].append(record)
    drafts: list[Draft] = []
    for match in matches:
        volunteer, role = match.volunteer, match.opportunity
        needed = {t.pk for t in role.required_trainings.all()}
        for record in expiring.get(volunteer.pk, []):
            if record.training_type_id not in needed or record.expires_on is None:
                continue  # another role's training; expires_on: excluded by the filter
            drafts.append(
                _expiry_draft(
                    match=match,
                    key=f"expiry:training:{record.pk}:{record.expires_on.isoformat()}",
                    expires_on=record.expires_on,
                    title=m.TRAINING_EXPIRY_TITLE,
                    body=m.TRAINING_EXPIRY_BODY,
                    training=record.training_type.name,
                )
            )
        expires = volunteer.background_check_expires_on
        if (
            role.needs_background_check
            and volunteer.background_check_status == "cleared"
            and expires is not None
            and today <= expires <= horizon
        ):
            drafts.append(
                _expiry_draft(
                    match=match,
                    key=f"expiry:check:{volunteer.pk}:{expires.isoformat()}",
                    expires_on=expires,
                    title=m.CHECK_EXPIRY_TITLE,
                    body=m.CHECK_EXPIRY_BODY,
                )
            )
    return notifications_deliver(drafts=drafts)
