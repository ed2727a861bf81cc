"""Reading the bank's returned collections as a CSV file (invoice, date, fee, reason):
strict, each error naming the row and the column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.money import ZERO
from tui_billing.domain.parsing import Reader
from tui_billing.output.csv_import import plain_number
from tui_billing.output.csv_text import dict_rows

COLUMNS = ("invoice", "date", "fee", "reason")
REQUIRED = ("invoice", "date")


class _CsvRow(Reader):
    """A CSV row read like a record; its fields are named ``FILE line N, column C``."""

    def __init__(self, record: dict[str, str], path: str) -> None:
        super().__init__(record, path, typed_text=True)

    def at(self, key: str) -> str:
        return f"{self.path}, column {key}"


@dataclass(frozen=True, slots=True)
class ReturnInput:
    """One returned collection to record; ``source`` names it in errors."""

    invoice: str
    date: dt.date
    bank_fee: Decimal
    reason: str | None
    source: Reader

    def at(self, key: str) -> str:
        return self.source.at(key)


def read_return(r: Reader, fee_field: str = "fee") -> ReturnInput:
    """One return from a record (``fee_field`` names the bank's fee)."""
    fee = ZERO
    if r.raw(fee_field, None) not in (None, ""):
        fee = r.decimal(fee_field, places=2)
        if fee < 0:
            raise UserError(_("must not be negative"), r.at(fee_field))
    return ReturnInput(r.text("invoice"), r.date("date"), fee, r.optional_text("reason"), r)


def read_returns(text: str, source: str) -> list[ReturnInput]:
    """The returns of a CSV file whose first row names the columns (invoice and date
    required, fee and reason optional; ``,`` or ``;``; decimal comma accepted). A column not
    among these is refused, so nothing is dropped silently."""
    names, rows = dict_rows(text, source)
    for name in names:
        if name and name not in COLUMNS:
            raise UserError(
                _("unknown column {name} (columns: {columns})").format(
                    name=repr(name), columns=", ".join(COLUMNS)
                ),
                f"{source} line 1",
            )
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise UserError(
            _("the first row must name the columns, including {columns}").format(
                columns=", ".join(f"'{c}'" for c in missing)
            ),
            f"{source} line 1",
        )
    returns = []
    for number, row in rows:
        record = {k: (plain_number(v) if k == "fee" else v) for k, v in row.items() if v != ""}
        returns.append(read_return(_CsvRow(record, f"{source} line {number}")))
    if not returns:
        raise UserError(_("holds no returns"), source)
    return returns


__all__ = ["COLUMNS", "ReturnInput", "read_return", "read_returns"]
