"""An installment of a contract as the engine computes it: its invoice lines, its dates and
the stable key that names it within its contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.money import ZERO
from tui_billing.domain.parsing import parse_date


@dataclass(frozen=True, slots=True)
class InstallmentLine:
    """One invoice line of an installment: a contract line for a (sub-)period, priced.

    ``unit_price`` is what the invoice shows: the price of the line's period per unit, so
    that quantity x unit price rounded half up to the cent is ``amount``, exactly (see
    :mod:`tui_billing.domain.line_prices`). ``base_price`` is the price per price period the
    amount was computed from (the contract's, or the indexed or stepped price in force; None
    on lines billed at their unit price, such as late charges): a period cut short later is
    priced from it. ``vat_nature`` (see :mod:`tui_billing.domain.vat_natures`) is None on an
    ordinary line; late-payment interest and recovery fees are "N1", out of the scope of VAT."""

    line_key: str
    description: str
    period_start: date | None
    period_end: date | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    vat_nature: str | None = None
    base_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class InstallmentSpec:
    """What one installment of a contract will put on an invoice, and on which date.

    ``key`` identifies it within its contract and stays the same however often it is
    recomputed: ``"2024-07-01/2024-09-30@2024-07-01"``, or ``"once@2024-03-01"`` for
    one-off lines billed on their own.
    """

    key: str
    period_start: date | None
    period_end: date | None
    invoice_date: date
    lines: tuple[InstallmentLine, ...]

    @property
    def amount(self) -> Decimal:
        """The sum of the line amounts (net of VAT)."""
        total = ZERO
        for line in self.lines:
            total += line.amount
        return total

    @property
    def one_off(self) -> bool:
        """True for an installment of one-off lines only (no period)."""
        return self.period_start is None


def installment_key(period_start: date | None, period_end: date | None, invoice_date: date) -> str:
    """The stable key of an installment: ``"START/END@INVOICE_DATE"`` or ``"once@DATE"``."""
    if period_start is None or period_end is None:
        return f"once@{invoice_date.isoformat()}"
    return f"{period_start.isoformat()}/{period_end.isoformat()}@{invoice_date.isoformat()}"


def parse_installment_key(key: str) -> tuple[date | None, date | None, date]:
    """The inverse of :func:`installment_key`; raise UserError on anything else."""
    period, sep, day = key.partition("@")
    if not sep:
        raise UserError(_("not an installment key: '{key}'").format(key=key))
    invoice_date = parse_date(day)
    if period == "once":
        return None, None, invoice_date
    start, sep, end = period.partition("/")
    if not sep:
        raise UserError(_("not an installment key: '{key}'").format(key=key))
    return parse_date(start), parse_date(end), invoice_date


__all__ = [
    "InstallmentLine",
    "InstallmentSpec",
    "installment_key",
    "parse_installment_key",
]
