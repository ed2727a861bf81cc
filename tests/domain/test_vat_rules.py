"""The VAT rules as pure functions: the nature of a line against its rate, the bollo at its
threshold, the amount due under split payment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.stamp_duty import amount_due, stamp_duty
from tui_billing.domain.vat_natures import VAT_NATURES, checked_line_nature, reverse_charge_note


def test_every_nature_code_of_the_specification_is_known():
    assert list(VAT_NATURES) == [
        "N1",
        "N2.1",
        "N2.2",
        "N3.1",
        "N3.2",
        "N3.3",
        "N3.4",
        "N3.5",
        "N3.6",
        "N4",
        "N5",
        "N6.1",
        "N6.2",
        "N6.3",
        "N6.4",
        "N6.5",
        "N6.6",
        "N6.7",
        "N6.8",
        "N6.9",
        "N7",
    ]
    assert VAT_NATURES["N4"].label("it") == "Esente art. 10 DPR 633/72 (N4)"


def test_a_line_nature_fits_its_rate():
    assert checked_line_nature(D("0"), "n4", "x") == "N4"
    assert checked_line_nature(D("22"), None, "x") is None
    with pytest.raises(UserError, match="is required on a 0% line"):
        checked_line_nature(D("0"), None, "x")
    with pytest.raises(UserError, match="only for a line without VAT"):
        checked_line_nature(D("10"), "N4", "x")
    with pytest.raises(UserError, match="unknown VAT nature 'N8'"):
        checked_line_nature(D("0"), "N8", "x")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([(D("77.47"), "N4")], None),
        ([(D("77.48"), "N4")], D("2.00")),
        ([(D("40.00"), "N4"), (D("37.48"), "N2.2")], D("2.00")),
        ([(D("1000.00"), "N3.1"), (D("1000.00"), "N6.3"), (D("500.00"), None)], None),
        ([(D("-77.48"), "N4")], D("2.00")),  # a credit note
    ],
)
def test_bollo_over_77_47_of_the_natures_that_require_it(lines, expected):
    assert stamp_duty(lines) == expected


def test_split_payment_amount_due_is_the_total_less_vat():
    assert amount_due(D("1220.00"), D("220.00"), True) == D("1000.00")
    assert amount_due(D("1220.00"), D("220.00"), False) == D("1220.00")


def test_reverse_charge_notes_name_the_sub_case():
    assert reverse_charge_note({None, "N4", "N6.7"}) == [
        "Inversione contabile art. 17 c.6 lett. a-ter DPR 633/72 (N6.7)"
    ]
