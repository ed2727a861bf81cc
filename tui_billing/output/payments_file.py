"""Reading a file of payments (CSV or JSON) into checked records, each error naming the
row (or record) and the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.parsing import Reader
from tui_billing.domain.vocabulary import PAYMENT_METHODS
from tui_billing.output.csv_import import plain_number, sniff_rows
from tui_billing.output.interchange_read import loads

COLUMNS = ("invoice", "date", "amount", "method", "reference")


class _CsvRow(Reader):
    """A CSV row read like a record; its fields are named ``FILE row N, column C``."""

    def __init__(self, record: dict[str, str], path: str) -> None:
        super().__init__(record, path, typed_text=True)

    def at(self, key: str) -> str:
        return f"{self.path}, column {key}"


@dataclass(frozen=True, slots=True)
class PaymentInput:
    """One payment to record, checked for form; ``source`` names it in errors."""

    invoice: str  # the invoice number
    date: dt.date
    amount: Decimal
    method: str | None
    reference: str | None
    source: Reader

    def at(self, key: str) -> str:
        return self.source.at(key)


def _payment(r: Reader) -> PaymentInput:
    unknown = [key for key in r.record if key not in COLUMNS]
    if unknown:
        raise UserError(
            _("unknown field (fields: {fields})").format(fields=", ".join(COLUMNS)),
            r.at(str(unknown[0])),
        )
    amount = r.decimal("amount", places=2)
    if amount <= 0:
        raise UserError(_("must be more than zero"), r.at("amount"))
    method = r.choice("method", PAYMENT_METHODS, None)
    return PaymentInput(
        r.text("invoice"), r.date("date"), amount, method, r.optional_text("reference"), r
    )


def looks_like_json(name: str, text: str) -> bool:
    """JSON by the file's extension, else by its first character."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return True
    if lowered.endswith((".csv", ".txt")):
        return False
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def read_payments(text: str, source: str) -> list[PaymentInput]:
    """The payments of a CSV file (a header row naming invoice, date, amount and optionally
    method, reference; ``,`` or ``;``; decimal comma accepted) or of a JSON file (a list of
    such objects, or ``{"payments": [...]}``)."""
    if looks_like_json(source, text):
        data: Any = loads(text, source)
        if isinstance(data, dict):
            extra = sorted(set(data) - {"payments"})
            if extra:
                raise UserError(_("unknown section (the file holds 'payments')"), extra[0])
            data = data.get("payments", [])
        if not isinstance(data, list):
            raise UserError(_("must be a list of payments"), source)
        payments = [_payment(Reader(item, f"payments[{i}]")) for i, item in enumerate(data)]
    else:
        rows = sniff_rows(text, source, ("invoice", "date", "amount"))
        payments = []
        for number, row in enumerate(rows, start=2):
            record = {
                k: (plain_number(v) if k == "amount" else v) for k, v in row.items() if v != ""
            }
            payments.append(_payment(_CsvRow(record, f"{source} row {number}")))
    if not payments:
        raise UserError(_("holds no payments"), source)
    return payments


__all__ = ["COLUMNS", "PaymentInput", "looks_like_json", "read_payments"]
