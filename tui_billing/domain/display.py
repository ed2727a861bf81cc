"""Numbers and dates as people read them: money, prices, quantities, rates, index values,
dates, date spans and counts, in one style, English (``1,234.56``) or Italian
(``1.234,56``); dates are ``dd/mm/yyyy`` in both.

The style in use is one setting for the whole program (:func:`set_style`, English unless
changed); a caller that must keep one style whatever the setting (an Italian document)
passes ``style=`` explicitly. Amounts are rounded half up, as invoices round them, and
never written in exponent form (``100``, never ``1E+2``). For JSON and interchange files,
which have no style, see :mod:`tui_billing.domain.number_text`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from tui_billing.domain.number_text import INDEX_PLACES, decimal_text

StyleName = Literal["en", "it"]


@dataclass(frozen=True, slots=True)
class Style:
    """How one language writes numbers: its decimal mark and thousands separator."""

    name: StyleName
    decimal_point: str
    thousands_separator: str


ENGLISH = Style("en", ".", ",")
ITALIAN = Style("it", ",", ".")
STYLES: dict[str, Style] = {"en": ENGLISH, "it": ITALIAN}

_current: Style = ENGLISH


def set_style(name: str) -> None:
    """Use the style ``name`` ("en" or "it") from now on; ValueError for any other."""
    global _current
    _current = style_named(name)


def current_style() -> Style:
    """The style in use (English unless :func:`set_style` changed it)."""
    return _current


def style_named(name: str | Style | None) -> Style:
    """The style ``name`` (a Style is returned as it is; None is the one in use)."""
    if name is None:
        return _current
    if isinstance(name, Style):
        return name
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError(f"no display style {name!r} (one of: {', '.join(STYLES)})") from None


def number(
    value: Decimal | int | str,
    min_places: int = 0,
    max_places: int | None = None,
    *,
    style: str | Style | None = None,
) -> str:
    """``value`` with thousands separators and at least ``min_places`` decimals, more when
    it has them, up to ``max_places`` (rounded half up there; None: all it has). Zero is
    never negative (``0.00``, not ``-0.00``)."""
    amount = Decimal(value)
    if max_places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    plain = decimal_text(amount, min_places)
    sign = "-" if plain.startswith("-") and amount != 0 else ""
    whole, _, fraction = plain.lstrip("-").partition(".")
    chosen = style_named(style)
    grouped = f"{int(whole):,}".replace(",", chosen.thousands_separator)
    return f"{sign}{grouped}{chosen.decimal_point}{fraction}" if fraction else f"{sign}{grouped}"


def money(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """An amount: two decimals, half up, grouped: ``1,234.56`` / ``1.234,56`` (empty for
    None or empty text)."""
    if value is None or value == "":
        return ""
    return number(value, 2, 2, style=style)


def price(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """A unit price: at least two decimals, more when it has them (``12.345``)."""
    if value is None or value == "":
        return ""
    return number(value, 2, style=style)


def quantity(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """A quantity with as few decimals as it needs: ``1``, ``2.5``, ``1,000``."""
    if value is None or value == "":
        return ""
    return number(value, 0, style=style)


def rate(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """A rate (VAT, interest) in percent, without the sign and trailing zeros: ``22``,
    ``5.5``, ``8.15``."""
    if value is None or value == "":
        return ""
    return number(value, 0, style=style)


def percent(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """A rate with its percent sign: ``22%``, ``5.5%`` (empty for None)."""
    text = rate(value, style=style)
    return f"{text}%" if text else ""


def index_value(value: Decimal | int | str | None, *, style: str | Style | None = None) -> str:
    """A price index value or variation as published, one decimal kept: ``120.0``."""
    if value is None or value == "":
        return ""
    return number(value, INDEX_PLACES, style=style)


def day(value: dt.date | str | None, *, style: str | Style | None = None) -> str:
    """A date as ``dd/mm/yyyy`` (an ISO string is accepted; empty for None). Both styles
    write it so; the year always has four digits."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC, as the database keeps it) on the local clock: what the
    operator's watch said then."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def moment(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """A stored moment (naive UTC) on the local clock: ``06/12/2026 02:30`` (empty for
    None)."""
    if value is None:
        return ""
    local = local_time(value)
    return (
        f"{day(local.date())} {local:%H:%M:%S}" if seconds else f"{day(local.date())} {local:%H:%M}"
    )


def span(
    start: dt.date | str | None,
    end: dt.date | str | None,
    *,
    style: str | Style | None = None,
) -> str:
    """A period as ``dd/mm/yyyy-dd/mm/yyyy`` (an open end is left empty)."""
    return f"{day(start, style=style)}-{day(end, style=style)}"


def count(
    value: int,
    singular: str,
    plural: str | None = None,
    *,
    style: str | Style | None = None,
) -> str:
    """``1 invoice``, ``2 invoices``, ``1,383 invoices`` (``plural`` when not just +s)."""
    word = singular if value == 1 else (plural or singular + "s")
    return f"{number(value, style=style)} {word}"


__all__ = [
    "ENGLISH",
    "ITALIAN",
    "STYLES",
    "Style",
    "StyleName",
    "count",
    "current_style",
    "day",
    "index_value",
    "local_time",
    "moment",
    "money",
    "number",
    "percent",
    "price",
    "quantity",
    "rate",
    "set_style",
    "span",
]
