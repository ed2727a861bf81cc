"""Form fields as operators type them: dates and amounts, one message naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.tui.forms import (
    format_form_date,
    format_rate,
    parse_form_amount,
    parse_form_date,
    parse_optional_date,
)


@pytest.mark.parametrize(
    "text", ["31/12/2024", "31.12.2024", "31-12-2024", "2024-12-31", " 31/12/2024 "]
)
def test_dates_in_the_ways_they_are_typed(text) -> None:
    assert parse_form_date(text) == dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2024", "no such date"),
        ("2024-02-30", "no such date"),
        ("12/2024", "not a date"),
        ("domani", "not a date"),
        ("", "a date is required"),
        ("01/01/0001", "outside the dates accepted"),
        ("9999-12-31", "outside the dates accepted"),
        ("31/12/1969", "outside the dates accepted"),
        ("2026-W05-3", "not a date"),
        ("01/01/２０２６", "not a date"),
    ],
)
def test_bad_dates_name_the_field(text, message) -> None:
    with pytest.raises(UserError) as error:
        parse_form_date(text, "invoice date")
    assert error.value.path == "invoice date" and message in error.value.message


def test_an_optional_date_may_be_empty() -> None:
    assert parse_optional_date("  ") is None
    assert format_form_date(dt.date(2024, 3, 1)) == "01/03/2024"
    assert format_form_date(None) == ""


@pytest.mark.parametrize(
    "text, value",
    [
        ("1234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1234,5", "1234.5"),
        ("0,01", "0.01"),
        (" 12 ", "12"),
    ],
)
def test_amounts_with_a_decimal_point_or_comma(text, value) -> None:
    assert parse_form_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("12,345", "more than 2 decimals"),
        ("abc", "not a decimal number"),
        ("-5", "must not be negative"),
        ("", "an amount is required"),
        ("1e400", "decimal"),
        ("1.000.000.000,00", "must be less than 1,000,000,000"),
        ("²", "not a decimal number"),
    ],
)
def test_bad_amounts_name_the_field(text, message) -> None:
    with pytest.raises(UserError) as error:
        parse_form_amount(text, "unit price")
    assert error.value.path == "unit price" and message in error.value.message


def test_rates_without_trailing_zeros() -> None:
    assert format_rate(Decimal("22.00")) == "22"
    assert format_rate(Decimal("5.50")) == "5.5"
    assert format_rate(Decimal("0.00")) == "0"


@pytest.mark.parametrize(
    ("path", "row"),
    [
        ("contract.start_date", "start_date"),
        ("contract.lines[0].frequency", "frequency"),  # a line's need shown at the contract's
        ("line.index.share", "index_share"),  # the longer tail first: not revenue's percent
        ("line.revenue.percent", "revenue_percent"),
        ("line.steps[1].percent", "steps"),  # no row of its own: the list's
        ("line.index", "index_series"),  # a part: its first row
        ("line.advance", "advance_balance"),
        ("line.lines", None),
        (None, None),
    ],
)
def test_an_error_path_finds_its_row(path, row) -> None:
    from textual.widgets import Input

    from tui_billing.tui.widgets.form_fields import FieldRow, error_row

    rows = [
        FieldRow("start_date", "Start", Input()),
        FieldRow("frequency", "F", Input()),
        FieldRow("index_series", "I", Input(), path="index.series"),
        FieldRow("index_share", "S", Input(), path="index.share"),
        FieldRow("steps", "Steps", Input()),
        FieldRow("revenue_percent", "R", Input(), path="revenue.percent"),
        FieldRow("advance_balance", "B", Input(), path="advance.balance"),
    ]
    found = error_row(rows, path)
    assert (found.field_name if found else None) == row
