"""Calendar arithmetic: month lengths and adding months clamped to the month's end."""

from __future__ import annotations

import pytest

from tests.domain.helpers import d
from tui_billing.domain.dates import (
    add_months,
    days_in_month,
    end_of_month,
    inclusive_days,
    is_leap,
    is_month_end,
    month_first,
    month_index,
    month_last,
    month_slices,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-01-31", 2, "2024-03-31"),
        ("2024-01-31", 3, "2024-04-30"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2024-01-29", 1, "2024-02-29"),
        ("2023-01-29", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-11-15", 2, "2025-01-15"),
        ("2024-12-31", 0, "2024-12-31"),
    ],
)
def test_add_months_clamps_to_the_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


def test_add_months_past_the_calendar_raises_overflow() -> None:
    with pytest.raises(OverflowError):
        add_months(d("9999-12-01"), 1)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2024, 2, 29), (2023, 2, 28), (2100, 2, 28), (2000, 2, 29), (2024, 4, 30), (2024, 12, 31)],
)
def test_days_in_month(year: int, month: int, days: int) -> None:
    assert days_in_month(year, month) == days
    assert is_leap(year) == (days == 29) or month != 2


def test_month_index_round_trips() -> None:
    index = month_index(d("2024-02-17"))
    assert index - month_index(d("2023-02-01")) == 12
    assert month_first(index) == d("2024-02-01")
    assert month_last(index) == d("2024-02-29")


def test_month_end_helpers() -> None:
    assert end_of_month(d("2024-02-10")) == d("2024-02-29")
    assert is_month_end(d("2023-02-28"))
    assert not is_month_end(d("2024-02-28"))
    assert inclusive_days(d("2024-02-10"), d("2024-03-31")) == 51


def test_month_slices_counts_days_per_calendar_month() -> None:
    assert list(month_slices(d("2024-02-10"), d("2024-03-31"))) == [(20, 29), (31, 31)]
    assert list(month_slices(d("2024-01-15"), d("2024-01-31"))) == [(17, 31)]
    assert list(month_slices(d("2024-11-16"), d("2025-01-02"))) == [(15, 30), (31, 31), (2, 31)]
