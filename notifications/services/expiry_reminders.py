"""Reminders before a training or background check that a volunteer's role requires expires.

Who hears: the volunteer, for every role that holds them (offered, accepted or active); and the
role's coordinators, for a volunteer they rely on (accepted or active: once it lapses the match
goes on hold, see placements/services/rechecks.py). Each is told once EXPIRY_REMINDER_DAYS ahead
(when the expiry first comes within that window) and once on the day itself (the last day it is
valid). Idempotent: each key names the record, its expiry date, the kind of reminder and the
recipient, so a daily run twice sends nothing new, and a renewed item gets its own reminders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from matching.models import OCCUPYING_STATUSES, Match
from notifications import messages as m
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from organizations.membership import active_members_of
from placements.states import COMMITTED_STATUSES
from volunteers.models import TrainingRecord

Kind = Notification.Kind

#: A reminder goes out this many days before a required training or check expires.
EXPIRY_REMINDER_DAYS = 30


@dataclass(frozen=True)
class _Expiring:
    """One required item of one match that expires within the window."""

    match: Match
    key: str  # names the record and its expiry date
    expires_on: dt.date
    training: str | None  # None: the background check


def _items(
    matches: list[Match], expiring: dict[int, list[TrainingRecord]], today: dt.date
) -> Iterator[_Expiring]:
    horizon = today + dt.timedelta(days=EXPIRY_REMINDER_DAYS)
    for match in matches:
        volunteer, role = match.volunteer, match.opportunity
        needed = {t.pk for t in role.required_trainings.all()}
        for record in expiring.get(volunteer.pk, []):
            if record.training_type_id not in needed or record.expires_on is None:
                continue  # another role's training; expires_on: excluded by the filter
            yield _Expiring(
                match,
                f"training:{record.pk}:{record.expires_on.isoformat()}",
                record.expires_on,
                record.training_type.name,
            )
        expires = volunteer.background_check_expires_on
        if (
            role.needs_background_check
            and volunteer.background_check_status == "cleared"
            and expires is not None
            and today <= expires <= horizon
        ):
            yield _Expiring(match, f"check:{volunteer.pk}:{expires.isoformat()}", expires, None)


def _volunteer_draft(item: _Expiring, *, today: dt.date) -> Draft:
    match = item.match
    on_the_day = item.expires_on == today
    context = {
        "volunteer": match.volunteer.display_name,
        "date": item.expires_on.isoformat(),
        "role": match.opportunity.title,
        "training": item.training or "",
    }
    title, body = (
        (m.TRAINING_EXPIRY_TITLE, m.TRAINING_EXPIRY_BODY)
        if item.training
        else (m.CHECK_EXPIRY_TITLE, m.CHECK_EXPIRY_BODY)
    )
    # The 30-day reminder keeps the key it always had; the day's reminder has its own.
    key = f"expiry-day:{item.key}" if on_the_day else f"expiry:{item.key}"
    return Draft(
        key=key,
        recipient=match.volunteer.user,
        kind=Kind.EXPIRY_REMINDER,
        title=title.format(**context),
        body=body.format(**context),
        match=match,
    )


def _coordinator_drafts(item: _Expiring, coordinators: list, *, today: dt.date) -> Iterator[Draft]:  # type: ignore[type-arg]
    match = item.match
    when = "day" if item.expires_on == today else "soon"
    context = {
        "volunteer": match.volunteer.display_name,
        "date": item.expires_on.isoformat(),
        "role": match.opportunity.title,
        "training": item.training or "",
        "item": item.training or "background check",
    }
    title = (
        m.COORDINATOR_TRAINING_EXPIRY_TITLE if item.training else m.COORDINATOR_CHECK_EXPIRY_TITLE
    )
    for user in coordinators:
        yield Draft(
            key=f"expiry-{when}:{item.key}:match:{match.pk}:user:{user.pk}",
            recipient=user,
            kind=Kind.EXPIRY_REMINDER,
            title=title.format(**context),
            body=m.COORDINATOR_EXPIRY_BODY.format(**context),
            match=match,
        )


def notifications_expiry_reminders(*, today: dt.date) -> list[Notification]:
    """Remind volunteers, and the coordinators of the roles they committed to, when a training or
    background check that one of their roles requires is about to expire (see the module).

    Two of a volunteer's roles can require the same item: the first match (by id) names the role
    in the volunteer's one reminder; each role's coordinators hear about their own match. The
    volunteers' expiring records and the coordinators are read in one query each, not per match."""
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
    items = list(_items(matches, expiring, today))
    committed = [item for item in items if item.match.status in COMMITTED_STATUSES]
    members = active_members_of({item.match.opportunity.organization_id for item in committed})
    drafts: list[Draft] = [_volunteer_draft(item, today=today) for item in items]
    for item in committed:
        coordinators = members.get(item.match.opportunity.organization_id, [])
        drafts.extend(_coordinator_drafts(item, coordinators, today=today))
    return notifications_deliver(drafts=drafts)
