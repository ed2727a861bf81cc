"""The billing periods of a line: frequency, alignment, year-end cut and validity window.

A schedule is generated from its anchor, lazily. Each period also carries the *nominal*
period it belongs to (the whole period of the frequency before a stub, a year-end cut or a
validity edge shortened it), which is what pricing needs to tell a whole period from a
short one. Internally periods are plain 4-tuples ``(start, end, nominal_start,
nominal_end)``; :class:`Period` is the same tuple with names, for callers.

The schedule engine asks :func:`periods_until` for the periods of many contracts sharing
an anchor and a frequency: it keeps them in a bounded cache of plain tuples, which the
garbage collector stops tracking (a cache of tracked objects costs more in collections
than it saves).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, NamedTuple

from tui_billing.domain.dates import ONE_DAY, days_in_month, month_first, month_index
from tui_billing.domain.frequency import Frequency

RawPeriod = tuple[date, date, date, date]

# The calendar ends on 31 December 9999: a period ending that day is its last one, and a
# period that would end later is none (the schedule stops there).
_AFTER_LAST_MONTH = month_index(date.max) + 1  # January 10000, as a month index
_LAST_ORDINAL = date.max.toordinal()


class Period(NamedTuple):
    """A billing period ``[start, end]`` (days included) inside its nominal whole period."""

    start: date
    end: date
    nominal_start: date
    nominal_end: date

    @property
    def whole(self) -> bool:
        """True when nothing shortened the period."""
        return self.start == self.nominal_start and self.end == self.nominal_end


_tuple_new = tuple.__new__  # Period(...) without NamedTuple.__new__'s Python-level call


def _start_aligned(anchor: date, frequency: Frequency) -> Iterator[RawPeriod]:
    """Period k starts at anchor + k x frequency, computed from the anchor, never chained."""
    months = frequency.months
    start = anchor
    one_day = ONE_DAY
    if months is None:
        step = timedelta(days=frequency.days)  # type: ignore[arg-type]
        while True:
            try:
                following = start + step
            except OverflowError:
                if start.toordinal() + step.days - 1 == _LAST_ORDINAL:
                    yield start, date.max, start, date.max  # the calendar's last period
                return
            end = following - one_day
            yield start, end, start, end
            start = following
    index, day = month_index(anchor) + months, anchor.day
    while True:
        if index >= _AFTER_LAST_MONTH:
            if index == _AFTER_LAST_MONTH and day == 1:
                yield start, date.max, start, date.max  # the calendar's last period
            return
        year, month0 = divmod(index, 12)
        if day > 28:
            length = days_in_month(year, month0 + 1)
            following = date(year, month0 + 1, day if day <= length else length)
        else:
            following = date(year, month0 + 1, day)
        end = following - one_day
        yield start, end, start, end
        start = following
        index += months


def _month_blocks(anchor: date, months: int, first_index: int) -> Iterator[RawPeriod]:
    """Blocks of ``months`` whole months from month ``first_index``; the first starts at anchor."""
    index = first_index
    start = anchor
    one_day = ONE_DAY
    nominal_start = month_first(index)
    while True:
        index += months
        if index >= _AFTER_LAST_MONTH:
            if index == _AFTER_LAST_MONTH:
                yield start, date.max, nominal_start, date.max  # the calendar's last period
            return
        year, month0 = divmod(index, 12)
        following = date(year, month0 + 1, 1)
        end = following - one_day
        yield start, end, nominal_start, end
        start = nominal_start = following


def _day_blocks(anchor: date, days: int) -> Iterator[RawPeriod]:
    """Blocks of ``days`` days on a fixed grid from Monday 1 January 0001; the first is a stub."""
    ordinal = anchor.toordinal()
    block = ordinal - (ordinal - 1) % days
    start = anchor
    while True:
        nominal_start = date.fromordinal(block)
        end = date.fromordinal(block + days - 1)
        yield start, end, nominal_start, end
        block += days
        start = date.fromordinal(block)


def _aligned(anchor: date, frequency: Frequency, alignment: str) -> Iterator[RawPeriod]:
    """The uncut periods from ``anchor`` under ``alignment`` (start, month_end, calendar)."""
    months = frequency.months
    if alignment == "month_end" and months is not None:
        return _month_blocks(anchor, months, month_index(anchor))
    if alignment == "calendar":
        if months is not None:
            return _month_blocks(anchor, months, month_index(anchor) // months * months)
        if frequency.days != 1:
            return _day_blocks(anchor, frequency.days)  # type: ignore[arg-type]
    return _start_aligned(anchor, frequency)


def _year_cut(anchor: date, frequency: Frequency, alignment: str) -> Iterator[RawPeriod]:
    """Periods that never cross 31 December; each year restarts anchored on 1 January."""
    base = anchor
    for year in range(anchor.year, 10000):
        last = date(year, 12, 31)
        for period in _aligned(base, frequency, alignment):
            if period[1] >= last:
                yield period if period[1] == last else (period[0], last, period[2], period[3])
                break
            yield period
        if year < 9999:
            base = date(year + 1, 1, 1)


def raw_periods(
    anchor: date, frequency: Frequency, alignment: str = "start", year_end_cut: bool = False
) -> Iterator[RawPeriod]:
    """All periods from ``anchor`` as plain tuples, unclipped by any window, until 9999."""
    source = (
        _year_cut(anchor, frequency, alignment)
        if year_end_cut
        else _aligned(anchor, frequency, alignment)
    )
    try:
        yield from source
    except (OverflowError, ValueError):  # the calendar ends in 9999
        return


def generate_periods(
    anchor: date, frequency: Frequency, alignment: str = "start", year_end_cut: bool = False
) -> Iterator[Period]:
    """All periods from ``anchor``, unclipped by any validity window, until 9999."""
    for period in raw_periods(anchor, frequency, alignment, year_end_cut):
        yield _tuple_new(Period, period)


# Two generations: when the young one is full it becomes the old one (the previous old one
# is dropped), and a hit in the old one moves back to the young one. Never emptied at once.
_CACHE: dict[tuple[Any, ...], tuple[tuple[RawPeriod, ...], bool]] = {}
_OLD: dict[tuple[Any, ...], tuple[tuple[RawPeriod, ...], bool]] = {}
_CACHE_MAX = 16_384


def periods_until(
    anchor: date,
    frequency: Frequency,
    alignment: str,
    year_end_cut: bool,
    limit: date,
) -> tuple[RawPeriod, ...]:
    """The periods from ``anchor`` up to the first one starting after ``limit`` included (all
    of them when the calendar ends first), as plain tuples; cached and shared."""
    key = (anchor, frequency.every, frequency.unit, alignment, year_end_cut)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _OLD.get(key)
        if cached is not None:
            _remember(key, cached)
    if cached is not None:
        periods, complete = cached
        if complete or periods[-1][0] > limit:
            return periods
        # Asked for more: go twice as far as now, so a growing horizon costs little.
        try:
            target = max(limit, periods[-1][0] + (periods[-1][0] - anchor))
        except OverflowError:
            target = date.max
    else:
        target = limit
    found: list[RawPeriod] = []
    append = found.append
    complete = True
    source = (
        _year_cut(anchor, frequency, alignment)
        if year_end_cut
        else _aligned(anchor, frequency, alignment)
    )
    try:
        for period in source:
            append(period)
            if period[0] > target:
                complete = False
                break
    except (OverflowError, ValueError):  # the calendar ends in 9999
        pass
    periods = tuple(found)
    _remember(key, (periods, complete))
    return periods


def _remember(key: tuple[Any, ...], value: tuple[tuple[RawPeriod, ...], bool]) -> None:
    """Put ``value`` in the young generation, which turns old when full."""
    global _CACHE, _OLD
    if len(_CACHE) >= _CACHE_MAX:
        _OLD, _CACHE = _CACHE, {}
    _CACHE[key] = value


def clear_cache() -> None:
    """Forget every cached schedule (tests, or to free memory)."""
    _CACHE.clear()
    _OLD.clear()


def line_periods(
    anchor: date,
    frequency: Frequency,
    *,
    alignment: str = "start",
    year_end_cut: bool = False,
    window_start: date | None = None,
    window_end: date | None = None,
    horizon: date | None = None,
) -> Iterator[Period]:
    """The periods of a line, clipped to ``[window_start, window_end]`` (default: from the
    anchor, open-ended), lazily, up to the last one starting on or before ``horizon``."""
    first = anchor if window_start is None or window_start < anchor else window_start
    for period in raw_periods(anchor, frequency, alignment, year_end_cut):
        start, end = period[0], period[1]
        if end < first:
            continue
        if start < first:
            start = first
        if window_end is not None:
            if start > window_end:
                return
            if end > window_end:
                end = window_end
        if horizon is not None and start > horizon:
            return
        yield _tuple_new(Period, (start, end, period[2], period[3]))


def split_period(period: RawPeriod, price_period: Frequency) -> list[Period]:
    """Cut a period into price-period sub-periods counted from its nominal start; each piece
    carries its own whole sub-period as nominal (for one invoice line per sub-period)."""
    pieces: list[Period] = []
    period_start, period_end, origin = period[0], period[1], period[2]
    start, k = origin, 0
    while start <= period_end:
        k += 1
        following = price_period.add(origin, k)
        end = following - ONE_DAY
        if end >= period_start:
            pieces.append(
                Period(
                    start if start > period_start else period_start,
                    end if end < period_end else period_end,
                    start,
                    end,
                )
            )
        start = following
    return pieces


__all__ = [
    "Period",
    "RawPeriod",
    "clear_cache",
    "generate_periods",
    "line_periods",
    "periods_until",
    "raw_periods",
    "split_period",
]
