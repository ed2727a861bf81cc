"""A professional's figures as pure rules: contribution, then VAT, then withholding, each
half up to the cent; terms read from user data and refused naming the field."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.parsing import Reader
from tui_billing.domain.professional import (
    ProfessionalTerms,
    professional_amounts,
    proportional,
    read_professional,
)

INPS = ProfessionalTerms(withholding_kind="RT01", contribution_fund="TC22")
CASSA = ProfessionalTerms(
    withholding_kind="RT01", contribution_fund="TC01", contribution_withheld=False
)


def _figures(lines, terms=INPS, agent=True, split=False):
    a = professional_amounts(
        [(D(x), D(r), n) for x, r, n in lines], terms, withholding_agent=agent, split_payment=split
    )
    return a.contribution, a.vat, a.total, a.withholding, a.net_due


def test_the_order_contribution_vat_withholding():
    assert _figures([("1000.00", "22", None)]) == (
        D("40.00"),
        D("228.80"),
        D("1268.80"),
        D("208.00"),
        D("1060.80"),
    )


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        # 4% of 12.50 = 0.50; VAT 22% of 13.00 = 2.86; 20% of 13.00 = 2.60
        ("12.50", (D("0.50"), D("2.86"), D("15.86"), D("2.60"), D("13.26"))),
        # 4% of 10.13 = 0.4052 -> 0.41; 22% of 10.54 = 2.3188 -> 2.32; 20% of 10.54 = 2.108 -> 2.11
        ("10.13", (D("0.41"), D("2.32"), D("12.86"), D("2.11"), D("10.75"))),
        # 4% of 0.63 = 0.0252 -> 0.03; 22% of 0.66 = 0.1452 -> 0.15; 20% of 0.66 = 0.132 -> 0.13
        ("0.63", (D("0.03"), D("0.15"), D("0.81"), D("0.13"), D("0.68"))),
        # 4% of 62.50 = 2.50; 22% of 65.00 = 14.30; 20% of 65.00 = 13.00
        ("62.50", (D("2.50"), D("14.30"), D("79.30"), D("13.00"), D("66.30"))),
    ],
)
def test_half_up_at_cent_boundaries(fees, expected):
    assert _figures([(fees, "22", None)]) == expected


def test_exactly_half_a_cent_rounds_up_and_a_negative_one_away_from_zero():
    terms = ProfessionalTerms(withholding_kind="RT01", withholding_rate=D("23"))
    # VAT 22% of 0.25 = 0.055 -> 0.06; ritenuta 23% of 0.50 = 0.115 -> 0.12
    assert _figures([("0.25", "22", None)], terms)[1] == D("0.06")
    assert _figures([("0.50", "22", None)], terms)[3] == D("0.12")
    assert _figures([("-0.25", "22", None)], terms)[1] == D("-0.06")
    assert _figures([("-0.50", "22", None)], terms)[3] == D("-0.12")
    # a whole credit note is the exact negation of its invoice
    plus, minus = _figures([("10.13", "22", None)]), _figures([("-10.13", "22", None)])
    assert minus == tuple(-x for x in plus)


def test_a_consumer_withholds_nothing_and_split_payment_takes_off_vat_too():
    assert _figures([("1000.00", "22", None)], agent=False)[3:] == (None, D("1268.80"))
    assert _figures([("1000.00", "22", None)], split=True)[4] == D("832.00")


def test_n1_lines_are_no_fees_and_the_contribution_takes_the_fees_rate():
    # a bollo line (N1) and a 10% line: the contribution follows the larger 22% share
    a = professional_amounts(
        [(D("600.00"), D("22"), None), (D("400.00"), D("10"), None), (D("2.00"), D("0"), "N1")],
        INPS,
        withholding_agent=True,
        split_payment=False,
    )
    assert (a.fees, a.contribution, a.contribution_vat_rate) == (
        D("1000.00"),
        D("40.00"),
        D("22.00"),
    )
    assert a.summary == (
        (D("10.00"), None, D("400.00"), D("40.00")),
        (D("22.00"), None, D("640.00"), D("140.80")),
    )
    assert a.total == D("1000.00") + D("40.00") + D("180.80") + D("2.00")
    assert a.withholding_base == D("1040.00")


def test_exempt_fees_give_an_exempt_contribution():
    a = professional_amounts(
        [(D("500.00"), D("0"), "N4")], INPS, withholding_agent=True, split_payment=False
    )
    assert (a.contribution, a.contribution_vat_rate, a.contribution_vat_nature, a.vat) == (
        D("20.00"),
        D("0.00"),
        "N4",
        D("0.00"),
    )


def test_proportional():
    assert proportional(D("13.33"), D("-100.00"), D("333.33")) == D("-4.00")
    assert proportional(None, D("1"), D("2")) is None
    assert proportional(D("5.00"), D("1"), D("0")) == D("0.00")


def test_terms_read_and_refused():
    terms = read_professional(Reader({"contribution_fund": "TC22"}, "company"))
    assert terms["contribution_withheld"] is True
    assert terms["withholding_rate"] == D("20") and terms["withholding_base"] == D("100")
    assert (
        read_professional(Reader({"contribution_fund": "TC04"}, "company"))["contribution_withheld"]
        is False
    )
    for record, message in (
        ({"withholding_rate": "100.01"}, "company.withholding_rate: must be a percentage"),
        ({"contribution_rate": "-4"}, "company.contribution_rate:"),
        ({"withholding_base": "abc"}, "company.withholding_base: not a decimal number"),
        ({"contribution_fund": "TC00"}, "company.contribution_fund: unknown value"),
        ({"withholding_kind": "RT07"}, "company.withholding_kind: unknown value"),
    ):
        with pytest.raises(UserError) as raised:
            read_professional(Reader(record, "company"))
        assert message in str(raised.value), (record, str(raised.value))


def test_terms_of_the_stored_company_keep_a_zero_rate():
    terms = ProfessionalTerms.of(
        {
            "withholding_kind": "RT02",
            "withholding_rate": D("0.00"),
            "withholding_base": None,
            "contribution_fund": None,
        }
    )
    assert (terms.withholding_rate, terms.withholding_base) == (D("0.00"), D("100"))
    assert not ProfessionalTerms.of({"withholding_rate": D("20")}).any
