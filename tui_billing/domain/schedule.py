"""The installments a contract bills up to a date: its lines' periods, priced, grouped, dated."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from math import gcd
from operator import itemgetter
from typing import Any, NamedTuple

from tui_billing.domain.descriptions import period_suffix, period_suffix_iso
from tui_billing.domain.economics import apply_economics
from tui_billing.domain.fast_construct import drafting_twin, fast_constructor
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.installments import (
    InstallmentLine,
    InstallmentSpec,
)
from tui_billing.domain.periods import RawPeriod, periods_until, raw_periods
from tui_billing.domain.periods import clear_cache as clear_period_cache
from tui_billing.domain.pricing import priced, ratio_parts, sub_period_ratios
from tui_billing.domain.terms import ContractTerms, LineTerms

# Group key stand-in for the period of a one-off installment; sorts before any real period.
_NO_DATE = date.min


# Every invoice line of every contract is made here: built fast (see fast_construct).
_make_line = fast_constructor(InstallmentLine)
_make_spec = fast_constructor(InstallmentSpec)
_LineDraft = drafting_twin(InstallmentLine)
_SpecDraft = drafting_twin(InstallmentSpec)
assert _LineDraft is not None and _SpecDraft is not None


def _shift(day: date, delta: timedelta) -> date:
    """``day + delta``, saturating at the ends of the calendar."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta.days > 0 else date.min


class Entry(NamedTuple):
    """One period of a line, clipped and dated. It depends only on the period, the timing
    and the offset, so contracts share them: one cache per (arrears?, offset days), from
    raw period to entry."""

    invoice_date: date
    start: date
    end: date
    key: str  # the installment key
    period: RawPeriod  # the raw period it was clipped from
    whole: bool  # not clipped: the whole period
    suffix_en: str  # the description suffix in English
    suffix_it: str  # and in Italian


_ENTRIES: dict[tuple[bool, int], dict[RawPeriod, Entry]] = {}
_ENTRIES_MAX = 65_536


def _entry_cache(arrears: bool, offset_days: int) -> dict[RawPeriod, Entry]:
    """The entry cache of these settings (emptied when it grows too big)."""
    key = (arrears, offset_days)
    cache = _ENTRIES.get(key)
    if cache is None or len(cache) >= _ENTRIES_MAX:
        cache = _ENTRIES[key] = {}
    return cache


# date -> ISO text: date.isoformat() formats through PyUnicode_FromFormat, slowly.
_ISO: dict[date, str] = {}
_ISO_MAX = 65_536


def _iso(day: date) -> str:
    """``day.isoformat()``, cached."""
    text = _ISO.get(day)
    if text is None:
        if len(_ISO) >= _ISO_MAX:
            _ISO.clear()
        text = _ISO[day] = day.isoformat()
    return text


def _make_entry(period: RawPeriod, arrears: bool, offset_days: int) -> Entry:
    """The entry of a (clipped) period."""
    start, end = period[0], period[1]
    start_iso, end_iso = _iso(start), _iso(end)
    if arrears:
        invoice_date, invoice_iso = end, end_iso
    else:
        invoice_date, invoice_iso = start, start_iso
    if offset_days:
        invoice_date = _shift(invoice_date, timedelta(days=offset_days))
        invoice_iso = _iso(invoice_date)
    return Entry(
        invoice_date,
        start,
        end,
        f"{start_iso}/{end_iso}@{invoice_iso}",
        period,
        start == period[2] and end == period[3],
        period_suffix_iso(start_iso, end_iso, "en"),
        period_suffix_iso(start_iso, end_iso, "it"),
    )


def clear_cache() -> None:
    """Forget every cached schedule and entry (tests, or to free memory)."""
    _ENTRIES.clear()
    _TIMELINES.clear()
    _ISO.clear()
    clear_period_cache()


def _entry(period: RawPeriod, arrears: bool, offset_days: int) -> Entry:
    """The entry of a (clipped) period, from the cache."""
    cache = _entry_cache(arrears, offset_days)
    entry = cache.get(period)
    if entry is None:
        entry = cache[period] = _make_entry(period, arrears, offset_days)
    return entry


# The entries of whole schedules, unclipped, as tuples: (entries, invoice dates, starts),
# up to the first period starting after some day (or to the end of the calendar). Keyed by
# what they depend on: anchor, frequency, alignment, cut, timing and offset.
_TIMELINES: dict[
    tuple[Any, ...], tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool]
] = {}
_TIMELINES_MAX = 65_536
_invoice_date_of, _start_of = itemgetter(0), itemgetter(1)


def _timeline(
    schedule: _Schedule, limit: date
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """The schedule's unclipped entries, covering every period that starts by ``limit``."""
    anchor, frequency, arrears, offset = (
        schedule.anchor,
        schedule.frequency,
        schedule.arrears,
        schedule.offset,
    )
    key = (
        anchor,
        frequency.every,
        frequency.unit,
        schedule.alignment,
        schedule.cut,
        arrears,
        offset,
    )
    found = _TIMELINES.get(key)
    if found is not None:
        if found[3] or found[2][-1] > limit:
            return found[:3]
        # Asked for more: go twice as far as now, so a growing horizon costs little.
        try:
            limit = max(limit, found[2][-1] + (found[2][-1] - anchor))
        except OverflowError:
            limit = date.max
    periods = periods_until(anchor, frequency, schedule.alignment, schedule.cut, limit)
    cache = _entry_cache(arrears, offset)
    entries = []
    for period in periods:
        entry = cache.get(period)
        if entry is None:
            entry = cache[period] = _make_entry(period, arrears, offset)
        entries.append(entry)
    found = (
        tuple(entries),
        tuple(map(_invoice_date_of, entries)),
        tuple(map(_start_of, entries)),
        not periods or periods[-1][0] <= limit,  # the calendar ran out (maybe at once)
    )
    if len(_TIMELINES) >= _TIMELINES_MAX:
        _TIMELINES.clear()
    _TIMELINES[key] = found
    return found[:3]


class _Schedule:
    """How one recurring line is scheduled: what its periods and invoice dates depend on."""

    __slots__ = ("frequency", "anchor", "first", "last", "alignment", "cut", "arrears", "offset")

    def __init__(self, terms: ContractTerms, line: LineTerms, frequency: Frequency, anchor: date):
        start_date, end_date = terms.start_date, terms.end_date
        self.frequency = frequency
        self.anchor = anchor
        self.first = anchor if start_date is None or start_date <= anchor else start_date
        last = line.valid_to
        if end_date is not None and (last is None or end_date < last):
            last = end_date
        self.last = last
        self.alignment = terms.alignment
        self.cut = terms.year_end_cut
        self.arrears = terms.timing == "arrears"
        self.offset = terms.invoice_offset_days

    @property
    def empty(self) -> bool:
        """True when the line's window holds no day."""
        return self.last is not None and self.last < self.first

    def _clip(self, period: RawPeriod) -> RawPeriod | None:
        """``period`` cut to the line's window; None when the window does not touch it."""
        start, end = period[0], period[1]
        first, last = self.first, self.last
        if end < first or (last is not None and start > last):
            return None
        if start < first or (last is not None and end > last):
            if start < first:
                start = first
            if last is not None and end > last:
                end = last
            return start, end, period[2], period[3]
        return period

    def entries(self, until: date) -> tuple[Entry, ...]:
        """The line's entries invoiced on or before ``until``, in order."""
        first, last = self.first, self.last
        # A period starting after ``limit`` is invoiced after ``until`` or lies past ``last``.
        limit = _shift(until, timedelta(days=-self.offset)) if self.offset else until
        if last is not None and last < limit:
            limit = last
        if limit < first:
            return ()
        if first != self.anchor:  # valid from before the contract starts: rare
            return self._clipped_entries(until, limit)
        entries, dates, starts = _timeline(self, limit)
        count = bisect_right(dates, until)
        if last is None:
            return entries[:count]
        within = bisect_right(starts, last)  # entries starting on or before ``last``
        if within <= count:
            found = entries[:within]
            if found and found[-1].end > last:
                found = found[:-1] + (self._cut(found[-1]),)
            return found
        found = entries[:count]
        if within == count + 1 and entries[count].end > last:
            # Cut short at ``last``, the period may fall due by ``until`` after all (arrears).
            cut = self._cut(entries[count])
            if cut[0] <= until:
                found += (cut,)
        return found

    def _cut(self, entry: Entry) -> Entry:
        """``entry`` ending on the line's last day instead."""
        period, last = entry.period, self.last
        assert last is not None  # only a line that ends is cut
        return _entry((period[0], last, period[2], period[3]), self.arrears, self.offset)

    def _clipped_entries(self, until: date, limit: date) -> tuple[Entry, ...]:
        """:meth:`entries`, period by period."""
        found = []
        for period in periods_until(self.anchor, self.frequency, self.alignment, self.cut, limit):
            if period[0] > limit:
                break
            clipped = self._clip(period)
            if clipped is None:
                continue
            entry = _entry(clipped, self.arrears, self.offset)
            if entry.invoice_date > until:
                break
            found.append(entry)
        return tuple(found)

    def walk(self) -> Iterator[Entry]:
        """Every entry, lazily, with no horizon (an open-ended line never runs out)."""
        for period in raw_periods(self.anchor, self.frequency, self.alignment, self.cut):
            if self.last is not None and period[0] > self.last:
                return
            clipped = self._clip(period)
            if clipped is not None:
                yield _make_entry(clipped, self.arrears, self.offset)

    def head(self) -> Entry | None:
        """The first entry, whatever its date; None when the line bills nothing."""
        if self.empty:
            return None
        for period in periods_until(
            self.anchor, self.frequency, self.alignment, self.cut, self.first
        ):
            clipped = self._clip(period)
            if clipped is not None:
                return _make_entry(clipped, self.arrears, self.offset)
        return None


def _schedule(terms: ContractTerms, line: LineTerms) -> _Schedule | None:
    """The line's schedule; None for a one-off line or when it has none."""
    if not line.recurring:
        return None
    frequency = line.frequency or terms.frequency
    anchor = line.valid_from or terms.start_date
    if frequency is None or anchor is None:
        return None
    schedule = _Schedule(terms, line, frequency, anchor)
    return None if schedule.empty else schedule


def line_installment_dates(
    terms: ContractTerms, line: LineTerms
) -> Iterator[tuple[date, date, date]]:
    """``(invoice_date, period_start, period_end)`` of each period of a recurring line, in
    order, lazily (an open-ended line never runs out); nothing for a line without schedule."""
    schedule = _schedule(terms, line)
    if schedule is not None:
        for entry in schedule.walk():
            yield entry.invoice_date, entry.start, entry.end


def line_dates_around(
    terms: ContractTerms, line: LineTerms, day: date
) -> tuple[date | None, date | None]:
    """The last invoice date of a recurring line on or before ``day`` and the first one
    after it; None where there is none (nothing billed yet, nothing more to bill)."""
    schedule = _schedule(terms, line)
    if schedule is None:
        return None, None
    before = schedule.entries(day)
    previous = before[-1].invoice_date if before else None
    # Past this day nothing more falls due: the window is over, and so is any offset.
    end = None
    if schedule.last is not None:
        end = _shift(schedule.last, timedelta(days=max(schedule.offset, 0)))
    span, probe = timedelta(days=400), day
    while end is None or probe < end:
        try:
            probe += span
        except OverflowError:
            break
        after = schedule.entries(probe)
        if len(after) > len(before):
            return previous, after[len(before)].invoice_date
        span *= 2
    return previous, None


def _first_entry(schedules: list[_Schedule]) -> Entry | None:
    """The earliest first entry of ``schedules``."""
    best = None
    for schedule in schedules:
        entry = schedule.head()
        if entry is not None and (best is None or entry[:3] < best[:3]):
            best = entry
    return best


def first_recurring_installment(terms: ContractTerms) -> tuple[date, date, date] | None:
    """``(invoice_date, period_start, period_end)`` of the contract's first recurring
    installment, whatever the date; None when no recurring line bills anything."""
    schedules = [s for s in (_schedule(terms, line) for line in terms.lines) if s is not None]
    entry = _first_entry(schedules)
    return None if entry is None else (entry.invoice_date, entry.start, entry.end)


def _column(
    line: LineTerms, frequency: Frequency, entries: tuple[Entry, ...], prorate: bool, italian: bool
) -> list[InstallmentLine]:
    """One invoice line of ``line`` for each entry, described in Italian or English."""
    quantity, unit_price, vat_rate = line.quantity, line.unit_price, line.vat_rate
    line_key, text = line.key, line.description
    reference = line.price_period or frequency
    months, reference_months, reference_days = frequency.months, reference.months, reference.days
    # The (amount, quantity, unit price) of a whole period, when it does not depend on the
    # period's dates.
    whole = None
    if months is not None and reference_months is not None:
        common = gcd(months, reference_months)
        whole = priced(quantity, unit_price, months // common, reference_months // common)
    elif frequency.days is not None and reference_days is not None:
        common = gcd(frequency.days, reference_days)
        whole = priced(
            quantity,
            unit_price,
            frequency.days // common,
            reference_days // common,
        )
    draft, final = _LineDraft, InstallmentLine
    assert draft is not None
    column: list[InstallmentLine] = []
    append = column.append
    # Entries unpacked rather than read by name: this loop makes every invoice line of
    # every contract.
    for _, start, end, _, period, whole_period, suffix_en, suffix_it in entries:
        if whole_period and whole is not None:
            amount, shown_quantity, shown_price = whole
        else:
            num, den = ratio_parts(
                period[0],
                period[1],
                period[2],
                period[3],
                months,
                reference_months,
                reference_days,
                prorate,
            )
            amount, shown_quantity, shown_price = priced(quantity, unit_price, num, den)
        # _make_line inlined: this loop makes every invoice line of every contract.
        made = draft(
            line_key,
            text + (suffix_it if italian else suffix_en),
            start,
            end,
            shown_quantity,
            shown_price,
            amount,
            vat_rate,
            None,
            unit_price,
        )
        made.__class__ = final
        append(made)
    return column


def _pieces(
    line: LineTerms, frequency: Frequency, entry: Entry, prorate: bool, language: str
) -> list[InstallmentLine]:
    """The invoice lines of ``line`` for one period, one per price-period sub-period."""
    quantity, unit_price = line.quantity, line.unit_price
    made = []
    for piece, num, den in sub_period_ratios(
        entry.period,
        frequency,
        line.price_period,  # type: ignore[arg-type]
        prorate,
    ):
        amount, shown_quantity, shown_price = priced(quantity, unit_price, num, den)
        made.append(
            _make_line(
                line.key,
                line.description + period_suffix(piece[0], piece[1], language),
                piece[0],
                piece[1],
                shown_quantity,
                shown_price,
                amount,
                line.vat_rate,
                base_price=unit_price,
            )
        )
    return made


def _one_off_line(line: LineTerms) -> InstallmentLine:
    """The single invoice line of a one-off contract line."""
    amount, quantity, unit_price = priced(line.quantity, line.unit_price, 1)
    return _make_line(
        line.key,
        line.description,
        None,
        None,
        quantity,
        unit_price,
        amount,
        line.vat_rate,
        base_price=line.unit_price,
    )


class _Recurring(NamedTuple):
    """A recurring line with the entries of its schedule up to the horizon."""

    line: LineTerms
    frequency: Frequency
    entries: tuple[Entry, ...]
    schedule: _Schedule
    split: bool  # one invoice line per price-period piece of each period


class _LinePlan(NamedTuple):
    """How a contract's lines are scheduled: what :func:`contract_installments` bills."""

    recurring: list[_Recurring]
    one_offs: list[LineTerms]
    ride: Entry | None  # the installment the one-off lines join (None: their own)
    shared: bool  # every recurring line has the same entries, one invoice line each


def contract_installments(terms: ContractTerms, until: date) -> list[InstallmentSpec]:
    """Every installment of ``terms`` whose invoice date is on or before ``until``, ordered
    by invoice date then period start: what the contract should bill, from its terms alone
    (what is already stored or invoiced is compared by the caller). Only active contracts
    bill; lines that cannot be scheduled (no frequency, no anchor date) are left out: see
    billability.why_not_billable."""
    if terms.economics is not None:  # prices that change, revenue and balancing: economics.py
        unpriced = contract_installments(replace(terms, economics=None), until)
        return apply_economics(terms, unpriced, until)
    if terms.status != "active" or not terms.lines:
        return []
    plan = _line_plan(terms, until)
    if plan.recurring and plan.shared:
        return _shared_installments(terms, plan)
    return _grouped_installments(terms, plan, until)


def _line_plan(terms: ContractTerms, until: date) -> _LinePlan:
    """The contract's lines: recurring ones with their entries up to ``until``, one-offs."""
    per_period = terms.line_display == "per_period"
    # Lines scheduled alike share their entries: (anchor, frequency, first, last) -> entries.
    known: dict[tuple[Any, ...], tuple[_Schedule, tuple[Entry, ...]]] = {}
    recurring: list[_Recurring] = []
    one_offs = []
    shared = True
    for line in terms.lines:
        if not line.recurring:
            one_offs.append(line)
            continue
        found = _line_entries(terms, line, until, known)
        if found is None:
            continue
        schedule, entries = found
        frequency = schedule.frequency
        split = per_period and line.price_period is not None and line.price_period != frequency
        if split or (recurring and entries is not recurring[0].entries):
            shared = False
        recurring.append(_Recurring(line, frequency, entries, schedule, split))
    ride = None
    if one_offs:
        if terms.one_off_with_first:
            ride = _first_entry([found[0] for key, found in known.items() if key])
        if ride is None:
            shared = False
    return _LinePlan(recurring, one_offs, ride, shared)


def _line_entries(
    terms: ContractTerms,
    line: LineTerms,
    until: date,
    known: dict[tuple[Any, ...], tuple[_Schedule, tuple[Entry, ...]]],
) -> tuple[_Schedule, tuple[Entry, ...]] | None:
    """The schedule of a recurring line and its entries up to ``until``, shared with the
    lines scheduled alike (``known``); None when the line has no schedule. Most lines follow
    the contract's own schedule: that one is looked up once (under the key ``()``)."""
    on_contract_schedule = (
        line.frequency is None and line.valid_from is None and line.valid_to is None
    )
    if on_contract_schedule and () in known:
        return known[()]
    schedule = _schedule(terms, line)
    if schedule is None:
        return None
    frequency = schedule.frequency
    key = (schedule.anchor, frequency.every, frequency.unit, schedule.first, schedule.last)
    found = known.get(key)
    if found is None:
        found = known[key] = schedule, schedule.entries(until)
    if on_contract_schedule:
        known[()] = found
    return found


def _shared_installments(terms: ContractTerms, plan: _LinePlan) -> list[InstallmentSpec]:
    """The installments when every recurring line has the same entries, one invoice line
    each: one column of lines per contract line, zipped into rows (the common case)."""
    prorate, italian = terms.prorate, terms.language == "it"
    recurring, ride = plan.recurring, plan.ride
    entries = recurring[0].entries
    columns = [_column(item.line, item.frequency, entries, prorate, italian) for item in recurring]
    rows = list(zip(*columns, strict=True))
    if ride is not None and entries and entries[0][:3] == ride[:3]:  # same dates
        rows[0] += tuple(_one_off_line(line) for line in plan.one_offs)
    draft, final = _SpecDraft, InstallmentSpec
    assert draft is not None
    result: list[InstallmentSpec] = []
    append = result.append
    for entry, row in zip(entries, rows, strict=True):
        spec = draft(entry.key, entry.start, entry.end, entry.invoice_date, row)
        spec.__class__ = final
        append(spec)
    return result


# Installment lines by (invoice date, period start, period end), and each group's key.
_Groups = dict[tuple[date, date, date], list[InstallmentLine]]
_GroupKeys = dict[tuple[date, date, date], str]


def _grouped_installments(
    terms: ContractTerms, plan: _LinePlan, until: date
) -> list[InstallmentSpec]:
    """The installments when lines follow different schedules, are split into price-period
    pieces or one-offs bill on their own: lines grouped by invoice date and period."""
    groups: _Groups = {}
    keys: _GroupKeys = {}
    _group_recurring(terms, plan.recurring, groups, keys)
    _group_one_offs(terms, plan, until, groups, keys)
    result = []
    start: date | None
    end: date | None
    for group_key in sorted(groups):
        invoice_date, start, end = group_key
        if start is _NO_DATE:
            start = end = None
        result.append(
            _make_spec(keys[group_key], start, end, invoice_date, tuple(groups[group_key]))
        )
    return result


def _group_recurring(
    terms: ContractTerms, recurring: list[_Recurring], groups: _Groups, keys: _GroupKeys
) -> None:
    """Each recurring line's invoice lines into the group of their entry."""
    prorate, language = terms.prorate, terms.language
    italian = language == "it"
    for line, frequency, entries, _, split in recurring:
        if split:
            made = [_pieces(line, frequency, entry, prorate, language) for entry in entries]
        else:
            made = _column(line, frequency, entries, prorate, italian)  # type: ignore[assignment]
        for entry, lines in zip(entries, made, strict=True):
            group_key = entry[:3]  # (invoice date, start, end)
            group = groups.get(group_key)
            if group is None:
                group = groups[group_key] = []
                keys[group_key] = entry.key
            if split:
                group.extend(lines)
            else:
                group.append(lines)  # type: ignore[arg-type]


def _group_one_offs(
    terms: ContractTerms, plan: _LinePlan, until: date, groups: _Groups, keys: _GroupKeys
) -> None:
    """Each one-off line into the installment it rides with, else one of its own dated on
    the line's (or the contract's) start; none invoiced after ``until``."""
    ride = plan.ride
    for line in plan.one_offs:
        if ride is not None:
            group_key, installment = ride[:3], ride.key
        else:
            day = line.valid_from or terms.start_date
            if day is None:
                continue
            group_key, installment = (day, _NO_DATE, _NO_DATE), f"once@{day.isoformat()}"
        if group_key[0] > until:
            continue
        if group_key not in groups:
            groups[group_key] = []
            keys[group_key] = installment
        groups[group_key].append(_one_off_line(line))


__all__ = [
    "InstallmentLine",
    "InstallmentSpec",
    "clear_cache",
    "contract_installments",
    "first_recurring_installment",
    "line_dates_around",
    "line_installment_dates",
]
