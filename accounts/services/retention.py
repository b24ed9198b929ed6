"""Retention: accounts unused for ``ACCOUNT_RETENTION_MONTHS`` are erased after two warning
emails, and the records that name people by id are purged once they have served (task results
after ``TASK_RESULT_RETENTION_DAYS``, sign-in and access logs after ``SECURITY_LOG_RETENTION_DAYS``).

Which accounts: every active account that is not staff, volunteers' and organizations' members
alike. An account's last activity is the latest of when it last used the API or a page
(``last_seen_at``, accounts/activity.py), last signed in (``last_login``) and joined. Staff accounts
are never swept (they run the platform, and their second factor is theirs to remove); an account
staff deactivated is not swept either (its erasure is staff's decision: "Erase account" in the
admin). A member of an organization is swept like anyone: after two years without signing in they
no longer act for it, and what they did stays in its records, naming an erased account.

The sweep is a daily task (beat, 02:30) and safe to run twice. It works in days: each step needs
its day to have come *and* the previous step's notice to have run its course, so a missed sweep
(or a first sweep over old accounts) never erases anyone with less notice than promised:

* first warning: ``ACCOUNT_RETENTION_WARNING_DAYS[0]`` (30) days before the end of the period;
* second: 7 days before it, and at least 30 - 7 days after the first;
* erasure: at the end of the period, and at least 7 days after the second warning.

Each email says the day the account will be erased and that signing in keeps it. Activity after a
warning starts the count again (accounts/activity.py clears the warnings; the sweep clears those
of a sign-in that only moved ``last_login``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django_celery_results.models import TaskResult

from accounts.models import User
from accounts.services.erasure import SIGN_IN_RECORDS, account_erase
from accounts.services.mail import account_email_send

logger = logging.getLogger(__name__)

RETENTION_WARNING_TITLE = "Your Kindred Match account will be erased on {date}"
RETENTION_WARNING_BODY = (
    "Hello,\n\n"
    "Your Kindred Match account has not been used since {last_active}. Accounts unused for "
    "{months} months are erased, with what they hold about you, so yours will be erased on "
    "{date}.\n\n"
    "To keep it, sign in before then ({url}): signing in is all it takes.\n\n"
    "If you no longer need it, there is nothing to do. What organizations recorded of work done "
    "with you stays with them, naming no one.\n"
)

#: Apps above accounts register their own purges here (``retention_purge_register``): name ->
#: (the purge, called with ``before=``, and the setting giving its retention in days).
Purge = Callable[..., int]
_purges: dict[str, tuple[Purge, str]] = {}

#: Users are warned or erased this many at a time, each in its own transaction: one lock and
#: one email each, so a batch only bounds how many ids are held in memory.
SWEEP_BATCH = 500


def retention_purge_register(*, name: str, purge: Purge, days_setting: str) -> None:
    """``purge(before=moment)`` deletes its rows older than ``moment`` and returns how many;
    ``days_setting`` names the setting of how many days they are kept."""
    _purges[name] = (purge, days_setting)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (local time): "on or before that day" is "before this"."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def last_activity() -> Greatest:
    """The latest of last seen, last sign-in and joining. Coalesced: SQLite's MAX (unlike
    PostgreSQL's GREATEST) is NULL when any argument is."""
    return Greatest(
        Coalesce("last_seen_at", "date_joined"),
        Coalesce("last_login", "date_joined"),
        F("date_joined"),
    )


def swept_accounts() -> QuerySet[Any]:
    """The accounts retention applies to, annotated with ``last_active``."""
    rows: QuerySet[Any] = User.objects.filter(
        is_active=True, is_staff=False, is_superuser=False
    ).annotate(last_active=last_activity())
    return rows


def warning_days() -> tuple[int, ...]:
    """Days before the end of the period each warning goes, earliest first: (30, 7)."""
    return tuple(sorted(settings.ACCOUNT_RETENTION_WARNING_DAYS, reverse=True))


def _due_for_warning(stage: int, today: dt.date) -> QuerySet[Any]:
    days = warning_days()
    period_ends_by = months_before(today + dt.timedelta(days=days[stage]), _months())
    due = swept_accounts().filter(
        inactivity_warnings_sent=stage, last_active__lt=_end_of(period_ends_by)
    )
    if stage:
        gap = days[stage - 1] - days[stage]
        due = due.filter(inactivity_warned_at__lt=_end_of(today - dt.timedelta(days=gap)))
    return due


def _due_for_erasure(today: dt.date) -> QuerySet[Any]:
    days = warning_days()
    return swept_accounts().filter(
        inactivity_warnings_sent__gte=len(days),
        last_active__lt=_end_of(months_before(today, _months())),
        inactivity_warned_at__lt=_end_of(today - dt.timedelta(days=days[-1])),
    )


def _months() -> int:
    return int(settings.ACCOUNT_RETENTION_MONTHS)


def erasure_day(*, last_active: dt.datetime, today: dt.date, days_left: int) -> dt.date:
    """The day a warning sent today promises: the end of the period, or later when the sweep
    came late (the notice is never shorter than ``days_left``)."""
    return max(
        months_after(timezone.localdate(last_active), _months()),
        today + dt.timedelta(days=days_left),
    )


def retention_warning_send(*, user: Any, erase_on: dt.date) -> None:
    values = {
        "date": erase_on.isoformat(),
        "last_active": timezone.localdate(user.last_active).isoformat(),
        "months": _months(),
        "url": f"{settings.PUBLIC_BASE_URL}/",
    }
    account_email_send(
        user=user,
        subject=RETENTION_WARNING_TITLE.format(**values),
        body=RETENTION_WARNING_BODY.format(**values),
    )


def _batches(rows: QuerySet[Any]) -> list[list[int]]:
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    return [pks[i : i + SWEEP_BATCH] for i in range(0, len(pks), SWEEP_BATCH)]


def _warn(stage: int, today: dt.date, counts: Counter[str]) -> None:
    now = timezone.now()
    for batch in _batches(_due_for_warning(stage, today)):
        for pk in batch:
            try:
                with transaction.atomic():
                    # Judged again under the lock: a sign-in since the list was read wins.
                    user = _due_for_warning(stage, today).select_for_update().filter(pk=pk).first()
                    if user is None:
                        continue
                    User.objects.filter(pk=pk).update(
                        inactivity_warnings_sent=stage + 1, inactivity_warned_at=now
                    )
                    # Last: a send that fails rolls the count back, and tomorrow's sweep tries
                    # again (a commit failing after the send would send it twice, never none).
                    erase_on = erasure_day(
                        last_active=user.last_active, today=today, days_left=warning_days()[stage]
                    )
                    retention_warning_send(user=user, erase_on=erase_on)
            except Exception:
                logger.exception("retention warning %s to account %s not sent", stage + 1, pk)
                counts["failed"] += 1
            else:
                counts[f"warned_{stage + 1}"] += 1


def _erase(today: dt.date, counts: Counter[str]) -> None:
    for batch in _batches(_due_for_erasure(today)):
        for pk in batch:
            try:
                with transaction.atomic():
                    user = _due_for_erasure(today).select_for_update().filter(pk=pk).first()
                    if user is None:
                        continue
                    account_erase(user=user)
            except Exception:
                logger.exception("inactive account %s not erased", pk)
                counts["failed"] += 1
            else:
                counts["erased"] += 1


def _purge(now: dt.datetime, counts: Counter[str]) -> None:
    results_before = now - dt.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    counts["task_results"] = TaskResult.objects.filter(date_done__lt=results_before).delete()[0]
    logs_before = now - dt.timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    for model in SIGN_IN_RECORDS:
        gone = model.objects.filter(attempt_time__lt=logs_before).delete()[0]
        counts[model._meta.model_name or model.__name__] = gone
    for name, (purge, days_setting) in sorted(_purges.items()):
        before = now - dt.timedelta(days=getattr(settings, days_setting))
        counts[name] = purge(before=before)


def accounts_retention_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Warn and erase inactive accounts, purge old task results and logs; returns the counts.
    Safe to run twice: each account moves at most one step a day (the erasure first, then the
    warnings from the last to the first), and a purge finds nothing the second time."""
    today = today or timezone.localdate()
    counts: Counter[str] = Counter(
        dict.fromkeys(
            ["erased", "failed", *(f"warned_{n + 1}" for n in range(len(warning_days())))], 0
        )
    )
    # A sign-in that moved only last_login (the admin's session) since a warning: start again.
    counts["reset"] = (
        swept_accounts()
        .filter(inactivity_warnings_sent__gt=0, last_active__gt=F("inactivity_warned_at"))
        .update(inactivity_warnings_sent=0, inactivity_warned_at=None)
    )
    _erase(today, counts)
    for stage in reversed(range(len(warning_days()))):
        _warn(stage, today, counts)
    _purge(timezone.now(), counts)
    return {name: counts[name] for name in sorted(counts)}
