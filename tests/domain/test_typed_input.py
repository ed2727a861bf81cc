"""Numbers and dates as people type them: every accepted form, and refusals naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.typed_input import (
    parse_amount,
    parse_day,
    parse_optional_day,
    plain_number,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("06/12/2026", dt.date(2026, 12, 6)),
        ("6/12/2026", dt.date(2026, 12, 6)),
        ("06/12/26", dt.date(2026, 12, 6)),
        ("06.12.26", dt.date(2026, 12, 6)),
        ("06-12-2026", dt.date(2026, 12, 6)),
        ("2026-12-06", dt.date(2026, 12, 6)),
        (" 2026-12-06 ", dt.date(2026, 12, 6)),
        ("31/12/68", dt.date(2068, 12, 31)),
        ("01/01/70", dt.date(1970, 1, 1)),
    ],
)
def test_dates_as_typed(text, day) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a date is required"),
        ("31/02/2026", "no such date"),
        ("31/02/26", "no such date"),
        ("2026-02-30", "no such date"),
        ("12/2026", "not a date"),
        ("06/12/026", "not a date"),
        ("tomorrow", "not a date"),
        ("31/12/69", "outside the dates accepted"),
    ],
)
def test_bad_dates_name_the_field(text, message) -> None:
    with pytest.raises(UserError) as error:
        parse_day(text, "payment date")
    assert error.value.path == "payment date"
    assert message in error.value.message


def test_an_optional_date_may_be_empty() -> None:
    assert parse_optional_day(" ") is None
    assert parse_optional_day("06/12/26") == dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("12.345,67", "12345.67"),
        ("1.234.567,8", "1234567.8"),
        ("1,234,567.8", "1234567.8"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.5", "1.5"),  # one mark alone is the decimal mark
        ("1,5", "1.5"),
        ("0,01", "0.01"),
        (" 1 234,56 ", "1234.56"),
        ("-1.234,56", "-1234.56"),
    ],
)
def test_amounts_as_typed(text, value) -> None:
    assert parse_amount(text, allow_negative=True) == Decimal(value)


def test_an_ambiguous_amount_has_a_decimal_point() -> None:
    # 1.234 is 1.234 (as the contract forms always read it): too many decimals for money
    assert plain_number("1.234") == "1.234"
    assert parse_amount("1.234", places=4) == Decimal("1.234")
    with pytest.raises(UserError, match="more than 2 decimals"):
        parse_amount("1.234")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an amount is required"),
        ("12.34,56", "not a decimal number"),  # thousands in threes
        ("1,234,56", "not a decimal number"),
        ("1.234.56", "not a decimal number"),
        ("1,23.456,7", "not a decimal number"),
        ("1.234,5.6", "not a decimal number"),
        ("12,", "not a decimal number"),
        ("abc", "not a decimal number"),
        ("1e3", "not a decimal number"),
        ("-5", "must not be negative"),
        ("12,345", "more than 2 decimals"),
    ],
)
def test_bad_amounts_name_the_field(text, message) -> None:
    with pytest.raises(UserError) as error:
        parse_amount(text, "amount paid")
    assert error.value.path == "amount paid"
    assert message in error.value.message
