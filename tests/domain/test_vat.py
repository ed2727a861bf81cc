"""VAT arithmetic of an invoice (domain.vat): exact cents, half up, per rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.vat import (
    decimal_of,
    invoice_totals,
    line_nature,
    scaled,
    vat_of,
    vat_summary,
    vat_summary_rows,
)


def test_vat_of_rounds_half_up_away_from_zero():
    assert vat_of(250, 2200) == 55  # 0.55 exactly
    assert vat_of(2, 2500) == 1  # 0.005 -> 0.01
    assert vat_of(1, 2200) == 0  # 0.0022 -> 0.00
    assert vat_of(-2, 2500) == -1  # a credit rounds like its debit
    assert vat_of(12345, 1000) == 1235  # 12.345 -> 12.35
    assert vat_of(0, 2200) == 0


def test_vat_once_per_rate_on_the_sum_not_per_line():
    # Three lines of 0.05 at 10 %: 0.005 each would round to 0.01 each (0.03); on the sum
    # 0.15 it is 0.015 -> 0.02.
    lines = [(Decimal("0.05"), Decimal("10"))] * 3
    assert vat_summary(lines) == [(Decimal("10.00"), Decimal("0.15"), Decimal("0.02"))]


def test_summary_rows_by_nature_then_rate_and_natures_carry_no_vat():
    rows = vat_summary_rows(
        [
            (Decimal("100.005"), Decimal("22"), None),  # the amount rounds half up first
            (Decimal("50"), Decimal("10"), None),
            (Decimal("40.00"), Decimal("0"), "N1"),
            (Decimal("9.99"), Decimal("22"), None),
        ]
    )
    assert rows == [
        (Decimal("10.00"), None, Decimal("50.00"), Decimal("5.00")),
        (Decimal("22.00"), None, Decimal("110.00"), Decimal("24.20")),
        (Decimal("0.00"), "N1", Decimal("40.00"), Decimal("0.00")),
    ]


def test_totals_leave_out_of_scope_lines_out_of_the_taxable():
    by_rate = {(2200, None): 10000, (1000, None): 3333, (0, "N1"): 4000, (0, "N2.2"): 500}
    taxable, vat, total, out_of_scope = invoice_totals(by_rate)
    # VAT 22.00 + 3.33 (3.333 half up); N2.2 is taxable base without VAT; N1 only in total.
    assert (taxable, vat, total, out_of_scope) == (13833, 2533, 20366, 4000)


def test_scaled_and_decimal_of_refuse_what_is_not_a_number():
    assert scaled("12.345", 2) == 1235
    assert scaled(-0.005, 2) == -1
    assert scaled("1.5", 0) == 2
    assert decimal_of(3, "x") == Decimal(3)
    for bad in (None, True, "abc", "NaN", "Infinity"):
        with pytest.raises(UserError):
            decimal_of(bad, "quantity")
    with pytest.raises(UserError):
        scaled([1], 2)


def test_line_nature_checks_the_code():
    assert line_nature(None) is None
    assert line_nature("N1") == "N1"
    with pytest.raises(UserError):
        line_nature(7)
    with pytest.raises(UserError):
        line_nature("N99")
