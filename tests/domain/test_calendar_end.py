"""The end of the calendar (31 December 9999): a schedule that reaches it stops there, never
crashes, and keeps its last period when that period ends on the calendar's last day."""

from __future__ import annotations

from datetime import date

import pytest

from tests.domain.helpers import contract, d
from tui_billing.domain import periods, schedule
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.run_bounds import check_reach, latest_date


@pytest.fixture(autouse=True)
def _fresh_caches():
    periods.clear_cache()
    schedule.clear_cache()
    yield
    periods.clear_cache()
    schedule.clear_cache()


def _installments(terms, until: date = date.max):
    return [
        (s.period_start, s.period_end, s.invoice_date)
        for s in schedule.contract_installments(terms, until)
    ]


def test_a_first_period_that_ends_on_the_last_day_is_billed():
    # Was an IndexError: the schedule found no period at all and assumed one.
    assert _installments(contract("9999-12-01", "monthly")) == [
        (d("9999-12-01"), d("9999-12-31"), d("9999-12-01"))
    ]


def test_a_first_period_past_the_calendar_is_none():
    assert _installments(contract("9999-11-15", "quarterly")) == []
    assert _installments(contract("9999-12-15", "monthly")) == []


@pytest.mark.parametrize(
    ("start", "frequency", "settings", "last"),
    [
        ("9999-01-01", "monthly", {}, ("9999-12-01", "9999-12-31")),
        ("9999-11-15", "quarterly", {"alignment": "calendar"}, ("9999-11-15", "9999-12-31")),
        (
            "9999-11-15",
            "monthly",
            {"alignment": "month_end", "timing": "arrears"},
            ("9999-12-01", "9999-12-31"),
        ),
        ("9999-12-30", "daily", {}, ("9999-12-31", "9999-12-31")),
        (
            "9999-12-25",
            "weekly",
            {"alignment": "calendar"},
            ("9999-12-25", "9999-12-26"),
        ),  # Mon 27 Dec ends in 10000
        ("9998-03-15", "annual", {"year_end_cut": True}, ("9999-01-01", "9999-12-31")),
    ],
)
def test_schedules_reaching_the_end_of_the_calendar(start, frequency, settings, last):
    found = _installments(contract(start, frequency, **settings))
    assert found, "no installment at all"
    assert (found[-1][0], found[-1][1]) == (d(last[0]), d(last[1]))


def test_the_last_month_of_the_calendar_is_one_period():
    found = periods.periods_until(
        d("9999-10-01"), Frequency.parse("monthly"), "start", False, date.max
    )
    assert [(p[0], p[1]) for p in found][-1] == (d("9999-12-01"), date.max)


def test_due_and_run_reach_at_most_ten_years_past_today():
    today = d("2026-12-01")
    assert latest_date(today) == d("2036-12-01")
    assert check_reach(d("2036-12-01"), today, "--date") == d("2036-12-01")
    with pytest.raises(UserError) as refused:
        check_reach(d("9999-12-31"), today, "--date")
    assert str(refused.value).startswith("--date: 9999-12-31 is more than 10 years after today")
    assert latest_date(d("9995-06-01")) == date.max  # saturates, never overflows
    assert latest_date(d("2024-02-29")) == d("2034-02-28")
