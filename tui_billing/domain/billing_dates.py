"""Next and previous billing date of each contract line as of a date (A11)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tui_billing.domain.schedule import (
    first_recurring_installment,
    line_dates_around,
    line_installment_dates,
)
from tui_billing.domain.terms import ContractTerms, LineTerms


@dataclass(frozen=True, slots=True)
class BillingDates:
    """The last invoice date on or before a day and the first one after it; None when none."""

    previous: date | None
    next: date | None


def line_invoice_dates(terms: ContractTerms, line: LineTerms) -> Iterator[date]:
    """The invoice dates of the installments that carry ``line``, in order, lazily (an
    open-ended recurring line never runs out). The contract's status is not looked at."""
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


def line_billing_dates(terms: ContractTerms, line: LineTerms, as_of: date) -> BillingDates:
    """Previous (on or before ``as_of``) and next (after it) billing date of ``line``.

    ``next`` is None when nothing more will be billed: the line's window is over or the
    contract is not active. A draft contract has billed nothing, so ``previous`` is None too.
    """
    if terms.status == "draft":
        return BillingDates(None, None)
    if line.recurring:
        previous, following = line_dates_around(terms, line, as_of)
    else:
        previous = following = None
        for day in line_invoice_dates(terms, line):
            if day <= as_of:
                previous = day
            else:
                following = day
    if terms.status != "active":
        following = None
    return BillingDates(previous, following)


def contract_billing_dates(terms: ContractTerms, as_of: date) -> dict[str, BillingDates]:
    """:func:`line_billing_dates` of every line, by line key."""
    return {line.key: line_billing_dates(terms, line, as_of) for line in terms.lines}


__all__ = ["BillingDates", "contract_billing_dates", "line_billing_dates", "line_invoice_dates"]
