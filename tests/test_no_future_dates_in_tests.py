"""No test writes down a date that is still to come: such a test passes today and fails on the day
the date goes by (two did, with a cleared check expiring on a fixed day in 2028). Future dates are
written relative to today (tests/support/dates.py), or to the fixed TODAY a pure function is given.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

TESTS = Path(__file__).resolve().parent
ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
DATE_CALL = re.compile(r"\bdate\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)")


def future_dates_written_in(source: str, today: dt.date) -> list[str]:
    found = []
    for pattern in (ISO_DATE, DATE_CALL):
        for match in pattern.finditer(source):
            try:
                written = dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                continue  # not a date (an id, a phone number)
            if written > today:
                line = source.count("\n", 0, match.start()) + 1
                found.append(f"line {line}: {match.group(0)}")
    return found


def test_no_test_file_writes_down_a_date_after_today():
    today = timezone.localdate()
    offenders = {
        str(path.relative_to(TESTS)): dates
        for path in sorted(TESTS.rglob("*.py"))
        if (dates := future_dates_written_in(path.read_text(), today))
    }
    assert offenders == {}


def test_the_check_sees_both_ways_of_writing_a_date():
    """Given a file that hard-codes an expiry on 2020-01-10 both ways, on 2020-01-09 the check
    names both; on the day itself neither is in the future any more."""
    source = 'expires = "2020-01-10"\nexpires_on = dt.date(2020, 1, 10)\nid = "1234-56-78"\n'

    assert future_dates_written_in(source, dt.date(2020, 1, 9)) == [
        "line 1: 2020-01-10",
        "line 2: date(2020, 1, 10)",
    ]
    assert future_dates_written_in(source, dt.date(2020, 1, 10)) == []
