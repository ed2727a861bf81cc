"""Why a contract cannot be billed: the reasons an operator must fix, or that it has
invoiced all it ever will; empty when billable."""

from __future__ import annotations

from collections.abc import Sequence

from tui_billing.domain.billing_dates import next_billing_dates
from tui_billing.domain.coverage import BilledLine
from tui_billing.domain.terms import ALIGNMENTS, LINE_DISPLAYS, TIMINGS, ContractTerms

#: The reason of a contract that could bill but has invoiced all it ever will.
NOTHING_LEFT = "nothing left to bill: every line is invoiced to its end"


def why_not_billable(terms: ContractTerms, billed: Sequence[BilledLine] | None = None) -> list[str]:
    """Every reason ``terms`` cannot produce invoices, in English; ``[]`` when it can.

    With ``billed`` (the lines of the contract's invoiced installments), a contract
    that could bill but whose every line is invoiced to its end says so: nothing left.
    """
    reasons: list[str] = []
    if terms.status != "active":
        reasons.append(f"the contract is not active (status: {terms.status})")
    if not terms.customer:
        reasons.append("no customer")
    if not terms.lines:
        reasons.append("no lines")
    if terms.start_date is None and (
        not terms.lines or any(line.valid_from is None for line in terms.lines)
    ):
        reasons.append("no start date")
    if terms.start_date and terms.end_date and terms.end_date < terms.start_date:
        reasons.append("the end date is before the start date")
    for value, choices, what in (
        (terms.alignment, ALIGNMENTS, "alignment"),
        (terms.timing, TIMINGS, "timing"),
        (terms.line_display, LINE_DISPLAYS, "line display"),
    ):
        if value not in choices:
            reasons.append(f"unknown {what} '{value}'")
    for number, line in enumerate(terms.lines, 1):
        name = f"line {number} ({line.description or line.key})"
        if line.unit_price is None:
            reasons.append(f"{name}: no unit price")
        if line.quantity is None or line.quantity == 0:
            reasons.append(f"{name}: no quantity")
        if line.vat_rate is None:
            reasons.append(f"{name}: no VAT rate")
        if line.recurring and terms.line_frequency(line) is None:
            reasons.append(f"{name}: no billing frequency")
        if line.valid_from and line.valid_to and line.valid_to < line.valid_from:
            reasons.append(f"{name}: valid to is before valid from")
        elif line.valid_from and terms.end_date and line.valid_from > terms.end_date:
            reasons.append(f"{name}: valid from is after the contract's end")
        elif line.valid_to and terms.start_date and line.valid_to < terms.start_date:
            reasons.append(f"{name}: valid to is before the contract's start")
    if billed and not reasons and not any(next_billing_dates(terms, billed).values()):
        reasons.append(NOTHING_LEFT)
    return reasons


__all__ = ["NOTHING_LEFT", "why_not_billable"]
