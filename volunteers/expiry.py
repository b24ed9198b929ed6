"""When a training stops counting: its type's ``valid_for_months`` after completion at the latest.

Pure date arithmetic (no Django), shared by the declaration and verification services and by the
data migration that capped the expiries stored before the rule existed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on; the 31st of a shorter month becomes its last
    day (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Expiry:
    """The expiry stored for a training, and whether it differs from the one typed."""

    expires_on: dt.date | None
    latest: dt.date | None  # completion + valid_for_months, when both are known

    def capped(self, typed: dt.date | None) -> bool:
        return typed is not None and self.expires_on != typed

    def filled(self, typed: dt.date | None) -> bool:
        return typed is None and self.expires_on is not None


def effective_expiry(
    *, valid_for_months: int | None, completed_on: dt.date | None, expires_on: dt.date | None
) -> Expiry:
    """The expiry that counts: the typed one, capped at completion + ``valid_for_months``, or that
    date when none was typed. Without a completion date or a validity period, the typed one."""
    if valid_for_months is None or completed_on is None:
        return Expiry(expires_on=expires_on, latest=None)
    latest = add_months(completed_on, valid_for_months)
    if expires_on is None or expires_on > latest:
        return Expiry(expires_on=latest, latest=latest)
    return Expiry(expires_on=expires_on, latest=latest)
