"""Reading form fields: dates and amounts as operators type them, each error one message
for the field, shown beside it; nothing is saved while a field is wrong."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from textual.widgets import Input, Static

from tui_billing.domain.errors import UserError
from tui_billing.domain.input_rules import check_date
from tui_billing.domain.money import parse_decimal

_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_form_date(text: str, field: str = "date") -> dt.date:
    """``dd/mm/yyyy`` (also with ``.`` or ``-``) or ISO ``yyyy-mm-dd``; refuses impossible
    dates, and dates outside 1970..2199, with a message naming ``field``."""
    value = text.strip()
    if not value:
        raise UserError("a date is required (dd/mm/yyyy)", field)
    match = _DMY.fullmatch(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return check_date(dt.date(year, month, day), field)
        if _ISO.fullmatch(value):
            return check_date(dt.date.fromisoformat(value), field)
    except ValueError:
        raise UserError(f"no such date: {value}", field) from None
    raise UserError(f"not a date: {value[:40]!r} (dd/mm/yyyy)", field)


def parse_optional_date(text: str, field: str = "date") -> dt.date | None:
    """Like :func:`parse_form_date`, but an empty field means no date."""
    return parse_form_date(text, field) if text.strip() else None


def parse_form_amount(text: str, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """An amount as typed: ``1234.50``, ``1.234,50`` or ``1234,5``; at most 2 decimals."""
    value = text.strip().replace(" ", "")
    if not value:
        raise UserError("an amount is required", field)
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    return parse_decimal(value, field, allow_negative=allow_negative, places=2)


def format_rate(rate: Decimal) -> str:
    """A VAT rate without trailing zeros: ``22``, ``5.5``."""
    text = f"{rate.normalize():f}"
    return text


def format_form_date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def show_field_error(field: Input, message: Static, error: UserError | None) -> None:
    """Mark ``field`` invalid with ``error``'s message in ``message`` (or clear both)."""
    field.set_class(error is not None, "-refused")
    message.update(error.message if error is not None else "")
    message.set_class(error is not None, "-shown")


__all__ = [
    "format_form_date",
    "format_rate",
    "parse_form_amount",
    "parse_form_date",
    "parse_optional_date",
    "show_field_error",
]
