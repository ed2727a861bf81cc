"""Calendar arithmetic: month lengths, month indexes, adding months clamped to the month's end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Month index of date.max: add_months beyond it raises OverflowError like date arithmetic.
_MAX_INDEX = 9999 * 12 + 11


def is_leap(year: int) -> bool:
    """True when ``year`` has a 29 February."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1-12) in ``year``."""
    if month == 2:
        return 29 if is_leap(year) else 28
    return _DAYS[month - 1]


def month_index(d: date) -> int:
    """A running month number (year x 12 + month - 1): differences count months."""
    return d.year * 12 + d.month - 1


def month_first(index: int) -> date:
    """The first day of the month with running number ``index``."""
    if not 12 <= index <= _MAX_INDEX:
        raise OverflowError("date out of range")
    return date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> date:
    """The last day of the month with running number ``index``."""
    if not 12 <= index <= _MAX_INDEX:
        raise OverflowError("date out of range")
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, days_in_month(year, month0 + 1))


def clamped(index: int, day: int) -> date:
    """Day ``day`` of month ``index``, or that month's last day when it is shorter."""
    if not 12 <= index <= _MAX_INDEX:
        raise OverflowError("date out of range")
    year, month0 = divmod(index, 12)
    if day > 28:
        last = days_in_month(year, month0 + 1)
        if day > last:
            day = last
    return date(year, month0 + 1, day)


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` months, clamped to the end of a shorter month (31 Jan + 1 = 29 Feb)."""
    return clamped(d.year * 12 + d.month - 1 + months, d.day)


def end_of_month(d: date) -> date:
    """The last day of ``d``'s month."""
    return date(d.year, d.month, days_in_month(d.year, d.month))


def is_month_end(d: date) -> bool:
    """True when ``d`` is the last day of its month."""
    return d.day == days_in_month(d.year, d.month)


def year_end(d: date) -> date:
    """31 December of ``d``'s year."""
    return date(d.year, 12, 31)


def inclusive_days(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, both counted."""
    return (end - start).days + 1


def month_slices(start: date, end: date) -> Iterator[tuple[int, int]]:
    """For each calendar month the span ``[start, end]`` touches: (days covered, days of month)."""
    index, last_index = month_index(start), month_index(end)
    first_day = start.day
    while index <= last_index:
        year, month0 = divmod(index, 12)
        length = days_in_month(year, month0 + 1)
        last_day = end.day if index == last_index else length
        yield last_day - first_day + 1, length
        first_day = 1
        index += 1


__all__ = [
    "ONE_DAY",
    "add_months",
    "clamped",
    "days_in_month",
    "end_of_month",
    "inclusive_days",
    "is_leap",
    "is_month_end",
    "month_first",
    "month_index",
    "month_last",
    "month_slices",
    "year_end",
]
