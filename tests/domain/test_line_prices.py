"""An invoice line's unit price: quantity x unit price rounds half up to the amount, with at
most 8 decimals, and is the exact price of the period whenever that fits."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_billing.domain.line_prices import (
    decimals,
    fitted_unit_price,
    line_price,
    rounds_to,
    unit_price_for,
)
from tui_billing.domain.pricing import priced, scaled

D = Decimal


@pytest.mark.parametrize(
    ("quantity", "price", "num", "den", "amount", "shown"),
    [
        ("2", "38.00", 3, 1, "228.00", "114.00"),  # a monthly price billed for a quarter
        ("1", "38.00", 20, 31, "24.52", "24.52"),  # 20 days of a 31-day month: 24.516...
        ("3", "38.00", 20, 31, "73.55", "24.516"),  # 24.52 x 3 = 73.56: one decimal more
        ("1", "1000.00", 1, 12, "83.33", "83.33"),  # a yearly price billed monthly
        ("3", "12.3456", 1, 1, "37.04", "12.3456"),  # an exact price is kept as it is
        ("2", "10.00", 7, 4, "35.00", "17.50"),
        ("2", "-10.00", 1, 3, "-6.67", "-3.333"),  # a discount line
        ("0", "10.00", 1, 3, "0.00", "3.33333333"),
    ],
)
def test_the_unit_price_of_a_period(quantity, price, num, den, amount, shown) -> None:
    assert scaled(D(quantity), D(price), num, den) == D(amount)
    assert unit_price_for(D(quantity), D(price), num, den, D(amount)) == (D(quantity), D(shown))
    assert str(unit_price_for(D(quantity), D(price), num, den, D(amount))[1]) == shown


def test_a_quantity_too_large_for_eight_decimals_reads_one_times_the_amount() -> None:
    amount = scaled(D("2000000"), D("1"), 1, 3)
    assert unit_price_for(D("2000000"), D("1"), 1, 3, amount) == (D(1), amount)


def test_a_line_written_before_the_rule_is_fitted_to_its_amount() -> None:
    assert fitted_unit_price(D(2), D("38.0000"), D("228.00")) == (D(2), D("114.00"))
    assert fitted_unit_price(D(3), D("38.00"), D("10.00")) == (D(3), D("3.333"))
    assert fitted_unit_price(D(2), D("114.00"), D("228.00")) == (D(2), D("114.00"))
    assert fitted_unit_price(D(-2), D("38.00"), D("-228.00")) == (D(-2), D("114.00"))
    assert fitted_unit_price(D(0), D("38.00"), D("12.00")) == (D(1), D("12.00"))
    assert fitted_unit_price(D(0), D("38.00"), D("0.00")) == (D(0), D("38.00"))


quantities = st.decimals(min_value=D(0), max_value=D("1000000"), places=4)
prices = st.decimals(min_value=D("-99999.9999"), max_value=D("99999.9999"), places=4)
ratios = st.tuples(st.integers(1, 400), st.integers(1, 400))


@settings(max_examples=500, deadline=None)
@given(quantity=quantities, price=prices, ratio=ratios)
def test_quantity_times_unit_price_is_the_amount(quantity, price, ratio) -> None:
    num, den = ratio
    amount, shown_quantity, unit_price = priced(quantity, price, num, den)
    assert amount == scaled(quantity, price, num, den)  # what is billed does not change
    assert shown_quantity == quantity
    assert rounds_to(shown_quantity, unit_price, amount)
    assert (shown_quantity * unit_price).quantize(D("0.01"), rounding="ROUND_HALF_UP") == amount
    assert decimals(unit_price) <= 8
    assert -unit_price.as_tuple().exponent >= 2  # printed with the cents at least
    exact = Fraction(price) * num / den
    if (exact * 10**8).denominator == 1:  # the period's price fits: it is the unit price
        assert Fraction(unit_price) == exact
    else:  # the exact price, rounded
        assert abs(Fraction(unit_price) - exact) <= Fraction(1, 200)


@settings(max_examples=300, deadline=None)
@given(
    quantity=st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=4),
    price=prices,
    amount=st.decimals(min_value=D("-9999999.99"), max_value=D("9999999.99"), places=2),
)
def test_any_line_can_be_fitted_to_its_amount(quantity, price, amount) -> None:
    shown_quantity, unit_price = fitted_unit_price(quantity, price, amount)
    assert rounds_to(shown_quantity, unit_price, amount)
    assert decimals(unit_price) <= 8


@settings(max_examples=300, deadline=None)
@given(
    num=st.integers(-(10**12), 10**12),
    den=st.integers(1, 10**6),
    quantity=st.decimals(min_value=D("0.0001"), max_value=D("1000000"), places=4),
)
def test_line_price_rounds_for_any_exact_price(num, den, quantity) -> None:
    amount = (quantity * Decimal(num) / Decimal(den)).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    shown_quantity, unit_price = line_price(quantity, num, den, amount)
    assert rounds_to(shown_quantity, unit_price, amount)
