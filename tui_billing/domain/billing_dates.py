"""Previous and next billing date of each contract line (A11), as the engine bills them.

- The *previous* date is the invoice date of the line's last invoiced installment: what
  has been invoiced, not what the terms would have billed by now. A removed line's
  invoices count for the line that took its coverage over (``domain.coverage``).
- The *next* date is the invoice date of the first installment that still bills the line
  once what is invoiced is subtracted (``coverage.unbilled``): possibly a cut, partial one,
  and possibly already due (it waits for the next run). None when nothing more will be
  billed: the contract is not active, or the line's window is over or wholly invoiced.

An advance line's balancing (``KEY:balance``) counts as billing that line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui_billing.domain.coverage import (
    BALANCE_SUFFIX,
    BilledLine,
    coverage_heirs,
    coverage_of,
    unbilled,
)
from tui_billing.domain.installments import InstallmentSpec
from tui_billing.domain.schedule import (
    contract_installments,
    first_recurring_installment,
    line_installment_dates,
)
from tui_billing.domain.terms import ContractTerms, LineTerms

#: How far past the last day invoiced the first search for a next date looks.
FIRST_LOOK = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class BillingDates:
    """A line's last invoiced installment date and its next one to bill; None when none."""

    previous: date | None
    next: date | None


@dataclass(frozen=True, slots=True)
class InvoicedInstallment:
    """One invoiced installment of a contract: its invoice date and its billed lines."""

    invoice_date: date
    lines: tuple[BilledLine, ...]


def line_invoice_dates(terms: ContractTerms, line: LineTerms) -> Iterator[date]:
    """The invoice dates of the installments that carry ``line`` by the terms alone
    (nothing invoiced subtracted), in order, lazily (an open-ended recurring line never
    runs out). The contract's status is not looked at."""
    if line.recurring:
        for invoice_date, _, _ in line_installment_dates(terms, line):
            yield invoice_date
        return
    if terms.one_off_with_first:
        ride = first_recurring_installment(terms)
        if ride is not None:
            yield ride[0]
            return
    day = line.valid_from or terms.start_date
    if day is not None:
        yield day


def _owner(key: str, heirs: dict[str, str]) -> str:
    """The contract line an invoiced (or to be invoiced) line key bills for."""
    key = key.removesuffix(BALANCE_SUFFIX)
    return heirs.get(key, key)


def last_invoiced_dates(
    terms: ContractTerms, invoiced: Iterable[InvoicedInstallment]
) -> dict[str, date]:
    """The invoice date of the last invoiced installment of each line (by key) that has
    one; a removed line's installments count for the line that replaced it."""
    invoiced = list(invoiced)
    heirs = coverage_heirs(terms, coverage_of(li for i in invoiced for li in i.lines))
    keys = {line.key for line in terms.lines}
    found: dict[str, date] = {}
    for installment in invoiced:
        day = installment.invoice_date
        for billed in installment.lines:
            owner = _owner(billed[0], heirs)
            if owner in keys and (owner not in found or found[owner] < day):
                found[owner] = day
    return found


def _last_possible(terms: ContractTerms, line: LineTerms) -> tuple[bool, date | None]:
    """Whether the line bills anything at all, and the last day it can fall due on (None:
    it never ends)."""
    if not line.recurring:
        day = next(line_invoice_dates(terms, line), None)
        return day is not None, day
    window = terms.line_window(line)
    if terms.line_frequency(line) is None or window is None:
        return False, None
    if window[1] is None:
        return True, None
    return True, _shift(window[1], timedelta(days=max(terms.invoice_offset_days, 0)))


def _shift(day: date, delta: timedelta) -> date:
    try:
        return day + delta
    except OverflowError:
        return date.max


def next_billing_dates(
    terms: ContractTerms, billed: Sequence[BilledLine] = ()
) -> dict[str, date | None]:
    """The invoice date of the first installment still billing each line (by key), once
    ``billed`` (the lines of the contract's invoiced installments) is subtracted; None for
    a line that bills nothing more. Only an active contract bills."""
    result: dict[str, date | None] = dict.fromkeys(line.key for line in terms.lines)
    if terms.status != "active":
        return result
    ends: dict[str, date | None] = {}
    starts = []
    for line in terms.lines:
        bills, last = _last_possible(terms, line)
        if bills:
            ends[line.key] = last
            starts.append(terms.line_anchor(line) or last)
    if not ends:
        return result
    reach = max((end for *_, end in billed if end), default=None)  # ISO, sorts as dates
    base = max(
        [day for day in starts if day is not None] + ([date.fromisoformat(reach)] if reach else []),
        default=None,
    )
    if base is None:  # pragma: no cover - a line that bills has a day to bill on
        return result
    span = FIRST_LOOK
    until = _shift(base, span)
    while True:
        specs: Sequence[InstallmentSpec] = contract_installments(terms, until)
        if billed:
            specs = unbilled(terms, specs, billed)
        for spec in specs:
            for li in spec.lines:
                key = li.line_key.removesuffix(BALANCE_SUFFIX)
                if key in ends:
                    found = result[key]
                    if found is None or spec.invoice_date < found:
                        result[key] = spec.invoice_date
        ends = {
            key: last
            for key, last in ends.items()
            if result[key] is None and (last is None or last > until)
        }
        if not ends or until == date.max:
            return result
        span *= 2
        until = _shift(until, span)


def contract_billing_dates(
    terms: ContractTerms, invoiced: Sequence[InvoicedInstallment] = ()
) -> dict[str, BillingDates]:
    """The previous and next billing date of every line, by line key, given the
    contract's invoiced installments."""
    previous = last_invoiced_dates(terms, invoiced)
    following = next_billing_dates(terms, [li for i in invoiced for li in i.lines])
    return {
        line.key: BillingDates(previous.get(line.key), following[line.key]) for line in terms.lines
    }


def line_billing_dates(
    terms: ContractTerms, line: LineTerms, invoiced: Sequence[InvoicedInstallment] = ()
) -> BillingDates:
    """:func:`contract_billing_dates` of one line of ``terms``."""
    return contract_billing_dates(terms, invoiced).get(line.key, BillingDates(None, None))


__all__ = [
    "BillingDates",
    "InvoicedInstallment",
    "contract_billing_dates",
    "last_invoiced_dates",
    "line_billing_dates",
    "line_invoice_dates",
    "next_billing_dates",
]
