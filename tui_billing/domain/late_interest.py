"""Late-payment interest and the recovery fee: the pure arithmetic and the line texts.

Simple interest, amount x annual rate x days / 365, day by day: each day from the day
after the due date to the day of payment counts once, at the rate of its half-year and on
the capital still open at the start of that day (a payment dated P covers the interest
through P and lowers the base from P + 1). Payments go to the late charges already billed on
the invoice first, then to its capital (art. 1194 c.c.), and interest never runs on
interest. The grace period is a tolerance: capital paid within ``grace_days`` of the due
date owes nothing; capital still open after it owes interest from the day after the due
date (the day the law starts counting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tui_billing.domain.descriptions import format_date
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.legal_rates import half_year_end
from tui_billing.domain.money import ZERO, round_money

RULES = ("none", "fixed", "legal")
DAYS_IN_YEAR = Decimal(365)
ONE_DAY = dt.timedelta(days=1)

RateOf = Callable[[dt.date], Decimal | None]  # annual percent on a day; None when unknown


@dataclass(frozen=True, slots=True)
class LateTerms:
    """A contract's late-payment terms."""

    rule: str = "none"  # none, fixed, legal
    fixed_rate: Decimal | None = None  # annual percent, with rule "fixed"
    grace_days: int = 0
    fee: Decimal = ZERO  # recovery fee per late invoice (Italy: 40.00 EUR flat)

    @property
    def charges_anything(self) -> bool:
        return self.rule != "none" or self.fee > 0


def check_late_terms(
    rule: str | None,
    fixed_rate: Decimal | None,
    grace_days: int | None,
    fee: Decimal | None,
    path: str | None = None,
) -> LateTerms:
    """Validated terms; ``path`` names the record (``contracts[2]``) in errors."""

    def at(name: str) -> str | None:
        return f"{path}.{name}" if path else name

    rule = rule or "none"
    if rule not in RULES:
        raise UserError(
            _("unknown value {value} (one of: {choices})").format(
                value=repr(rule), choices=", ".join(RULES)
            ),
            at("late_interest"),
        )
    if rule == "fixed" and fixed_rate is None:
        raise UserError(_("is required when late_interest is 'fixed'"), at("late_interest_rate"))
    if rule != "fixed" and fixed_rate is not None:
        raise UserError(_("is only used when late_interest is 'fixed'"), at("late_interest_rate"))
    if fixed_rate is not None and not ZERO < fixed_rate <= 100:
        raise UserError(
            _("must be an annual percentage above 0 and at most 100"), at("late_interest_rate")
        )
    if grace_days is not None and grace_days < 0:
        raise UserError(_("must not be negative"), at("late_grace_days"))
    if fee is not None and fee < 0:
        raise UserError(_("must not be negative"), at("late_fee"))
    return LateTerms(rule, fixed_rate, grace_days or 0, fee if fee is not None else ZERO)


@dataclass(frozen=True, slots=True)
class LateItem:
    """An invoice as late-payment interest sees it."""

    invoice: str  # its number
    due_date: dt.date
    capital: Decimal  # what interest runs on: the total less the late charges billed on it
    charges: Decimal = ZERO  # late charges billed on this invoice, paid first
    payments: tuple[tuple[dt.date, Decimal], ...] = ()

    def capital_open(self, after: dt.date) -> Decimal:
        """The capital still open once the payments dated on or before ``after`` are in."""
        paid = sum((amount for day, amount in self.payments if day <= after), ZERO)
        return max(ZERO, self.capital - max(ZERO, paid - self.charges))

    def grace_end(self, terms: LateTerms) -> dt.date:
        return self.due_date + dt.timedelta(days=terms.grace_days)

    def is_late(self, terms: LateTerms, on: dt.date) -> bool:
        """Whether, seen on ``on``, capital is still open (or was paid) past the grace."""
        end = self.grace_end(terms)
        return on > end and self.capital_open(end) > 0


@dataclass(frozen=True, slots=True)
class Accrual:
    """Consecutive days with the same base and rate."""

    first: dt.date
    last: dt.date
    base: Decimal
    rate: Decimal  # annual percent

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def interest(self) -> Decimal:
        """Exact, not rounded: the line rounds the sum of its accruals."""
        return self.base * self.rate / 100 * self.days / DAYS_IN_YEAR


def accruals(
    item: LateItem,
    terms: LateTerms,
    after: dt.date | None,
    until: dt.date,
    rate_of: RateOf,
    *,
    on: dt.date | None = None,
) -> list[Accrual]:
    """The interest days of ``item`` after ``after`` (None: the due date) through ``until``,
    in runs of equal base and rate. Stops at the first day whose rate is unknown, so those
    days are billed once the rate is known; empty while the item is not late as seen on
    ``on`` (default ``until``)."""
    if terms.rule == "none" or not item.is_late(terms, on or until):
        return []
    first = max(after or item.due_date, item.due_date) + ONE_DAY
    late_capital = item.capital_open(item.grace_end(terms))
    breaks = sorted({day + ONE_DAY for day, _paid in item.payments if first <= day < until})
    result: list[Accrual] = []
    day = first
    while day <= until:
        base = min(item.capital_open(day - ONE_DAY), late_capital)
        if base <= 0:
            break
        rate = terms.fixed_rate if terms.rule == "fixed" else rate_of(day)
        if rate is None:
            break
        last = min(until, half_year_end(day) if terms.rule == "legal" else until)
        for point in breaks:
            if day < point <= last:
                last = point - ONE_DAY
                break
        if result and result[-1].base == base and result[-1].rate == rate:
            result[-1] = Accrual(result[-1].first, last, base, rate)
        else:
            result.append(Accrual(day, last, base, rate))
        day = last + ONE_DAY
    return result


def interest_amount(runs: Sequence[Accrual]) -> Decimal:
    """The interest of one line: its accruals summed exactly, rounded to the cent half up."""
    return round_money(sum((r.interest for r in runs), ZERO))


def _number(value: Decimal, language: str) -> str:
    text = f"{value:,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if language == "it" else text


def interest_description(item: LateItem, runs: Sequence[Accrual], language: str = "it") -> str:
    """``Interessi di mora fattura A/2026/0001 scaduta il 31/01/2026: 59 gg dal 01/02/2026 al
    31/03/2026 al 10,15% su 1.220,00``; one part per run of equal base and rate."""
    if language == "it":
        parts = [
            f"{r.days} gg dal {format_date(r.first)} al {format_date(r.last)} al "
            f"{_number(r.rate, 'it')}% su {_number(r.base, 'it')}"
            for r in runs
        ]
        head = f"Interessi di mora fattura {item.invoice} scaduta il {format_date(item.due_date)}"
    else:
        parts = [
            f"{r.days} days {format_date(r.first)}-{format_date(r.last)} at "
            f"{_number(r.rate, 'en')}% on {_number(r.base, 'en')}"
            for r in runs
        ]
        head = f"Late-payment interest on invoice {item.invoice} due {format_date(item.due_date)}"
    return f"{head}: {'; '.join(parts)}"


def fee_description(item: LateItem, language: str = "it") -> str:
    """The recovery-fee line's text (D.Lgs. 231/2002, art. 6)."""
    if language == "it":
        return (
            f"Spese di recupero per ritardato pagamento fattura {item.invoice} scaduta il "
            f"{format_date(item.due_date)} (art. 6 D.Lgs. 231/2002)"
        )
    return (
        f"Recovery costs for the late payment of invoice {item.invoice} due "
        f"{format_date(item.due_date)} (art. 6 D.Lgs. 231/2002)"
    )


__all__ = [
    "ONE_DAY",
    "RULES",
    "Accrual",
    "LateItem",
    "LateTerms",
    "accruals",
    "check_late_terms",
    "fee_description",
    "interest_amount",
    "interest_description",
]
