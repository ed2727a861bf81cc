"""The billing periods of a line: frequency, alignment, year-end cut and validity window.

A schedule is generated from its anchor, lazily, and kept in a small cache per
(anchor, frequency, alignment, year_end_cut), since many contracts share one.
Each period also carries the *nominal* period it belongs to (the whole period of
the frequency before a stub, a year-end cut or a validity edge shortened it), which
is what pricing needs to tell a whole period from a short one.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta
from operator import itemgetter
from typing import NamedTuple

from tui_billing.domain.dates import ONE_DAY, clamped, month_first, month_index, month_last
from tui_billing.domain.frequency import Frequency


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


_end_of = itemgetter(1)


def _start_aligned(anchor: date, frequency: Frequency) -> Iterator[Period]:
    """Period k starts at anchor + k x frequency, computed from the anchor, never chained."""
    months = frequency.months
    start = anchor
    if months is None:
        step = timedelta(days=frequency.days)  # type: ignore[arg-type]
        while True:
            following = start + step
            end = following - ONE_DAY
            yield Period(start, end, start, end)
            start = following
    base, day = month_index(anchor), anchor.day
    k = months
    while True:
        following = clamped(base + k, day)
        end = following - ONE_DAY
        yield Period(start, end, start, end)
        start = following
        k += months


def _month_blocks(anchor: date, months: int, first_index: int) -> Iterator[Period]:
    """Blocks of ``months`` whole months from month ``first_index``; the first starts at anchor."""
    index = first_index
    start = anchor
    while True:
        nominal_start = month_first(index)
        end = month_last(index + months - 1)
        yield Period(start, end, nominal_start, end)
        index += months
        start = month_first(index)


def _day_blocks(anchor: date, days: int) -> Iterator[Period]:
    """Blocks of ``days`` days on a fixed grid from Monday 1 January 0001; the first is a stub."""
    ordinal = anchor.toordinal()
    block = ordinal - (ordinal - 1) % days
    start = anchor
    while True:
        nominal_start = date.fromordinal(block)
        end = date.fromordinal(block + days - 1)
        yield Period(start, end, nominal_start, end)
        block += days
        start = date.fromordinal(block)


def _aligned(anchor: date, frequency: Frequency, alignment: str) -> Iterator[Period]:
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


def _year_cut(anchor: date, frequency: Frequency, alignment: str) -> Iterator[Period]:
    """Periods that never cross 31 December; each year restarts anchored on 1 January."""
    base = anchor
    for year in range(anchor.year, 10000):
        last = date(year, 12, 31)
        for period in _aligned(base, frequency, alignment):
            if period.end >= last:
                if period.end == last:
                    yield period
                else:
                    yield Period(period.start, last, period.nominal_start, period.nominal_end)
                break
            yield period
        if year < 9999:
            base = date(year + 1, 1, 1)


def generate_periods(
    anchor: date, frequency: Frequency, alignment: str = "start", year_end_cut: bool = False
) -> Iterator[Period]:
    """All periods from ``anchor``, unclipped by any validity window, until date.max."""
    source = (
        _year_cut(anchor, frequency, alignment)
        if year_end_cut
        else _aligned(anchor, frequency, alignment)
    )
    try:
        yield from source
    except (OverflowError, ValueError):  # the calendar ends in 9999
        return


class PeriodSeries:
    """The periods of one (anchor, frequency, alignment, cut), generated on demand and kept."""

    __slots__ = ("periods", "_source", "_exhausted", "_lock")

    def __init__(self, source: Iterator[Period]) -> None:
        self.periods: list[Period] = []
        self._source = source
        self._exhausted = False
        self._lock = threading.Lock()

    def cover(self, limit: date) -> list[Period]:
        """The periods so far, extended until one starts after ``limit`` (or the calendar ends)."""
        periods = self.periods
        if self._exhausted or (periods and periods[-1].start > limit):
            return periods
        with self._lock:
            source = self._source
            while not self._exhausted and (not periods or periods[-1].start <= limit):
                period = next(source, None)
                if period is None:
                    self._exhausted = True
                else:
                    periods.append(period)
        return periods

    def at(self, index: int) -> Period | None:
        """Period number ``index`` (0 = the first), or None past the end of the calendar."""
        periods = self.periods
        if index < len(periods):
            return periods[index]
        with self._lock:
            while len(periods) <= index and not self._exhausted:
                period = next(self._source, None)
                if period is None:
                    self._exhausted = True
                else:
                    periods.append(period)
        return periods[index] if index < len(periods) else None

    def first_ending_on_or_after(self, day: date) -> int:
        """The index of the first period that ends on or after ``day``."""
        periods = self.cover(day)
        if periods and periods[0].end >= day:
            return 0
        return bisect_left(periods, day, key=_end_of)


_SERIES: dict[tuple[date, int, str, str, bool], PeriodSeries] = {}
_SERIES_MAX = 50_000


def period_series(
    anchor: date, frequency: Frequency, alignment: str = "start", year_end_cut: bool = False
) -> PeriodSeries:
    """The shared, lazily extended series of periods for these settings."""
    key = (anchor, frequency.every, frequency.unit, alignment, year_end_cut)
    series = _SERIES.get(key)
    if series is None:
        if len(_SERIES) >= _SERIES_MAX:
            _SERIES.clear()
        series = _SERIES[key] = PeriodSeries(
            generate_periods(anchor, frequency, alignment, year_end_cut)
        )
    return series


def clear_cache() -> None:
    """Forget every cached series (tests, or to free memory)."""
    _SERIES.clear()


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
    series = period_series(anchor, frequency, alignment, year_end_cut)
    first = anchor if window_start is None or window_start < anchor else window_start
    index = series.first_ending_on_or_after(first)
    while True:
        period = series.at(index)
        if period is None:
            return
        start, end = period.start, period.end
        if start < first:
            start = first
        if window_end is not None:
            if start > window_end:
                return
            if end > window_end:
                end = window_end
        if horizon is not None and start > horizon:
            return
        if start is period.start and end is period.end:
            yield period
        else:
            yield Period(start, end, period.nominal_start, period.nominal_end)
        index += 1


def split_period(period: Period, price_period: Frequency) -> list[Period]:
    """Cut a period into price-period sub-periods counted from its nominal start; each piece
    carries its own whole sub-period as nominal (for one invoice line per sub-period)."""
    pieces: list[Period] = []
    origin = period.nominal_start
    start, k = origin, 0
    while start <= period.end:
        k += 1
        following = price_period.add(origin, k)
        end = following - ONE_DAY
        if end >= period.start:
            pieces.append(
                Period(
                    start if start > period.start else period.start,
                    end if end < period.end else period.end,
                    start,
                    end,
                )
            )
        start = following
    return pieces


__all__ = [
    "Period",
    "PeriodSeries",
    "clear_cache",
    "generate_periods",
    "line_periods",
    "period_series",
    "split_period",
]
