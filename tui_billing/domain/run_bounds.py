"""How far a billing run or a due listing may reach: a date at most ten years past today,
and at most so many periods caught up for one contract in one run (a start date typed
wrong by centuries must not issue thousands of invoices)."""

from __future__ import annotations

from datetime import date

from tui_billing.domain.dates import add_months
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

MAX_YEARS_AHEAD = 10
DEFAULT_MAX_PERIODS = 24  # [billing] max_periods_per_contract


def latest_date(today: date) -> date:
    """The last date ``due`` and ``run`` accept: ten years past ``today`` (at most the
    calendar's last day)."""
    try:
        return add_months(today, 12 * MAX_YEARS_AHEAD)
    except OverflowError:
        return date.max


def check_reach(day: date, today: date, field: str) -> date:
    """``day`` when it is at most ten years past ``today``; else a UserError naming ``field``."""
    if day > latest_date(today):
        raise UserError(
            _(
                "{day} is more than {years} years after today ({today}); "
                "the latest date accepted is {latest}"
            ).format(
                day=day.isoformat(),
                years=MAX_YEARS_AHEAD,
                today=today.isoformat(),
                latest=latest_date(today).isoformat(),
            ),
            field,
        )
    return day


def _day(value: date) -> str:
    """dd/mm/yyyy, with the year in four digits whatever it is (strftime drops zeros)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def too_many_periods(periods: int, limit: int, first_due: date) -> str:
    """Why a contract with ``periods`` invoice dates to catch up is left out of a run."""
    return (
        f"not billed: {periods} periods to catch up (the first due on {_day(first_due)}), "
        f"more than the {limit} allowed ([billing] max_periods_per_contract); check its "
        f"start date, or bill them with 'run --catch-up-beyond {periods}'"
    )


__all__ = [
    "DEFAULT_MAX_PERIODS",
    "MAX_YEARS_AHEAD",
    "check_reach",
    "latest_date",
    "too_many_periods",
]
