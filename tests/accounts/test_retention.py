"""Retention (issue 9): an account unused for ACCOUNT_RETENTION_MONTHS is erased after two warning
emails; task results and sign-in and access logs are purged after their periods; the security log
file keeps SECURITY_LOG_RETENTION_DAYS days. The clock moves with time-machine, the sweep runs as
the daily beat task would (accounts/services/retention.py)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_results.models import TaskResult
from rest_framework.test import APIClient

from accounts.models import User
from accounts.retention_tasks import accounts_retention_sweep_task
from accounts.services import user_token_issue
from accounts.services.erasure import task_parameters
from accounts.services.retention import (
    RETENTION_WARNING_TITLE,
    accounts_retention_sweep,
    months_after,
)
from audit.models import AuditEntry
from backend.log_files import SharedTimedRotatingFileHandler
from organizations.models import Invitation
from tests.factories import UserFactory
from tests.volunteers.data_rights_world import stored_task_result
from volunteers.services.data_rights import FORMER_VOLUNTEER

pytestmark = pytest.mark.django_db


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def sweep_on(day: dt.date) -> dict[str, int]:
    """Run the daily sweep (the beat task's body) at noon on ``day``."""
    with time_machine.travel(_noon(day), tick=False):
        return accounts_retention_sweep_task()


def sweeps(days: Iterable[dt.date]) -> list[tuple[dt.date, str, int]]:
    """Run the sweep on each day; what happened on each: (day, "warned_1"/"warned_2"/"erased",
    count), days when nothing happened left out."""
    happened = []
    for day in days:
        counts = sweep_on(day)
        for key in ("warned_1", "warned_2", "erased"):
            if counts[key]:
                happened.append((day, key, counts[key]))
    return happened


def _idle_since(user: Any, moment: dt.datetime) -> None:
    User.objects.filter(pk=user.pk).update(date_joined=moment, last_seen_at=moment, last_login=None)


def _every_day(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def test_an_unused_account_is_warned_at_30_and_7_days_then_erased(ada):
    """Given Ada, last seen today, when the daily sweep runs every day around the end of the 24
    months, then she is warned 30 days before, again 7 days before, each email saying the day
    and that signing in keeps the account, and she is erased on that day as a former volunteer;
    a second sweep on the same day does nothing more."""
    today = timezone.localdate()
    ends = months_after(today, 24)
    mail.outbox.clear()

    happened = sweeps(_every_day(ends - dt.timedelta(days=32), ends))
    assert sweep_on(ends)["erased"] == 0  # the same day again

    assert happened == [
        (ends - dt.timedelta(days=30), "warned_1", 1),
        (ends - dt.timedelta(days=7), "warned_2", 1),
        (ends, "erased", 1),
    ]
    assert [message.to for message in mail.outbox] == [["ada@example.org"]] * 2
    for message in mail.outbox:
        assert message.subject == RETENTION_WARNING_TITLE.format(date=ends.isoformat())
        assert ends.isoformat() in message.body
        assert "sign in before then" in message.body
        assert "signing in is all it takes" in message.body
    ada.refresh_from_db()
    ada.user.refresh_from_db()
    assert ada.display_name == FORMER_VOLUNTEER
    assert (ada.user.email, ada.user.is_active) == (f"erased-{ada.user.pk}@invalid", False)


def test_a_missed_sweep_never_erases_with_less_notice_than_promised(ada):
    """Given Ada, unused for three years and never warned (the sweep was not running), when the
    sweep runs daily from today, then she gets the first warning today promising 30 days, the
    second 23 days later promising 7, and is erased on the day promised, not before."""
    today = timezone.localdate()
    _idle_since(ada.user, timezone.now() - dt.timedelta(days=3 * 365))
    promised = today + dt.timedelta(days=30)
    mail.outbox.clear()

    happened = sweeps(_every_day(today, promised))

    assert happened == [
        (today, "warned_1", 1),
        (today + dt.timedelta(days=23), "warned_2", 1),
        (promised, "erased", 1),
    ]
    assert [m.subject for m in mail.outbox] == [
        RETENTION_WARNING_TITLE.format(date=promised.isoformat())
    ] * 2


def test_using_the_account_after_a_warning_keeps_it(ada):
    """Given Ada, warned 30 days before the end of her period, when she uses the app with her
    token 10 days before the end, then her warnings are cleared and the sweep on the day the
    period would have ended erases nothing (the count starts again from her visit)."""
    ends = months_after(timezone.localdate(), 24)
    assert sweeps([ends - dt.timedelta(days=30)]) == [(ends - dt.timedelta(days=30), "warned_1", 1)]

    with time_machine.travel(_noon(ends - dt.timedelta(days=10)), tick=False):
        _, secret = user_token_issue(user=ada.user, name="Phone")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        assert client.get("/api/v1/volunteers/me/").status_code == 200
    ada.user.refresh_from_db()
    assert (ada.user.inactivity_warnings_sent, ada.user.inactivity_warned_at) == (0, None)

    assert sweeps(_every_day(ends - dt.timedelta(days=9), ends + dt.timedelta(days=7))) == []
    ada.user.refresh_from_db()
    assert ada.user.is_active


def test_a_sign_in_that_only_moved_last_login_also_starts_the_count_again(ada):
    """Given Ada warned once, when she signs in through a page (only ``last_login`` moves), then
    the next sweep clears her warning and the end of the period passes without an erasure."""
    ends = months_after(timezone.localdate(), 24)
    sweeps([ends - dt.timedelta(days=30)])
    User.objects.filter(pk=ada.user.pk).update(last_login=_noon(ends - dt.timedelta(days=20)))

    assert sweep_on(ends - dt.timedelta(days=19))["reset"] == 1
    assert sweeps(_every_day(ends - dt.timedelta(days=18), ends + dt.timedelta(days=7))) == []


def test_staff_and_deactivated_accounts_are_never_swept(staff):
    """Given Pat (staff) and an account staff deactivated, both unused for three years, when the
    sweep runs for two months, then neither is warned nor erased."""
    stopped = UserFactory.create(email="stopped@example.org", is_active=False)
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    for user in (staff, stopped):
        _idle_since(user, long_ago)
    mail.outbox.clear()

    today = timezone.localdate()
    assert sweeps(today + dt.timedelta(days=n) for n in range(0, 61, 3)) == []
    assert mail.outbox == []
    staff.refresh_from_db()
    assert staff.email == "pat@kindred.example"


def test_an_unused_coordinator_is_erased_by_the_account_service(harbor, sam):
    """Given Sam the coordinator, unused for three years, with an invitation to his address
    from another organization, when the sweep has warned him twice, then he is erased: his
    account names nobody and the invitation is gone; Harbor's membership row stays."""
    _idle_since(sam, timezone.now() - dt.timedelta(days=3 * 365))
    Invitation.objects.create(
        organization=harbor, email=sam.email, expires_at=timezone.now() + dt.timedelta(days=7)
    )
    today = timezone.localdate()

    happened = sweeps([today, today + dt.timedelta(days=23), today + dt.timedelta(days=30)])

    assert [what for _, what, _ in happened] == ["warned_1", "warned_2", "erased"]
    sam.refresh_from_db()
    assert (sam.email, sam.first_name, sam.is_active) == (f"erased-{sam.pk}@invalid", "", False)
    assert not Invitation.objects.filter(email__icontains="sam@").exists()
    assert sam.memberships.filter(organization=harbor).exists()


def _aged(model: Any, rows: list[Any], *, field: str, days: int) -> None:
    model.objects.filter(pk__in=[row.pk for row in rows]).update(
        **{field: timezone.now() - dt.timedelta(days=days)}
    )


def _sign_in_record(model: Any, n: int, **extra: Any) -> Any:
    return model.objects.create(
        username="ada@example.org",
        ip_address="203.0.113.9",
        user_agent=f"phone {n}",
        http_accept="*/*",
        path_info="/api/v1/auth/token/",
        **extra,
    )


def test_old_task_results_and_sign_in_and_access_logs_are_purged(ada, sam):
    """Given task results 31 and 29 days old, sign-in records and lived-experience reads 181 and
    179 days old, and an old audit entry of another kind, when the sweep runs, then only what
    is past TASK_RESULT_RETENTION_DAYS (30) or SECURITY_LOG_RETENTION_DAYS (180) is deleted;
    the audit trail that explains the organizations' matches stays."""
    results = [
        TaskResult.objects.get(task_id=stored_task_result("matching.volunteer_rematch", ada.pk))
        for _ in range(2)
    ]
    _aged(TaskResult, results[:1], field="date_done", days=31)
    _aged(TaskResult, results[1:], field="date_done", days=29)
    records = {
        AccessAttempt: [
            _sign_in_record(AccessAttempt, n, get_data="", post_data="", failures_since_start=1)
            for n in range(2)
        ],
        AccessFailureLog: [_sign_in_record(AccessFailureLog, n) for n in range(2)],
        AccessLog: [_sign_in_record(AccessLog, n) for n in range(2)],
    }
    reads = [
        AuditEntry.objects.create(
            event="lived_experience_read", actor=sam, subject_type="profile", subject_id=ada.pk
        )
        for _ in range(2)
    ]
    kept = AuditEntry.objects.create(
        event="match_approved", actor=sam, subject_type="match", subject_id="1"
    )
    for model, rows in [*records.items(), (AuditEntry, reads)]:
        field = "created_at" if model is AuditEntry else "attempt_time"
        _aged(model, rows[:1], field=field, days=181)
        _aged(model, rows[1:], field=field, days=179)
    _aged(AuditEntry, [kept], field="created_at", days=3 * 365)

    counts = accounts_retention_sweep()

    assert (counts["task_results"], counts["lived_experience_reads"]) == (1, 1)
    assert (counts["accessattempt"], counts["accessfailurelog"], counts["accesslog"]) == (1, 1, 1)
    assert list(TaskResult.objects.values_list("pk", flat=True)) == [results[1].pk]
    for model, rows in records.items():
        assert list(model.objects.values_list("pk", flat=True)) == [rows[1].pk], model
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {reads[1].pk, kept.pk}
    assert accounts_retention_sweep()["task_results"] == 0  # twice: nothing more


def test_the_sweep_is_a_daily_beat_task():
    """Given a migrated database, then beat runs accounts.retention_sweep daily at 02:30 local
    time, and the task is registered with the worker's app."""
    entry = PeriodicTask.objects.get(name="accounts: retention sweep")
    assert (entry.task, entry.enabled, entry.interval) == ("accounts.retention_sweep", True, None)
    assert (entry.crontab.hour, entry.crontab.minute) == ("2", "30")
    assert "accounts.retention_sweep" in task_parameters()


def test_the_security_log_file_rotates_daily_and_keeps_the_retention_period():
    """Given the settings, then the ``kindred.security`` log writes to a file rotated at midnight
    that keeps SECURITY_LOG_RETENTION_DAYS (180) files."""
    handler = settings.LOGGING["handlers"]["security_file"]
    assert handler["class"] == "backend.log_files.SharedTimedRotatingFileHandler"
    assert (handler["when"], handler["backupCount"]) == ("midnight", 180)
    assert settings.SECURITY_LOG_RETENTION_DAYS == 180
    assert settings.LOGGING["loggers"]["kindred.security"]["handlers"] == ["security_file"]


def _line(handler: logging.Handler, text: str) -> None:
    handler.emit(logging.LogRecord("kindred.security", logging.WARNING, "", 0, text, None, None))


def test_two_processes_sharing_the_log_file_rotate_it_once_and_lose_no_line(tmp_path):
    """Given two processes (two handlers) writing one security log, when midnight passes and
    each writes again, then the dated file holds both lines of the day that ended, the new file
    both of the new day, and only the newest ``backupCount`` dated files are kept."""
    path = tmp_path / "security.log"
    for old in ("2001-01-01", "2001-01-02"):
        (tmp_path / f"security.log.{old}").write_text("old\n")
    first, second = (
        SharedTimedRotatingFileHandler(path, when="midnight", backupCount=2, delay=True)
        for _ in range(2)
    )
    _line(first, "day one, first")
    _line(second, "day one, second")
    for handler in (first, second):
        handler.rolloverAt = int(time.time()) - 1  # midnight has passed

    _line(first, "day two, first")
    _line(second, "day two, second")
    first.close()
    second.close()

    dated = sorted(p.name for p in tmp_path.iterdir() if p.name != "security.log")
    assert len(dated) == 2
    assert dated[0] == "security.log.2001-01-02"
    assert (tmp_path / dated[1]).read_text().splitlines() == ["day one, first", "day one, second"]
    assert path.read_text().splitlines() == ["day two, first", "day two, second"]
