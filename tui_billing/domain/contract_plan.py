"""A contract's installment plan ("ricorrenza fatturazione", S0) as terms the engine bills.

The plan has two optional parts, kept on the contract:

- an *amount per installment*: each recurring installment bills this fixed amount, on one
  invoice line, in place of the prices of the contract's recurring lines (the line takes its
  description and VAT rate from the first recurring line; a short period is prorated as
  any line is, unless ``prorate`` is off; an index or steps of those lines do not apply).
  One-off lines still bill as they are.
- a *number of installments*: the contract stops after that many periods of its own
  schedule (frequency, start date, alignment, year-end cut), as if it ended there.

:func:`with_plan` turns a contract's terms into the terms that bill the plan, so the
schedule engine, the materializer and the billing dates need nothing else.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from tui_billing.domain.periods import raw_periods
from tui_billing.domain.plans import MAX_INSTALLMENTS
from tui_billing.domain.terms import ContractTerms, LineTerms


def plan_end(terms: ContractTerms, count: int) -> date | None:
    """The last day of the ``count``-th period of the contract's schedule; None without a
    start date or frequency to count from."""
    if terms.start_date is None or terms.frequency is None or count < 1:
        return None
    for number, period in enumerate(
        raw_periods(terms.start_date, terms.frequency, terms.alignment, terms.year_end_cut), 1
    ):
        if number >= min(count, MAX_INSTALLMENTS):
            return period[1]
    return None  # pragma: no cover - the calendar ends first


def plan_line(terms: ContractTerms, amount: Decimal) -> LineTerms | None:
    """The invoice line that bills ``amount`` every installment; None without a recurring
    line to take its description and VAT rate from. It bills as that first recurring line
    (its key): a period that line has invoiced is never billed again by the plan, nor the
    other way round when the plan is removed."""
    first = next((line for line in terms.lines if line.recurring), None)
    if first is None:
        return None
    return LineTerms(
        first.key,
        first.description,
        Decimal(1),
        amount,
        first.vat_rate,
        True,
        frequency=None if terms.frequency is not None else first.frequency,
        article=first.article,
        vat_nature=first.vat_nature,
    )


def with_plan(terms: ContractTerms, amount: Decimal | None, count: int | None) -> ContractTerms:
    """``terms`` as the plan bills them (unchanged when neither part is set)."""
    if amount is None and count is None:
        return terms
    if count is not None:
        end = plan_end(terms, count)
        if end is not None and (terms.end_date is None or end < terms.end_date):
            terms = replace(terms, end_date=end)
    if amount is not None:
        line = plan_line(terms, amount)
        if line is not None:
            terms = replace(
                terms,
                lines=(line, *(li for li in terms.lines if not li.recurring)),
                economics=_without_recurring(terms),
            )
    return terms


def _without_recurring(terms: ContractTerms) -> object | None:
    """The contract's economics less the rules of its recurring lines: the plan's amount
    is fixed, whatever index or steps those lines had."""
    economics: Any = terms.economics
    if economics is None:
        return None
    recurring = {li.key for li in terms.lines if li.recurring}
    rules = {key: rule for key, rule in economics.lines.items() if key not in recurring}
    return replace(economics, lines=rules) if rules else None


__all__ = ["plan_end", "plan_line", "with_plan"]
