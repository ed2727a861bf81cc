"""VAT arithmetic of an invoice, exact in integer cents: VAT per rate on the sum of its
lines, half up, the per-rate summary and the invoice totals (pure: no database)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.money import from_cents
from tui_billing.domain.vat_natures import is_out_of_scope, vat_nature

# Amounts of an invoice in cents, by (VAT rate in hundredths, VAT nature or None).
ByRate = dict[tuple[int, str | None], int]


def decimal_of(value: Any, what: str) -> Decimal:
    """A JSON number or numeric text as a finite Decimal; UserError naming ``what``."""
    if isinstance(value, bool) or value is None:
        raise UserError(_("{what}: not a decimal number").format(what=what))
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise UserError(
            _("{what}: not a decimal number: {value}").format(what=what, value=repr(value))
        ) from None
    if not result.is_finite():
        raise UserError(
            _("{what}: not a decimal number: {value}").format(what=what, value=repr(value))
        )
    return result


@lru_cache(maxsize=65536)
def _scaled_cached(value: Any, places: int) -> int:
    return int(
        decimal_of(value, "installment line")
        .scaleb(places)
        .quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


def scaled(value: Any, places: int) -> int:
    """A JSON number or numeric text as an integer of ``places`` decimals, half up."""
    try:
        return _scaled_cached(value, places)
    except TypeError:  # unhashable: a list or an object where a number belongs
        raise UserError(
            _("installment line: not a decimal number: {value}").format(value=repr(value))
        ) from None


def vat_of(taxable_cents: int, rate_hundredths: int) -> int:
    """VAT in cents on a taxable amount in cents at a rate in hundredths of a percent
    (2200 = 22.00 %), rounded half up (away from zero for negative amounts)."""
    product = abs(taxable_cents) * rate_hundredths  # exact integers: no rounding until here
    vat = (product + 5000) // 10000
    return vat if taxable_cents >= 0 else -vat


def vat_summary(lines: Iterable[tuple[Decimal, Decimal]]) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(rate, taxable, VAT) per VAT rate, by rate, from (amount, rate) pairs of lines that
    are all taxed: see :func:`vat_summary_rows` for lines that may have a VAT nature."""
    return [
        (rate, amount, vat)
        for rate, _nature, amount, vat in vat_summary_rows((a, r, None) for a, r in lines)
    ]


def vat_summary_rows(
    lines: Iterable[tuple[Decimal, Decimal, str | None]],
) -> list[tuple[Decimal, str | None, Decimal, Decimal]]:
    """(rate, nature, amount, VAT) per VAT rate, then per VAT nature, from the (amount,
    rate, nature) of the lines: each amount to the cent half up, VAT once per rate on the
    sum of its lines, half up; a nature's row (N1...) carries no VAT."""
    by_rate: ByRate = {}
    for amount, rate, nature in lines:
        key = (scaled(rate, 2), line_nature(nature))
        by_rate[key] = by_rate.get(key, 0) + scaled(amount, 2)
    return [
        (
            from_cents(rate),
            nature,
            from_cents(amount),
            from_cents(vat_of(amount, rate) if nature is None else 0),
        )
        for (rate, nature), amount in sorted(
            by_rate.items(), key=lambda item: (item[0][1] or "", item[0][0])
        )
    ]


def line_nature(value: Any) -> str | None:
    """A line's VAT nature, checked (None or missing: taxed at its rate)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise UserError(
            _("not a VAT nature: {value}").format(value=repr(value)), "installment line: vat_nature"
        )
    return vat_nature(value, "installment line: vat_nature").code


def invoice_totals(by_rate: ByRate) -> tuple[int, int, int, int]:
    """Taxable, VAT, total and the amount out of VAT scope, in cents."""
    taxable = vat = out_of_scope = 0
    for (rate, nature), amount in by_rate.items():
        if is_out_of_scope(nature):
            out_of_scope += amount
            continue
        taxable += amount
        if nature is None:
            vat += vat_of(amount, rate)
    return taxable, vat, taxable + vat + out_of_scope, out_of_scope


__all__ = [
    "ByRate",
    "decimal_of",
    "invoice_totals",
    "line_nature",
    "scaled",
    "vat_of",
    "vat_summary",
    "vat_summary_rows",
]
