"""Dates relative to today, so no test starts failing on a calendar day.

"Today" is the service's (``timezone.localdate()``, in settings.TIME_ZONE): the date the services
compare a completion, expiry or clearance date with. A test that needs a fixed today passes one
explicitly (the engine and records take ``today=``) or moves the clock with time-machine.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def days_from_today(days: int) -> dt.date:
    """The date ``days`` days after today (before it when negative)."""
    return timezone.localdate() + dt.timedelta(days=days)


def iso_days_from_today(days: int) -> str:
    """``days_from_today`` as the API writes it (YYYY-MM-DD)."""
    return days_from_today(days).isoformat()
