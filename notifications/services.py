"""Notifications: create the row once per event and recipient, then email it once.

Every service here is safe to run twice: the row is found by its unique ``key`` and locked, and the
email goes out only while ``emailed_at`` is empty. A crash between the SMTP answer and the commit
can still send twice; that window is a few milliseconds and we prefer it to losing a message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from matching.models import OCCUPYING_STATUSES, Match, MatchStatus, MatchTransition
from notifications import messages as m
from notifications.dispatch import NOTIFIED_STATUSES
from notifications.models import Notification
from organizations.membership import active_members
from placements.services import reasons
from volunteers.models import TrainingRecord

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus
Kind = Notification.Kind

#: A reminder goes out this many days before a required training or check expires.
EXPIRY_REMINDER_DAYS = 30


def notification_send(
    *,
    key: str,
    recipient: User,
    kind: str,
    title: str,
    body: str,
    match: Match | None = None,
    transition: MatchTransition | None = None,
) -> Notification:
    """Store the notification (once per key) and email it (once)."""
    with transaction.atomic():
        notification, _ = Notification.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "kind": kind,
                "title": title[:200],
                "body": body,
                "match": match,
                "transition": transition,
            },
        )
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.emailed_at is None and recipient.email:
            send_mail(
                notification.title,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.for_recipient(recipient).unread().update(read_at=timezone.now())


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
    sent = []
    for recipient, kind, title, body in _recipients(transition, match):
        sent.append(
            notification_send(
                key=f"transition:{transition.pk}:user:{recipient.pk}",
                recipient=recipient,
                kind=kind,
                title=title.format(**context),
                body=body.format(**context),
                match=match,
                transition=transition,
            )
        )
    return sent


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
    per_user: dict[int, tuple[User, list[dict[str, Any]]]] = {}
    for organization_id, roles in per_org.items():
        for user in _reviewers(organization_id):
            per_user.setdefault(user.pk, (user, []))[1].extend(roles.values())
    sent = []
    for user_id, (user, lines) in per_user.items():
        total = sum(line["count"] for line in lines)
        body = m.DIGEST_BODY_HEAD + "".join(m.DIGEST_BODY_LINE.format(**line) for line in lines)
        sent.append(
            notification_send(
                key=f"digest:{today.isoformat()}:user:{user_id}",
                recipient=user,
                kind=Kind.REVIEW_DIGEST,
                title=m.DIGEST_TITLE.format(count=total),
                body=body,
            )
        )
    return sent


def _expiry_reminder(
    seen: set[str],
    *,
    match: Match,
    key: str,
    expires_on: dt.date,
    title: str,
    body: str,
    **context: str,
) -> list[Notification]:
    """The reminder for ``key``, or nothing when this sweep already sent it: two of a volunteer's
    roles can require the same training or check."""
    if key in seen:
        return []
    seen.add(key)
    context |= {
        "volunteer": match.volunteer.display_name,
        "date": expires_on.isoformat(),
        "role": match.opportunity.title,
    }
    return [
        notification_send(
            key=key,
            recipient=match.volunteer.user,
            kind=Kind.EXPIRY_REMINDER,
            title=title.format(**context),
            body=body.format(**context),
            match=match,
        )
    ]


def notifications_expiry_reminders(*, today: dt.date) -> list[Notification]:
    """Remind volunteers EXPIRY_REMINDER_DAYS days ahead when a training or background check that
    one of their roles requires (offered, accepted or active) is about to expire. Once per item:
    the key names the record and its expiry date, so a renewed item gets its own reminder later."""
    horizon = today + dt.timedelta(days=EXPIRY_REMINDER_DAYS)
    matches = (
        Match.objects.filter(status__in=OCCUPYING_STATUSES)
        .select_related("volunteer__user", "opportunity")
        .prefetch_related("opportunity__required_trainings")
        .order_by("id")
    )
    sent: list[Notification] = []
    seen: set[str] = set()
    for match in matches:
        volunteer, role = match.volunteer, match.opportunity
        required = {t.pk for t in role.required_trainings.all()}
        if required:
            for record in TrainingRecord.objects.filter(
                profile=volunteer,
                training_type_id__in=required,
                expires_on__gte=today,
                expires_on__lte=horizon,
            ).select_related("training_type"):
                if record.expires_on is None:  # excluded by the filter; keeps the type checker calm
                    continue
                sent += _expiry_reminder(
                    seen,
                    match=match,
                    key=f"expiry:training:{record.pk}:{record.expires_on.isoformat()}",
                    expires_on=record.expires_on,
                    title=m.TRAINING_EXPIRY_TITLE,
                    body=m.TRAINING_EXPIRY_BODY,
                    training=record.training_type.name,
                )
        expires = volunteer.background_check_expires_on
        if (
            role.needs_background_check
            and volunteer.background_check_status == "cleared"
            and expires is not None
            and today <= expires <= horizon
        ):
            sent += _expiry_reminder(
                seen,
                match=match,
                key=f"expiry:check:{volunteer.pk}:{expires.isoformat()}",
                expires_on=expires,
                title=m.CHECK_EXPIRY_TITLE,
                body=m.CHECK_EXPIRY_BODY,
            )
    return sent
