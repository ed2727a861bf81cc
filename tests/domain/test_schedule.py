"""The installments of a contract: the worked examples of the mission and the spec."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from tests.domain.helpers import contract, d, line, spans
from tui_billing.domain.errors import UserError
from tui_billing.domain.installments import (
    InstallmentLine,
    installment_key,
    parse_installment_key,
)
from tui_billing.domain.schedule import (
    contract_installments,
    first_recurring_installment,
)

# -- B1 / A7: quarterly from 1 July 2024, 50 per month ----------------------------------------


def selly() -> object:
    """The S2 example: maintenance at 50 a month, billed quarterly from 1 July 2024."""
    return contract(
        "2024-07-01",
        "quarterly",
        line(description="Maintenance", unit_price="50.00", price_period="monthly"),
    )


def test_b1_a_future_reference_date_proposes_the_next_quarter() -> None:
    installments = contract_installments(selly(), d("2024-10-02"))
    assert [i.key for i in installments] == [
        "2024-07-01/2024-09-30@2024-07-01",
        "2024-10-01/2024-12-31@2024-10-01",
    ]
    assert [i.amount for i in installments] == [Decimal("150.00"), Decimal("150.00")]


def test_b1_before_the_next_quarter_only_the_first_is_due() -> None:
    installments = contract_installments(selly(), d("2024-09-30"))
    assert spans(installments) == [("2024-07-01", "2024-09-30", "2024-07-01")]


def test_a7_a_monthly_price_billed_quarterly() -> None:
    (first,) = contract_installments(selly(), d("2024-07-01"))
    assert first.lines == (
        InstallmentLine(
            line_key="1",
            description="Maintenance - period 01/07/2024-30/09/2024",
            period_start=d("2024-07-01"),
            period_end=d("2024-09-30"),
            quantity=Decimal("1"),
            unit_price=Decimal("150.00"),  # the quarter's price: 1 x 150.00 = 150.00
            amount=Decimal("150.00"),
            vat_rate=Decimal("22.00"),
            base_price=Decimal("50.00"),  # the monthly price it comes from
        ),
    )
    assert str(first.amount) == "150.00"


def test_nothing_is_due_before_the_first_invoice_date() -> None:
    assert contract_installments(selly(), d("2024-06-30")) == []


# -- A6: calendar-year cut ----------------------------------------------------------------


def test_a6_quarterly_from_1_november_with_year_end_cut() -> None:
    terms = contract("2024-11-01", "quarterly", line(unit_price="300.00"), year_end_cut=True)
    installments = contract_installments(terms, d("2025-04-01"))
    assert spans(installments) == [
        ("2024-11-01", "2024-12-31", "2024-11-01"),
        ("2025-01-01", "2025-03-31", "2025-01-01"),
        ("2025-04-01", "2025-06-30", "2025-04-01"),
    ]
    # the price is per quarter; 1 Nov - 31 Dec is two months of three
    assert [str(i.amount) for i in installments] == ["200.00", "300.00", "300.00"]


def test_a6_without_the_cut_the_quarter_runs_into_january() -> None:
    terms = contract("2024-11-01", "quarterly", line(unit_price="300.00"))
    assert spans(contract_installments(terms, d("2025-02-01"))) == [
        ("2024-11-01", "2025-01-31", "2024-11-01"),
        ("2025-02-01", "2025-04-30", "2025-02-01"),
    ]


def test_a6_monthly_price_with_the_cut() -> None:
    terms = contract(
        "2024-11-01",
        "quarterly",
        line(unit_price="50.00", price_period="monthly"),
        year_end_cut=True,
    )
    assert [str(i.amount) for i in contract_installments(terms, d("2025-01-01"))] == [
        "100.00",
        "150.00",
    ]


# -- A10: the S3 table, in advance and in arrears ----------------------------------------------


@pytest.mark.parametrize(
    ("timing", "first_invoice"), [("advance", "2021-01-01"), ("arrears", "2021-01-31")]
)
def test_a10_monthly_from_1_january_2021(timing: str, first_invoice: str) -> None:
    terms = contract("2021-01-01", "monthly", timing=timing)
    installments = contract_installments(terms, d("2021-12-31"))
    assert installments[0].invoice_date == d(first_invoice)
    assert (installments[0].period_start, installments[0].period_end) == (
        d("2021-01-01"),
        d("2021-01-31"),
    )


@pytest.mark.parametrize(
    ("timing", "first_invoice"), [("advance", "2021-03-01"), ("arrears", "2021-03-31")]
)
def test_a10_line_valid_from_1_march(timing: str, first_invoice: str) -> None:
    terms = contract("2021-01-01", "monthly", line(valid_from="2021-03-01"), timing=timing)
    installments = contract_installments(terms, d("2021-12-31"))
    assert installments[0].invoice_date == d(first_invoice)
    assert installments[0].period_start == d("2021-03-01")


@pytest.mark.parametrize(
    ("timing", "last_invoice"), [("advance", "2021-04-01"), ("arrears", "2021-04-30")]
)
def test_a10_contract_ending_30_april(timing: str, last_invoice: str) -> None:
    terms = contract("2021-01-01", "monthly", end="2021-04-30", timing=timing)
    installments = contract_installments(terms, d("2030-01-01"))
    assert len(installments) == 4
    assert installments[-1].invoice_date == d(last_invoice)
    assert installments[-1].period_end == d("2021-04-30")


@pytest.mark.parametrize(
    ("timing", "last_invoice"), [("advance", "2021-03-01"), ("arrears", "2021-03-31")]
)
def test_a10_line_valid_to_31_march_in_a_contract_ending_30_april(
    timing: str, last_invoice: str
) -> None:
    terms = contract(
        "2021-01-01", "monthly", line(valid_to="2021-03-31"), end="2021-04-30", timing=timing
    )
    installments = contract_installments(terms, d("2030-01-01"))
    assert installments[-1].invoice_date == d(last_invoice)
    assert len(installments) == 3


def test_invoice_offset_days() -> None:
    terms = contract("2021-01-01", "monthly", timing="arrears", invoice_offset_days=5)
    assert spans(contract_installments(terms, d("2021-03-05"))) == [
        ("2021-01-01", "2021-01-31", "2021-02-05"),
        ("2021-02-01", "2021-02-28", "2021-03-05"),
    ]
    early = contract("2021-01-01", "monthly", invoice_offset_days=-10)
    assert spans(contract_installments(early, d("2021-01-22"))) == [
        ("2021-01-01", "2021-01-31", "2020-12-22"),
        ("2021-02-01", "2021-02-28", "2021-01-22"),
    ]


# -- the validity window -------------------------------------------------------------------


def test_a_contract_ending_mid_period_bills_a_prorated_last_period() -> None:
    terms = contract(
        "2021-01-01", "monthly", line(unit_price="30.00"), end="2021-04-15", timing="arrears"
    )
    installments = contract_installments(terms, d("2021-04-20"))
    # the last period is cut on 15 April, so it falls due then, not on 30 April
    assert spans(installments)[-1] == ("2021-04-01", "2021-04-15", "2021-04-15")
    assert installments[-1].amount == Decimal("15.00")
    assert installments[-1].key == "2021-04-01/2021-04-15@2021-04-15"


def test_a_line_valid_from_mid_period_bills_a_stub() -> None:
    terms = contract(
        "2024-01-01",
        "monthly",
        line("1", "Maintenance", unit_price="31.00"),
        line("2", "Support", unit_price="29.00", valid_from="2024-02-10"),
    )
    installments = contract_installments(terms, d("2024-03-01"))
    assert spans(installments) == [
        ("2024-01-01", "2024-01-31", "2024-01-01"),
        ("2024-02-01", "2024-02-29", "2024-02-01"),
        ("2024-02-10", "2024-03-09", "2024-02-10"),
        ("2024-03-01", "2024-03-31", "2024-03-01"),
    ]
    # Support is anchored on its own valid_from: its periods run 10th to 9th, whole
    assert [str(i.amount) for i in installments] == ["31.00", "31.00", "29.00", "31.00"]


def test_line_valid_before_the_contract_start_bills_from_the_start() -> None:
    terms = contract("2024-03-01", "monthly", line(valid_from="2024-01-15", unit_price="31.00"))
    installments = contract_installments(terms, d("2024-03-31"))
    assert spans(installments) == [
        ("2024-03-01", "2024-03-14", "2024-03-01"),
        ("2024-03-15", "2024-04-14", "2024-03-15"),
    ]
    assert installments[0].amount == Decimal("14.00")


def test_a_window_outside_the_contract_bills_nothing() -> None:
    terms = contract("2024-03-01", "monthly", line(valid_to="2024-02-01"))
    assert contract_installments(terms, d("2025-01-01")) == []


# -- alignments through the whole engine ----------------------------------------------------


def test_calendar_quarters_from_mid_february() -> None:
    terms = contract("2024-02-15", "quarterly", line(unit_price="300.00"), alignment="calendar")
    installments = contract_installments(terms, d("2024-04-01"))
    assert spans(installments) == [
        ("2024-02-15", "2024-03-31", "2024-02-15"),
        ("2024-04-01", "2024-06-30", "2024-04-01"),
    ]
    # (15/29 + 1) months of a 3-month price
    assert [str(i.amount) for i in installments] == ["151.72", "300.00"]


def test_prorate_false_bills_a_short_period_whole() -> None:
    terms = contract(
        "2024-02-15", "quarterly", line(unit_price="300.00"), alignment="calendar", prorate=False
    )
    assert [str(i.amount) for i in contract_installments(terms, d("2024-04-01"))] == [
        "300.00",
        "300.00",
    ]


def test_month_end_alignment_in_italian() -> None:
    terms = contract(
        "2024-01-15",
        "monthly",
        line(description="Canone", unit_price="31.00"),
        alignment="month_end",
        language="it",
    )
    installments = contract_installments(terms, d("2024-02-01"))
    assert [(i.lines[0].description, str(i.amount)) for i in installments] == [
        ("Canone - competenza dal 15/01/2024 al 31/01/2024", "17.00"),
        ("Canone - competenza dal 01/02/2024 al 29/02/2024", "31.00"),
    ]


def test_anchor_on_31_january_bills_a_whole_month_each_time() -> None:
    terms = contract("2024-01-31", "monthly", line(unit_price="10.00"))
    installments = contract_installments(terms, d("2024-05-31"))
    assert [i.key for i in installments] == [
        "2024-01-31/2024-02-28@2024-01-31",
        "2024-02-29/2024-03-30@2024-02-29",
        "2024-03-31/2024-04-29@2024-03-31",
        "2024-04-30/2024-05-30@2024-04-30",
        "2024-05-31/2024-06-29@2024-05-31",
    ]
    assert {i.amount for i in installments} == {Decimal("10.00")}


def test_anchor_on_29_february_annual() -> None:
    terms = contract("2024-02-29", "annual", line(unit_price="1200.00", price_period="monthly"))
    installments = contract_installments(terms, d("2028-02-29"))
    assert [i.invoice_date.isoformat() for i in installments] == [
        "2024-02-29",
        "2025-02-28",
        "2026-02-28",
        "2027-02-28",
        "2028-02-29",
    ]
    assert {i.amount for i in installments} == {Decimal("14400.00")}


def test_a_daily_price_billed_monthly() -> None:
    terms = contract("2024-02-01", "monthly", line(unit_price="2.00", price_period="daily"))
    assert [str(i.amount) for i in contract_installments(terms, d("2024-03-01"))] == [
        "58.00",
        "62.00",
    ]


def test_a_line_frequency_overrides_the_contract() -> None:
    terms = contract(
        "2024-01-01",
        "quarterly",
        line("1", unit_price="300.00"),
        line("2", "Hosting", unit_price="10.00", frequency="monthly"),
    )
    installments = contract_installments(terms, d("2024-03-01"))
    assert spans(installments) == [
        ("2024-01-01", "2024-01-31", "2024-01-01"),
        ("2024-01-01", "2024-03-31", "2024-01-01"),
        ("2024-02-01", "2024-02-29", "2024-02-01"),
        ("2024-03-01", "2024-03-31", "2024-03-01"),
    ]


# -- A8: one line per sub-period ------------------------------------------------------------


def test_a8_per_period_puts_three_monthly_lines_on_a_quarter() -> None:
    terms = contract(
        "2024-07-01",
        "quarterly",
        line(unit_price="50.00", price_period="monthly"),
        line_display="per_period",
    )
    (first,) = contract_installments(terms, d("2024-07-01"))
    assert [(li.description, li.period_start, li.period_end, li.amount) for li in first.lines] == [
        (
            "Maintenance - period 01/07/2024-31/07/2024",
            d("2024-07-01"),
            d("2024-07-31"),
            Decimal("50.00"),
        ),
        (
            "Maintenance - period 01/08/2024-31/08/2024",
            d("2024-08-01"),
            d("2024-08-31"),
            Decimal("50.00"),
        ),
        (
            "Maintenance - period 01/09/2024-30/09/2024",
            d("2024-09-01"),
            d("2024-09-30"),
            Decimal("50.00"),
        ),
    ]
    assert first.key == "2024-07-01/2024-09-30@2024-07-01"
    assert first.amount == Decimal("150.00")


def test_a8_per_period_without_a_price_period_stays_single() -> None:
    terms = contract(
        "2024-07-01", "quarterly", line(unit_price="150.00"), line_display="per_period"
    )
    (first,) = contract_installments(terms, d("2024-07-01"))
    assert len(first.lines) == 1


# -- A9: one-off lines ----------------------------------------------------------------------


def setup_contract(**settings: object) -> object:
    """Monthly maintenance plus a one-off setup fee valid from 15 July."""
    return contract(
        "2024-07-01",
        "quarterly",
        line("1", "Maintenance", unit_price="50.00", price_period="monthly"),
        line("2", "Setup", unit_price="200.00", recurring=False, valid_from="2024-07-15"),
        **settings,
    )


def test_a9_a_one_off_line_is_billed_once_at_its_valid_from() -> None:
    installments = contract_installments(setup_contract(), d("2024-10-02"))
    assert [i.key for i in installments] == [
        "2024-07-01/2024-09-30@2024-07-01",
        "once@2024-07-15",
        "2024-10-01/2024-12-31@2024-10-01",
    ]
    once = installments[1]
    assert (once.period_start, once.period_end, once.invoice_date) == (None, None, d("2024-07-15"))
    assert once.one_off
    assert once.lines[0].description == "Setup"
    assert once.amount == Decimal("200.00")


def test_a9_a_one_off_line_rides_on_the_first_recurring_installment() -> None:
    installments = contract_installments(setup_contract(one_off_with_first=True), d("2024-10-02"))
    assert [i.key for i in installments] == [
        "2024-07-01/2024-09-30@2024-07-01",
        "2024-10-01/2024-12-31@2024-10-01",
    ]
    assert [li.description for li in installments[0].lines] == [
        "Maintenance - period 01/07/2024-30/09/2024",
        "Setup",
    ]
    assert installments[0].lines[1].period_start is None
    assert installments[0].amount == Decimal("350.00")
    assert installments[1].amount == Decimal("150.00")


def test_a9_without_a_valid_from_a_one_off_is_dated_at_the_contract_start() -> None:
    terms = contract(
        "2024-07-01", "monthly", line("1", "Setup", unit_price="99.00", recurring=False)
    )
    assert [i.key for i in contract_installments(terms, d("2024-07-01"))] == ["once@2024-07-01"]


def test_a9_a_one_off_with_nothing_recurring_keeps_its_own_date() -> None:
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Setup", unit_price="99.00", recurring=False, valid_from="2024-08-01"),
        one_off_with_first=True,
    )
    assert [i.key for i in contract_installments(terms, d("2024-08-01"))] == ["once@2024-08-01"]
    assert contract_installments(terms, d("2024-07-31")) == []


def test_one_offs_on_the_same_day_share_an_installment() -> None:
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Setup", unit_price="99.00", recurring=False),
        line("2", "Training", unit_price="1.00", recurring=False),
    )
    (once,) = contract_installments(terms, d("2024-07-01"))
    assert [li.line_key for li in once.lines] == ["1", "2"]
    assert once.amount == Decimal("100.00")


# -- grouping, ordering, status ---------------------------------------------------------------


def test_lines_with_the_same_periods_form_one_installment() -> None:
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Maintenance", unit_price="50.00"),
        line("2", "Hosting", quantity="2", unit_price="9.99"),
    )
    installments = contract_installments(terms, d("2024-08-01"))
    assert len(installments) == 2
    assert [[li.line_key for li in i.lines] for i in installments] == [["1", "2"], ["1", "2"]]
    assert installments[0].amount == Decimal("69.98")


def test_installments_are_ordered_by_invoice_date_then_period_start() -> None:
    terms = contract(
        "2024-01-01",
        "annual",
        line("1", unit_price="100.00"),
        line("2", unit_price="10.00", frequency="monthly", valid_from="2024-01-01"),
        line("3", unit_price="1.00", recurring=False, valid_from="2024-02-01"),
    )
    installments = contract_installments(terms, d("2024-02-01"))
    assert [i.key for i in installments] == [
        "2024-01-01/2024-01-31@2024-01-01",
        "2024-01-01/2024-12-31@2024-01-01",
        "once@2024-02-01",
        "2024-02-01/2024-02-29@2024-02-01",
    ]


@pytest.mark.parametrize("status", ["draft", "suspended", "closed"])
def test_only_active_contracts_bill(status: str) -> None:
    assert contract_installments(contract(status=status), d("2030-01-01")) == []


def test_lines_that_cannot_be_scheduled_are_left_out() -> None:
    terms = contract(None, None, line("1"), line("2", valid_from="2024-01-01", frequency="monthly"))
    assert [
        li.line_key for i in contract_installments(terms, d("2024-01-01")) for li in i.lines
    ] == ["2"]


def test_amounts_are_decimals_with_two_places() -> None:
    terms = contract("2024-01-01", "monthly", line(quantity="3", unit_price="33.3333"))
    (first,) = contract_installments(terms, d("2024-01-01"))
    assert first.lines[0].amount == Decimal("100.00")
    assert str(first.lines[0].amount) == "100.00"


def test_installments_are_recomputed_identically() -> None:
    terms = setup_contract(one_off_with_first=True, year_end_cut=True)
    assert contract_installments(terms, d("2026-01-01")) == contract_installments(
        terms, d("2026-01-01")
    )


def test_a_later_reference_date_only_adds_installments() -> None:
    terms = setup_contract()
    earlier = contract_installments(terms, d("2025-01-01"))
    later = contract_installments(terms, d("2026-01-01"))
    assert later[: len(earlier)] == earlier


# -- keys and the first installment -------------------------------------------------------------


def test_installment_keys_round_trip() -> None:
    key = installment_key(d("2024-07-01"), d("2024-09-30"), d("2024-07-01"))
    assert key == "2024-07-01/2024-09-30@2024-07-01"
    assert parse_installment_key(key) == (d("2024-07-01"), d("2024-09-30"), d("2024-07-01"))
    assert installment_key(None, None, d("2024-03-01")) == "once@2024-03-01"
    assert parse_installment_key("once@2024-03-01") == (None, None, d("2024-03-01"))
    with pytest.raises(UserError):
        parse_installment_key("2024-07-01")
    with pytest.raises(UserError):
        parse_installment_key("x/y@2024-07-01")


def test_first_recurring_installment() -> None:
    assert first_recurring_installment(setup_contract(timing="arrears")) == (
        d("2024-09-30"),
        d("2024-07-01"),
        d("2024-09-30"),
    )
    assert first_recurring_installment(replace(contract(), lines=())) is None


# -- every alignment, with and without the year-end cut, from a mid-month anchor --------------

MID_NOVEMBER = {
    ("start", False): [
        ("2024-11-15", "2025-02-14", "90.00"),
        ("2025-02-15", "2025-05-14", "90.00"),
    ],
    ("start", True): [
        ("2024-11-15", "2024-12-31", "46.00"),
        ("2025-01-01", "2025-03-31", "90.00"),
        ("2025-04-01", "2025-06-30", "90.00"),
    ],
    ("month_end", False): [
        ("2024-11-15", "2025-01-31", "76.00"),
        ("2025-02-01", "2025-04-30", "90.00"),
    ],
    ("month_end", True): [
        ("2024-11-15", "2024-12-31", "46.00"),
        ("2025-01-01", "2025-03-31", "90.00"),
        ("2025-04-01", "2025-06-30", "90.00"),
    ],
    ("calendar", False): [
        ("2024-11-15", "2024-12-31", "46.00"),
        ("2025-01-01", "2025-03-31", "90.00"),
        ("2025-04-01", "2025-06-30", "90.00"),
    ],
    ("calendar", True): [
        ("2024-11-15", "2024-12-31", "46.00"),
        ("2025-01-01", "2025-03-31", "90.00"),
        ("2025-04-01", "2025-06-30", "90.00"),
    ],
}


@pytest.mark.parametrize(("alignment", "cut"), list(MID_NOVEMBER))
def test_quarterly_from_15_november(alignment: str, cut: bool) -> None:
    terms = contract(
        "2024-11-15", "quarterly", line(unit_price="90.00"), alignment=alignment, year_end_cut=cut
    )
    installments = contract_installments(terms, d("2025-04-01"))
    assert [
        (i.period_start.isoformat(), i.period_end.isoformat(), str(i.amount)) for i in installments
    ] == MID_NOVEMBER[alignment, cut]


# -- the objects the engine builds are ordinary frozen dataclasses -----------------------------


def test_installments_are_plain_frozen_dataclasses() -> None:
    import dataclasses
    import pickle

    from tui_billing.domain.installments import InstallmentSpec

    (spec,) = contract_installments(selly(), d("2024-07-01"))
    (made,) = spec.lines
    assert type(spec) is InstallmentSpec
    assert type(made) is InstallmentLine
    assert made == InstallmentLine(**dataclasses.asdict(made))
    assert hash(made) == hash(InstallmentLine(**dataclasses.asdict(made)))
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert dataclasses.replace(made, amount=Decimal("1.00")).amount == Decimal("1.00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.amount = Decimal("0")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.key = "x"  # type: ignore[misc]
