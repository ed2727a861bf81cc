"""Reading form fields: dates and amounts as operators type them, each error one message
for the field, shown beside it; nothing is saved while a field is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import Input, Static

from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.typed_input import parse_amount, parse_day, parse_optional_day


def parse_form_date(text: str, field: str = "date") -> dt.date:
    """``dd/mm/yyyy``, ``dd/mm/yy`` (also with ``.`` or ``-``) or ISO ``yyyy-mm-dd``;
    refuses impossible dates, and dates outside 1970..2199, with a message naming ``field``."""
    return parse_day(text, field)


def parse_optional_date(text: str, field: str = "date") -> dt.date | None:
    """Like :func:`parse_form_date`, but an empty field means no date."""
    return parse_optional_day(text, field)


def parse_form_amount(text: str, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """An amount as typed: ``1234.50``, ``1,234.50``, ``1.234,50`` or ``1234,5``; at most 2
    decimals."""
    return parse_amount(text, field, allow_negative=allow_negative)


def format_rate(rate: Decimal) -> str:
    """A VAT rate without trailing zeros: ``22``, ``5.5``."""
    return display.rate(rate)


def format_form_date(value: dt.date | None) -> str:
    """A date as a form field shows it: ``dd/mm/yyyy`` (empty for none)."""
    return display.day(value)


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
