"""Next and previous billing date of each line (A11): empty when nothing more is billed."""

from __future__ import annotations

import pytest

from tests.domain.helpers import contract, d, line
from tui_billing.domain.billing_dates import (
    BillingDates,
    contract_billing_dates,
    line_billing_dates,
    line_invoice_dates,
)


def s3(timing: str = "advance", status: str = "active") -> object:
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
def test_in_advance(as_of: str, previous: str | None, following: str | None) -> None:
    terms = s3()
    assert line_billing_dates(terms, terms.lines[0], d(as_of)) == BillingDates(
        d(previous) if previous else None, d(following) if following else None
    )


@pytest.mark.parametrize(
    ("as_of", "previous", "following"),
    [
        ("2021-01-01", None, "2021-01-31"),
        ("2021-03-31", "2021-03-31", "2021-04-30"),
        ("2021-04-30", "2021-04-30", None),
    ],
)
def test_in_arrears(as_of: str, previous: str | None, following: str | None) -> None:
    terms = s3("arrears")
    assert line_billing_dates(terms, terms.lines[0], d(as_of)) == BillingDates(
        d(previous) if previous else None, d(following) if following else None
    )


def test_open_ended_lines_always_have_a_next_date() -> None:
    terms = contract("2024-07-01", "quarterly")
    assert line_billing_dates(terms, terms.lines[0], d("2099-12-31")) == BillingDates(
        d("2099-10-01"), d("2100-01-01")
    )


def test_one_off_lines() -> None:
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1"),
        line("2", "Setup", recurring=False, valid_from="2024-07-15"),
    )
    dates = contract_billing_dates(terms, d("2024-07-10"))
    assert dates["2"] == BillingDates(None, d("2024-07-15"))
    assert dates["1"] == BillingDates(d("2024-07-01"), d("2024-10-01"))
    assert contract_billing_dates(terms, d("2024-07-15"))["2"] == BillingDates(
        d("2024-07-15"), None
    )


def test_a_riding_one_off_takes_the_first_installment_date() -> None:
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1", valid_from="2024-08-01"),
        line("2", "Setup", recurring=False, valid_from="2024-07-15"),
        one_off_with_first=True,
    )
    assert list(line_invoice_dates(terms, terms.lines[1])) == [d("2024-08-01")]


def test_inactive_contracts_bill_nothing_more() -> None:
    assert line_billing_dates(s3(status="draft"), s3().lines[0], d("2021-02-15")) == BillingDates(
        None, None
    )
    assert line_billing_dates(
        s3(status="suspended"), s3().lines[0], d("2021-02-15")
    ) == BillingDates(d("2021-02-01"), None)
