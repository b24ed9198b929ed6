"""Reminders before a training or background check that a volunteer's role requires expires."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from matching.models import OCCUPYING_STATUSES, Match
from notifications import messages as m
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from volunteers.models import TrainingRecord

Kind = Notification.Kind

#: A reminder goes out this many days before a required training or check expires.
EXPIRY_REMINDER_DAYS = 30


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
