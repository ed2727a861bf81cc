"""Reading the CSV files of index values and revenue figures: a header row naming the
columns, comma / semicolon / tab separated, decimals with a point or an Italian comma;
each error names the file, row and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.input_rules import check_text
from tui_billing.domain.money import parse_decimal
from tui_billing.domain.parsing import parse_date
from tui_billing.output.csv_text import dict_rows

T = TypeVar("T")
_ITALIAN_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")


def csv_rows(text: str, source: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) of each data row; the header must name ``required``."""
    header, table_rows = dict_rows(text, source)
    names = [name.lower() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise UserError(
            _("the first row must name the columns {columns} (missing: {missing})").format(
                columns=", ".join(required), missing=", ".join(missing)
            ),
            source,
        )
    rows = []
    for number, row in table_rows:
        values = {k.lower(): v for k, v in row.items()}
        if any(values.values()):
            rows.append((number, values))
    return rows


def cell(
    source: str, number: int, row: dict[str, str], column: str, parse: Callable[[str, str], T]
) -> T:
    """``parse(text, where)`` of one cell, its errors naming ``FILE row N, column C``."""
    where = f"{source} row {number}, column {column}"
    text = row.get(column, "")
    if not text:
        raise UserError(_("is required"), where)
    return parse(check_text(text, where), where)


def text_cell(source: str, number: int, row: dict[str, str], column: str) -> str | None:
    """An optional text cell (None when empty), checked as every text entered is."""
    text = row.get(column, "")
    return check_text(text, f"{source} row {number}, column {column}", multiline=True) or None


def decimal_cell(
    text: str, where: str, *, allow_negative: bool = False, places: int = 4
) -> Decimal:
    """A decimal written ``1234.5`` or the Italian way, ``1.234,5``."""
    if "," in text and _ITALIAN_NUMBER.match(text):
        text = text.replace(".", "").replace(",", ".")
    return parse_decimal(text, where, allow_negative=allow_negative, places=places)


def date_cell(text: str, where: str) -> date:
    return parse_date(text, where)


__all__ = ["cell", "csv_rows", "date_cell", "decimal_cell", "text_cell"]
