"""Numbers and dates as people read them, in the English and the Italian style."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui_billing.domain import display


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    display.set_style("en")


@pytest.mark.parametrize(
    ("value", "english", "italian"),
    [
        ("1234.56", "1,234.56", "1.234,56"),
        ("0", "0.00", "0,00"),
        ("-0.001", "0.00", "0,00"),  # never a negative zero
        ("-1800", "-1,800.00", "-1.800,00"),
        ("0.005", "0.01", "0,01"),  # half up, as invoices round
        ("0.015", "0.02", "0,02"),
        ("-0.005", "-0.01", "-0,01"),
        ("999999999.99", "999,999,999.99", "999.999.999,99"),
        (
            "12345678901234567890.5",
            "12,345,678,901,234,567,890.50",
            "12.345.678.901.234.567.890,50",
        ),
        ("1E+2", "100.00", "100,00"),
        ("1.2E+5", "120,000.00", "120.000,00"),
    ],
)
def test_money_in_both_styles(value, english, italian) -> None:
    assert display.money(Decimal(value)) == english
    assert display.money(Decimal(value), style="it") == italian
    display.set_style("it")
    assert display.money(Decimal(value)) == italian
    assert display.money(Decimal(value), style="en") == english


def test_money_of_nothing_is_empty() -> None:
    assert display.money(None) == "" and display.money("") == ""
    assert display.money("1800") == "1,800.00" and display.money(1800) == "1,800.00"


@pytest.mark.parametrize(
    ("value", "price", "quantity", "rate", "index"),
    [
        ("12.345", "12.345", "12.345", "12.345", "12.345"),
        ("50", "50.00", "50", "50", "50.0"),
        ("1E+2", "100.00", "100", "100", "100.0"),
        ("1.2E+2", "120.00", "120", "120", "120.0"),
        ("22.00", "22.00", "22", "22", "22.0"),
        ("5.50", "5.50", "5.5", "5.5", "5.5"),
        ("1234.5", "1,234.50", "1,234.5", "1,234.5", "1,234.5"),
        ("0", "0.00", "0", "0", "0.0"),
        ("-2.5", "-2.50", "-2.5", "-2.5", "-2.5"),
    ],
)
def test_prices_quantities_rates_and_indexes(value, price, quantity, rate, index) -> None:
    number = Decimal(value)
    assert display.price(number) == price
    assert display.quantity(number) == quantity
    assert display.rate(number) == rate
    assert display.percent(number) == rate + "%"
    assert display.index_value(number) == index
    swap = str.maketrans(",.", ".,")
    assert display.price(number, style="it") == price.translate(swap)
    assert display.index_value(number, style="it") == index.translate(swap)


def test_no_exponent_form_anywhere() -> None:
    for value in ("1E+2", "1.2E+2", "1E+10", "1E-7", "0E-8", "-1E+3"):
        for style in ("en", "it"):
            for show in (
                display.money,
                display.price,
                display.quantity,
                display.rate,
                display.index_value,
            ):
                assert "E" not in show(Decimal(value), style=style).upper(), (show, value)
    assert display.quantity(Decimal("1E-7")) == "0.0000001"


def test_dates_spans_and_counts() -> None:
    day = dt.date(2026, 12, 6)
    for style in ("en", "it"):
        assert display.day(day, style=style) == "06/12/2026"
        assert display.day("2026-12-06", style=style) == "06/12/2026"
        assert display.day(None, style=style) == ""
        assert display.day(dt.date(999, 1, 2), style=style) == "02/01/0999"
    assert display.span(dt.date(2026, 1, 1), day) == "01/01/2026-06/12/2026"
    assert display.span(dt.date(2026, 1, 1), None) == "01/01/2026-"
    assert display.count(1, "invoice") == "1 invoice"
    assert display.count(2, "invoice") == "2 invoices"
    assert display.count(0, "invoice") == "0 invoices"
    assert display.count(1383, "invoice") == "1,383 invoices"
    assert display.count(1383, "invoice", style="it") == "1.383 invoices"
    assert display.count(2, "copy", "copies") == "2 copies"


def test_the_style_is_one_setting_english_by_default() -> None:
    assert display.current_style() is display.ENGLISH
    display.set_style("it")
    assert display.current_style() is display.ITALIAN
    assert display.money(Decimal("1234.5")) == "1.234,50"
    with pytest.raises(ValueError, match="no display style 'fr'"):
        display.set_style("fr")
    assert display.current_style() is display.ITALIAN
