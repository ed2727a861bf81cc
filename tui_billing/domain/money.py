"""Exact money: parsing, rounding to the cent half up, splitting without losing a cent."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.input_rules import DECIMAL_LIMIT
from tui_billing.domain.number_text import decimal_text

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(value: Decimal) -> Decimal:
    """Round to the cent, half up (the rule for invoice lines and VAT)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# A plain decimal as text: ASCII digits, an optional sign and point; no exponent, no
# underscores, no other scripts' digits (Decimal() would take "1e3", "1_000" and "١٢").
_PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def parse_decimal(
    value: object,
    path: str | None = None,
    *,
    allow_negative: bool = False,
    places: int = 4,
    limit: Decimal = DECIMAL_LIMIT,
) -> Decimal:
    """Read a decimal from text (``1234.5``) or a number (never via float); its size must
    stay below ``limit``. Raise UserError naming ``path``."""
    if isinstance(value, bool) or value is None:
        raise UserError(_("not a decimal number"), path)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40 or not _PLAIN_DECIMAL.fullmatch(text):
            raise UserError(_("not a decimal number"), path)
        result = Decimal(text)
    elif isinstance(value, int | Decimal):
        result = Decimal(value)
    else:
        raise UserError(_("not a decimal number"), path)
    if not result.is_finite():
        raise UserError(_("not a decimal number"), path)
    if result < 0 and not allow_negative:
        raise UserError(_("must not be negative"), path)
    if result.copy_abs() >= limit:  # copy_abs never overflows, abs() may (1E+999999999)
        raise UserError(_("must be less than {limit}").format(limit=f"{limit:,f}"), path)
    rounded = result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if result != rounded:
        raise UserError(_("has more than {places} decimals").format(places=places), path)
    exponent = result.as_tuple().exponent  # an int: the value is finite
    if isinstance(exponent, int) and exponent > 0:  # 1E+2 from a JSON number: 100
        result = result.quantize(Decimal(1))
    return result + 0  # -0 reads as 0


def format_money(value: Decimal) -> str:
    """Two decimals, as the JSON outputs carry money: ``"150.00"``."""
    return str(round_money(value))


def split_total(total: Decimal, count: int) -> list[Decimal]:
    """Split ``total`` into ``count`` parts: each total/count rounded down to the cent, the
    leftover cents one each on the last parts. Sum is exact; parts differ by at most a cent."""
    if count <= 0:
        raise UserError(_("the number of installments must be at least 1"))
    cents = int((total / CENT).to_integral_value())
    if Decimal(cents) * CENT != total:
        raise UserError(_("the total has more than 2 decimals"))
    sign = -1 if cents < 0 else 1
    base, leftover = divmod(abs(cents), count)
    parts = [base] * count
    for i in range(count - leftover, count):
        parts[i] += 1
    return [(Decimal(sign * p) * CENT).quantize(CENT) for p in parts]


def to_cents(value: Decimal, places: int = 2) -> int:
    """Scale a decimal to an integer of ``places`` decimals (exact; half up beyond them)."""
    return int(value.scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(value: int, places: int = 2) -> Decimal:
    """The inverse of :func:`to_cents`."""
    return Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places))


__all__ = [
    "CENT",
    "ZERO",
    "format_money",
    "from_cents",
    "parse_decimal",
    "round_money",
    "split_total",
    "to_cents",
]


def format_price(value: Decimal, min_places: int = 2) -> str:
    """At least ``min_places`` decimals, more only when the value has them: 50.00, 12.345."""
    return decimal_text(value, min_places)


def format_quantity(value: Decimal) -> str:
    """As few decimals as the value needs: 1, 2.5, 0.125."""
    return format_price(value, min_places=0)
