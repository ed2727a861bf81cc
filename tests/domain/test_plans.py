"""Fixed installment plans: an amount every period (S0), or a total split in N (D3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.domain.helpers import d
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.plans import PlanInstallment, recurrence_plan, split_plan

MONTHLY = Frequency(1, "month")


def test_an_amount_every_month_a_number_of_times() -> None:
    plan = recurrence_plan(Decimal("100"), MONTHLY, d("2024-01-31"), count=3)
    assert plan == [
        PlanInstallment(d("2024-01-31"), d("2024-02-28"), d("2024-01-31"), Decimal("100.00")),
        PlanInstallment(d("2024-02-29"), d("2024-03-30"), d("2024-02-29"), Decimal("100.00")),
        PlanInstallment(d("2024-03-31"), d("2024-04-29"), d("2024-03-31"), Decimal("100.00")),
    ]


def test_an_amount_every_quarter_until_an_end_date() -> None:
    plan = recurrence_plan(
        Decimal("250.00"),
        Frequency(3, "month"),
        d("2024-01-01"),
        end=d("2024-08-15"),
        timing="arrears",
    )
    assert [(p.period_start, p.period_end, p.invoice_date) for p in plan] == [
        (d("2024-01-01"), d("2024-03-31"), d("2024-03-31")),
        (d("2024-04-01"), d("2024-06-30"), d("2024-06-30")),
        (d("2024-07-01"), d("2024-08-15"), d("2024-08-15")),
    ]
    assert {p.amount for p in plan} == {Decimal("250.00")}


def test_offset_days_move_the_invoice_date() -> None:
    (only,) = recurrence_plan(Decimal("1"), MONTHLY, d("2024-01-01"), count=1, offset_days=10)
    assert only.invoice_date == d("2024-01-11")


def test_a_total_split_in_three() -> None:
    plan = split_plan(Decimal("100.00"), 3, MONTHLY, d("2024-05-02"))
    assert [p.amount for p in plan] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert [p.invoice_date for p in plan] == [d("2024-05-02"), d("2024-06-02"), d("2024-07-02")]


@pytest.mark.parametrize(
    "call",
    [
        lambda: recurrence_plan(Decimal("1"), MONTHLY, d("2024-01-01")),
        lambda: recurrence_plan(
            Decimal("1"), MONTHLY, d("2024-01-01"), count=2, end=d("2024-05-01")
        ),
        lambda: recurrence_plan(Decimal("1"), MONTHLY, d("2024-01-01"), count=0),
        lambda: recurrence_plan(Decimal("1"), MONTHLY, d("2024-01-01"), end=d("2023-12-31")),
        lambda: recurrence_plan(Decimal("-1"), MONTHLY, d("2024-01-01"), count=1),
        lambda: recurrence_plan(Decimal("1"), MONTHLY, d("2024-01-01"), count=1, timing="later"),
        lambda: recurrence_plan(
            Decimal("1"), Frequency(1, "day"), d("2024-01-01"), end=d("2099-01-01")
        ),
        lambda: split_plan(Decimal("100.001"), 3, MONTHLY, d("2024-01-01")),
        lambda: split_plan(Decimal("100"), 0, MONTHLY, d("2024-01-01")),
    ],
)
def test_bad_plans_are_refused(call) -> None:
    with pytest.raises(UserError):
        call()
