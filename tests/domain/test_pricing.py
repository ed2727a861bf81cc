"""Line amounts: quantity x unit price x period length / price period, exactly, half up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from tests.domain.helpers import d
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.periods import Period
from tui_billing.domain.pricing import (
    months_measure,
    period_amount,
    period_ratio,
    scaled,
    sub_period_amounts,
)

MONTHLY = Frequency(1, "month")
QUARTERLY = Frequency(3, "month")


def whole(start: str, end: str) -> Period:
    """A period nothing shortened."""
    return Period(d(start), d(end), d(start), d(end))


def short(start: str, end: str, nominal_start: str, nominal_end: str) -> Period:
    """A period shortened inside its nominal one."""
    return Period(d(start), d(end), d(nominal_start), d(nominal_end))


def test_spec_examples_of_month_by_month_measure() -> None:
    assert months_measure(d("2024-11-01"), d("2024-12-31")) == 2
    assert months_measure(d("2024-02-10"), d("2024-03-31")) == Fraction(20, 29) + 1
    assert months_measure(d("2024-01-15"), d("2024-01-31")) == Fraction(17, 31)
    assert months_measure(d("2024-11-16"), d("2025-01-02")) == Fraction(15, 30) + 1 + Fraction(
        2, 31
    )


def test_whole_periods_count_whole() -> None:
    assert period_ratio(whole("2024-07-01", "2024-09-30"), QUARTERLY, MONTHLY) == 3
    assert period_ratio(whole("2024-02-01", "2024-02-29"), MONTHLY) == 1
    # anchored on 31 January: 31 Jan - 28 Feb is one month, not 1/31 + 28/29
    assert period_ratio(whole("2024-01-31", "2024-02-28"), MONTHLY, MONTHLY) == 1
    assert period_ratio(whole("2024-01-01", "2024-12-31"), Frequency(1, "year"), MONTHLY) == 12
    assert period_ratio(
        whole("2024-03-01", "2024-03-31"), MONTHLY, Frequency(1, "year")
    ) == Fraction(1, 12)


def test_day_and_week_price_periods_measure_days() -> None:
    february = whole("2024-02-01", "2024-02-29")
    assert period_ratio(february, MONTHLY, Frequency(1, "day")) == 29
    assert period_ratio(february, MONTHLY, Frequency(1, "week")) == Fraction(29, 7)
    assert period_amount(
        Decimal(1), Decimal("2.00"), february, MONTHLY, Frequency(1, "day")
    ) == Decimal("58.00")


def test_a_week_priced_per_month_is_measured_month_by_month() -> None:
    week = whole("2024-01-29", "2024-02-04")
    assert period_ratio(week, Frequency(1, "week"), MONTHLY) == Fraction(3, 31) + Fraction(4, 29)


def test_short_periods_are_prorated_month_by_month() -> None:
    stub = short("2024-02-10", "2024-03-31", "2024-01-01", "2024-03-31")
    assert period_ratio(stub, QUARTERLY, MONTHLY) == Fraction(49, 29)
    assert period_ratio(stub, QUARTERLY) == Fraction(49, 87)
    assert period_amount(Decimal(1), Decimal("100.00"), stub, QUARTERLY, MONTHLY) == Decimal(
        "168.97"
    )
    cut = short("2024-11-01", "2024-12-31", "2024-11-01", "2025-01-31")
    assert period_amount(Decimal(1), Decimal("300.00"), cut, QUARTERLY) == Decimal("200.00")


def test_without_proration_a_short_period_counts_whole() -> None:
    stub = short("2024-02-10", "2024-03-31", "2024-01-01", "2024-03-31")
    assert period_ratio(stub, QUARTERLY, MONTHLY, prorate=False) == 3
    assert period_amount(
        Decimal(1), Decimal("100.00"), stub, QUARTERLY, MONTHLY, prorate=False
    ) == Decimal("300.00")


@pytest.mark.parametrize(
    ("quantity", "price", "num", "den", "expected"),
    [
        ("1", "0.125", 1, 1, "0.13"),
        ("1", "0.005", 1, 1, "0.01"),
        ("1", "-0.125", 1, 1, "-0.13"),
        ("3", "0.145", 1, 1, "0.44"),
        ("1", "1.45", 49, 29, "2.45"),
        ("2.5", "19.90", 1, 3, "16.58"),
        ("1", "50", 3, 1, "150.00"),
    ],
)
def test_amounts_round_half_up_exactly(
    quantity: str, price: str, num: int, den: int, expected: str
) -> None:
    amount = scaled(Decimal(quantity), Decimal(price), num, den)
    assert isinstance(amount, Decimal)
    assert str(amount) == expected


def test_per_period_pieces_of_a_whole_quarter() -> None:
    pieces = sub_period_amounts(
        Decimal(1), Decimal("50.00"), whole("2024-07-01", "2024-09-30"), QUARTERLY, MONTHLY
    )
    assert [(p.start.isoformat(), p.end.isoformat(), str(a)) for p, a in pieces] == [
        ("2024-07-01", "2024-07-31", "50.00"),
        ("2024-08-01", "2024-08-31", "50.00"),
        ("2024-09-01", "2024-09-30", "50.00"),
    ]


def test_per_period_pieces_of_a_quarter_priced_per_bimester() -> None:
    pieces = sub_period_amounts(
        Decimal(1),
        Decimal("100.00"),
        whole("2024-01-31", "2024-04-29"),
        QUARTERLY,
        Frequency(2, "month"),
    )
    assert [(p.start.isoformat(), p.end.isoformat(), str(a)) for p, a in pieces] == [
        ("2024-01-31", "2024-03-30", "100.00"),
        ("2024-03-31", "2024-04-29", "50.00"),
    ]


def test_per_period_pieces_of_a_stub_add_up_to_it() -> None:
    stub = short("2024-02-15", "2024-03-31", "2024-01-01", "2024-03-31")
    pieces = sub_period_amounts(Decimal(1), Decimal("50.00"), stub, QUARTERLY, MONTHLY)
    assert [(p.start.isoformat(), p.end.isoformat(), str(a)) for p, a in pieces] == [
        ("2024-02-15", "2024-02-29", "25.86"),
        ("2024-03-01", "2024-03-31", "50.00"),
    ]
    assert period_ratio(stub, QUARTERLY, MONTHLY) == Fraction(15, 29) + 1


def test_per_period_without_proration_keeps_a_short_period_whole() -> None:
    stub = short("2024-02-15", "2024-03-31", "2024-01-01", "2024-03-31")
    pieces = sub_period_amounts(
        Decimal(1), Decimal("50.00"), stub, QUARTERLY, MONTHLY, prorate=False
    )
    assert [(p.start.isoformat(), p.end.isoformat(), str(a)) for p, a in pieces] == [
        ("2024-02-15", "2024-03-31", "150.00"),
    ]
