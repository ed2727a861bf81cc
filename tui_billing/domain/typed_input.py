"""Numbers and dates as people type them in forms and spreadsheet cells, each error naming
its field.

Dates: ``dd/mm/yyyy``, ``dd/mm/yy`` (``/``, ``.`` or ``-`` between) or ISO ``yyyy-mm-dd``;
a two-digit year is 2000-2068 for 00-68 and 1969-1999 for 69-99.

Numbers: ``1234.56``, ``1,234.56``, ``1234,56`` or ``1.234,56``. Where both marks appear,
the last one is the decimal mark and the other separates thousands (in groups of three);
a number with one mark alone reads it as the decimal mark (``1.234`` is one point two three
four, ``1,5`` one and a half); the same mark twice or more separates thousands
(``1.234.567``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.input_rules import check_date
from tui_billing.domain.money import parse_decimal

_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"([+-]?)([0-9.,]+)")
_GROUPED = re.compile(r"[0-9]{1,3}(?:X[0-9]{3})+")
#: Two-digit years up to this one are 20yy, later ones 19yy (as strptime's ``%y``).
_LAST_20YY = 68


def parse_day(text: str, field: str = "date") -> dt.date:
    """A date as typed (see the module); impossible dates and dates outside 1970..2199 are
    refused, with a message naming ``field``."""
    value = text.strip()
    if not value:
        raise UserError(_("a date is required (dd/mm/yyyy)"), field)
    match = _DMY.fullmatch(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000 if year <= _LAST_20YY else 1900
            return check_date(dt.date(year, month, day), field)
        if _ISO.fullmatch(value):
            return check_date(dt.date.fromisoformat(value), field)
    except ValueError:
        raise UserError(_("no such date: {value}").format(value=value), field) from None
    raise UserError(_("not a date: {value} (dd/mm/yyyy)").format(value=repr(value[:40])), field)


def parse_optional_day(text: str, field: str = "date") -> dt.date | None:
    """Like :func:`parse_day`, but an empty field means no date."""
    return parse_day(text, field) if text.strip() else None


def plain_number(text: str) -> str:
    """A number as typed (see the module) in the plain form ``1234.56``; text that is not
    such a number is returned as it is, for the reader of the field to refuse."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text
    sign, digits = match.groups()
    commas, points = digits.count(","), digits.count(".")
    if commas and points:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _mark, fraction = digits.rpartition(decimal_mark)
        if decimal_mark in whole or not fraction:
            return text
    elif commas + points == 1:
        whole, _mark, fraction = digits.replace(",", ".").partition(".")
        return f"{sign}{whole}.{fraction}" if whole or fraction else text
    elif commas or points:
        group_mark = "," if commas else "."
        whole, fraction = digits, ""
    else:
        return text
    if not _GROUPED.fullmatch(whole.replace(group_mark, "X")):
        return text
    plain = whole.replace(group_mark, "")
    return f"{sign}{plain}.{fraction}" if fraction else f"{sign}{plain}"


def parse_amount(
    text: str,
    field: str = "amount",
    *,
    places: int = 2,
    allow_negative: bool = False,
) -> Decimal:
    """An amount as typed (see the module), at most ``places`` decimals; refused with a
    message naming ``field``."""
    value = text.strip().replace(" ", "")
    if not value:
        raise UserError(_("an amount is required"), field)
    return parse_decimal(plain_number(value), field, allow_negative=allow_negative, places=places)


__all__ = ["parse_amount", "parse_day", "parse_optional_day", "plain_number"]
