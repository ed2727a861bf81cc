"""Next and previous billing date of each line (A11): the previous from what is invoiced,
the next the first installment still billing the line once that is subtracted; empty when
nothing more will be billed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.helpers import contract, d, line
from tui_billing.domain.billability import NOTHING_LEFT, why_not_billable
from tui_billing.domain.billing_dates import (
    BillingDates,
    InvoicedInstallment,
    contract_billing_dates,
    line_billing_dates,
    line_invoice_dates,
    next_billing_dates,
)
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.schedule import contract_installments, line_dates_around
from tui_billing.domain.terms import ContractTerms, LineTerms


def invoiced(specs) -> list[InvoicedInstallment]:
    """``specs`` once invoiced, as the store gives them back."""
    return [
        InvoicedInstallment(
            spec.invoice_date,
            tuple(
                (
                    li.line_key,
                    li.description,
                    li.period_start.isoformat() if li.period_start else None,
                    li.period_end.isoformat() if li.period_end else None,
                )
                for li in spec.lines
            ),
        )
        for spec in specs
    ]


def billed_through(terms: ContractTerms, day: str) -> list[InvoicedInstallment]:
    """What runs on every day up to ``day`` have invoiced."""
    return invoiced(contract_installments(terms, d(day)))


def dates(previous: str | None, following: str | None) -> BillingDates:
    return BillingDates(d(previous) if previous else None, d(following) if following else None)


def s3(timing: str = "advance", status: str = "active") -> ContractTerms:
    """The S3 contract: monthly from 1 January 2021 to 30 April 2021."""
    return contract("2021-01-01", "monthly", end="2021-04-30", timing=timing, status=status)


@pytest.mark.parametrize(
    ("as_of", "previous", "following"),
    [
        ("2020-12-31", None, "2021-01-01"),
        ("2021-01-01", "2021-01-01", "2021-02-01"),
        ("2021-02-15", "2021-02-01", "2021-03-01"),
        ("2021-04-01", "2021-04-01", None),
        ("2022-01-01", "2021-04-01", None),
    ],
)
def test_in_advance_billed_day_by_day(as_of, previous, following) -> None:
    terms = s3()
    assert line_billing_dates(terms, terms.lines[0], billed_through(terms, as_of)) == dates(
        previous, following
    )


@pytest.mark.parametrize(
    ("as_of", "previous", "following"),
    [
        ("2021-01-01", None, "2021-01-31"),
        ("2021-03-31", "2021-03-31", "2021-04-30"),
        ("2021-04-30", "2021-04-30", None),
    ],
)
def test_in_arrears_billed_day_by_day(as_of, previous, following) -> None:
    terms = s3("arrears")
    assert line_billing_dates(terms, terms.lines[0], billed_through(terms, as_of)) == dates(
        previous, following
    )


def test_what_is_not_invoiced_yet_is_next_even_when_already_due() -> None:
    """Missed runs: the next run bills February, however late it is."""
    terms = s3()
    assert line_billing_dates(terms, terms.lines[0], billed_through(terms, "2021-01-01")) == (
        dates("2021-01-01", "2021-02-01")
    )
    assert line_billing_dates(terms, terms.lines[0]) == dates(None, "2021-01-01")


def test_open_ended_lines_always_have_a_next_date() -> None:
    terms = contract("2024-07-01", "quarterly")
    assert line_billing_dates(terms, terms.lines[0], billed_through(terms, "2099-12-31")) == (
        dates("2099-10-01", "2100-01-01")
    )


def test_monthly_invoiced_through_june_then_quarterly_skips_the_invoiced_quarter() -> None:
    """Invoiced ahead to June on 15 March: the quarter April-June is wholly invoiced, so
    its date (1 April) is not the next one; July is."""
    before = contract("2024-01-01", "monthly", line(price_period="monthly"))
    billed = billed_through(before, "2024-06-01")
    after = replace(before, frequency=Frequency.parse("quarterly"))
    assert line_dates_around(after, after.lines[0], d("2024-03-15")) == (
        d("2024-01-01"),
        d("2024-04-01"),
    )  # what the terms alone say
    assert line_billing_dates(after, after.lines[0], billed) == dates("2024-06-01", "2024-07-01")


def test_a_cut_installment_is_the_next_one() -> None:
    """Invoiced January-April monthly, then quarterly: May-June of the second quarter are
    left, billed by the installment of 1 April (already due)."""
    before = contract("2024-01-01", "monthly", line(price_period="monthly"))
    billed = billed_through(before, "2024-04-01")
    after = replace(before, frequency=Frequency.parse("quarterly"))
    assert line_billing_dates(after, after.lines[0], billed) == dates("2024-04-01", "2024-04-01")
    assert line_billing_dates(after, after.lines[0], billed_through(before, "2024-05-01")) == (
        dates("2024-05-01", "2024-04-01")
    )  # June alone is left of that quarter


def test_a_later_start_bills_the_rest_of_the_first_new_period_next() -> None:
    before = contract("2024-01-01", "monthly", line(price_period="monthly"))
    billed = billed_through(before, "2024-03-01")  # to 31 March
    after = replace(before, start_date=d("2024-01-15"))
    # 1-14 April, of the period 15 March - 14 April, invoiced on 15 March
    assert line_billing_dates(after, after.lines[0], billed) == dates("2024-03-01", "2024-03-15")


def test_an_earlier_start_bills_the_new_days_first() -> None:
    before = contract("2024-01-01", "monthly")
    billed = billed_through(before, "2024-03-01")
    after = replace(before, start_date=d("2023-12-01"))
    assert line_billing_dates(after, after.lines[0], billed) == dates("2024-03-01", "2023-12-01")


def test_a_line_removed_and_added_back_keeps_its_invoiced_dates() -> None:
    before = contract("2024-01-01", "monthly", line("1"), line("2", "Hosting"))
    billed = billed_through(before, "2024-06-01")
    after = replace(before, lines=(line("2", "Hosting"), line("3")))  # "1" removed, added back
    assert contract_billing_dates(after, billed) == {
        "2": dates("2024-06-01", "2024-07-01"),
        "3": dates("2024-06-01", "2024-07-01"),
    }
    other = replace(before, lines=(line("2", "Hosting"), line("3", "Backup")))  # a new service
    assert contract_billing_dates(other, billed)["3"] == dates(None, "2024-01-01")


def test_a_wholly_invoiced_window_has_no_next_date_whatever_the_new_schedule() -> None:
    before = contract("2024-01-01", "monthly", end="2024-06-30")
    billed = billed_through(before, "2024-06-01")
    assert line_billing_dates(before, before.lines[0], billed) == dates("2024-06-01", None)
    for after in (
        replace(before, frequency=Frequency.parse("quarterly")),
        replace(before, frequency=Frequency.parse("annual"), timing="arrears"),
        replace(before, start_date=d("2024-02-01")),
        replace(before, alignment="calendar"),
    ):
        assert line_billing_dates(after, after.lines[0], billed) == dates("2024-06-01", None)
        assert why_not_billable(after, [li for i in billed for li in i.lines]) == [NOTHING_LEFT]
    longer = replace(before, end_date=d("2024-07-15"))  # half of July left
    assert line_billing_dates(longer, longer.lines[0], billed) == dates("2024-06-01", "2024-07-01")
    assert why_not_billable(longer, [li for i in billed for li in i.lines]) == []


def test_nothing_left_is_said_only_of_a_contract_that_could_bill() -> None:
    before = contract("2024-01-01", "monthly", end="2024-03-31")
    billed = [li for i in billed_through(before, "2024-03-01") for li in i.lines]
    assert why_not_billable(replace(before, status="closed"), billed) == [
        "the contract is not active (status: closed)"
    ]
    assert why_not_billable(before, billed[:2]) == []  # March not invoiced
    assert why_not_billable(before) == []  # not told what is invoiced: billable


def test_one_off_lines() -> None:
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1"),
        line("2", "Setup", recurring=False, valid_from="2024-07-15"),
    )
    found = contract_billing_dates(terms, billed_through(terms, "2024-07-10"))
    assert found["2"] == dates(None, "2024-07-15")
    assert found["1"] == dates("2024-07-01", "2024-10-01")
    assert contract_billing_dates(terms, billed_through(terms, "2024-07-15"))["2"] == dates(
        "2024-07-15", None
    )
    moved = replace(
        terms, lines=(terms.lines[0], line("2", "Setup", recurring=False, valid_from="2024-09-01"))
    )
    assert contract_billing_dates(moved, billed_through(terms, "2024-07-15"))["2"] == dates(
        "2024-07-15", None
    )  # billed once, wherever it moves


def test_a_riding_one_off_takes_the_first_installment_date() -> None:
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1", valid_from="2024-08-01"),
        line("2", "Setup", recurring=False, valid_from="2024-07-15"),
        one_off_with_first=True,
    )
    assert list(line_invoice_dates(terms, terms.lines[1])) == [d("2024-08-01")]
    assert contract_billing_dates(terms)["2"] == dates(None, "2024-08-01")


def test_a_one_off_line_added_after_the_first_invoice_rides_on_it_still() -> None:
    """Its installment is invoiced: the line waits for the next run (a supplement)."""
    plain = contract("2024-07-01", "quarterly", one_off_with_first=True)
    billed = billed_through(plain, "2024-10-01")
    terms = replace(plain, lines=(*plain.lines, line("2", "Setup", recurring=False)))
    assert contract_billing_dates(terms, billed)["2"] == dates(None, "2024-07-01")


def test_inactive_contracts_bill_nothing_more() -> None:
    billed = billed_through(s3(), "2021-02-15")
    assert line_billing_dates(s3(status="draft"), s3().lines[0]) == dates(None, None)
    assert line_billing_dates(s3(status="suspended"), s3().lines[0], billed) == dates(
        "2021-02-01", None
    )


def test_a_line_that_cannot_be_scheduled_has_no_next_date() -> None:
    terms = contract("2024-01-01", None, line("1"), line("2", frequency="monthly"))
    assert next_billing_dates(terms) == {"1": None, "2": d("2024-01-01")}


def test_an_invoice_far_ahead_is_looked_past() -> None:
    before = contract("2024-01-01", "annual")
    billed = billed_through(before, "2030-01-01")
    after = replace(before, frequency=Frequency.parse("monthly"))
    assert line_billing_dates(after, after.lines[0], billed) == dates("2030-01-01", "2031-01-01")


anchors = st.dates(min_value=date(1999, 1, 1), max_value=date(2040, 12, 31))
frequencies = st.builds(
    Frequency, st.integers(1, 14), st.sampled_from(["day", "week", "month", "year"])
).filter(lambda f: f.unit != "year" or f.every <= 3)


@settings(max_examples=150, deadline=None)
@given(
    anchor=anchors,
    frequency=frequencies,
    alignment=st.sampled_from(["start", "month_end", "calendar"]),
    cut=st.booleans(),
    timing=st.sampled_from(["advance", "arrears"]),
    offset=st.integers(-20, 20),
    end=st.one_of(st.none(), st.integers(0, 900)),
    as_of=st.integers(-100, 1200),
)
def test_billed_by_every_run_up_to_a_day_the_dates_are_the_schedules_around_it(
    anchor, frequency, alignment, cut, timing, offset, end, as_of
) -> None:
    terms = ContractTerms(
        code="K",
        status="active",
        customer="C",
        start_date=anchor,
        end_date=None if end is None else anchor + timedelta(days=end),
        frequency=frequency,
        alignment=alignment,
        year_end_cut=cut,
        timing=timing,
        invoice_offset_days=offset,
        lines=(LineTerms("1", "x", Decimal(1), Decimal(1), Decimal(22)),),
    )
    day = anchor + timedelta(days=as_of)
    billed = invoiced(contract_installments(terms, day))
    assert line_billing_dates(terms, terms.lines[0], billed) == BillingDates(
        *line_dates_around(terms, terms.lines[0], day)
    )
