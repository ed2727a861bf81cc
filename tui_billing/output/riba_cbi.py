"""The CBI Ri.Ba. file ("Ri.Ba. - flusso CBI") for the creditor's bank: fixed-width records.

Every record is 120 characters and ends with CR LF. One flow per due date: a header IB,
then per receipt the records 14, 20, 30, 40, 50, 51 and 70 sharing a progressive number,
then the footer EF with the count of receipts, their total and the count of records.
Layout: CBI-RIB-001 "Ricevute Bancarie - Ri.Ba., CBI - Standard tecnici" (see README).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.riba import RibaCreditor, RibaReceipt

RECORD_LENGTH = 120
LINE_END = "\r\n"
CURRENCY = "E"  # euro
CAUSALE = "30000"  # Ri.Ba. collection
_UNPRINTABLE = re.compile(r"[^ -~]")


def text(value: str, width: int) -> str:
    """Left-aligned, space-filled, cut to ``width``; accents dropped, non-ASCII as spaces."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return _UNPRINTABLE.sub(" ", plain)[:width].ljust(width)


def digits(value: int, width: int) -> str:
    """Right-aligned, zero-filled; refuses a number that does not fit."""
    out = str(value).rjust(width, "0")
    if len(out) != width or value < 0:
        raise UserError(
            _("{value} does not fit in {width} digits").format(value=value, width=width), "riba"
        )
    return out


def cents(amount: Decimal) -> int:
    return int(amount * 100)


def write_riba(
    creditor: RibaCreditor, receipts: Sequence[RibaReceipt], *, file_id: str, created_on: date
) -> bytes:
    """The CBI Ri.Ba. file of ``receipts``: one IB..EF flow per due date (earliest first),
    receipts by number within it. ``file_id`` (up to 14 letters or digits, unique per
    creditor and day) and the due date make each flow's support name. ASCII bytes."""
    if not re.fullmatch(r"[A-Za-z0-9]{1,14}", file_id or ""):
        raise UserError(
            _("'{file_id}' must be 1 to 14 letters or digits").format(file_id=file_id), "file_id"
        )
    if not receipts:
        raise UserError(_("there is nothing to present"), "receipts")
    numbers = [r.number for r in receipts]
    if len(set(numbers)) != len(numbers):
        repeated = next(n for n in numbers if numbers.count(n) > 1)
        raise UserError(
            _("receipt number {number} appears twice").format(number=repeated), "receipts"
        )
    flows: dict[date, list[RibaReceipt]] = {}
    for receipt in sorted(receipts, key=lambda r: (r.due_date, r.number)):
        flows.setdefault(receipt.due_date, []).append(receipt)
    records: list[str] = []
    for due, members in flows.items():
        records.extend(_flow(creditor, members, f"{file_id}{due:%d%m%y}", created_on))
    for record in records:
        if len(record) != RECORD_LENGTH:  # a writer bug: never hand out a broken file
            raise UserError(
                _("record '{record}' is {length} characters, not 120").format(
                    record=record[:3], length=len(record)
                ),
                "riba",
            )
    return "".join(record + LINE_END for record in records).encode("ascii")


def _flow(
    creditor: RibaCreditor, receipts: Sequence[RibaReceipt], support: str, created_on: date
) -> list[str]:
    sia, abi = creditor.sia_code, creditor.bank.abi
    created = f"{created_on:%d%m%y}"
    support_name = text(support, 20)
    records = [" IB" + sia + abi + created + support_name + " " * 74 + CURRENCY + " " * 6]
    for progressive, receipt in enumerate(receipts, 1):
        records.extend(_receipt(creditor, receipt, digits(progressive, 7)))
    total = sum(cents(r.amount) for r in receipts)
    records.append(
        " EF"
        + sia
        + abi
        + created
        + support_name
        + " " * 6
        + digits(len(receipts), 7)
        + digits(total, 15)
        + "0" * 15
        + digits(len(receipts) * 7 + 2, 7)
        + " " * 24
        + CURRENCY
        + " " * 6
    )
    return records


def _receipt(creditor: RibaCreditor, receipt: RibaReceipt, progressive: str) -> list[str]:
    debtor_bank = receipt.debtor_bank
    dated = display.day(receipt.invoice_date, style="it")
    invoice_ref = f"FATTURA N. {receipt.invoice_number} DEL {dated}"
    return [
        " 14"
        + progressive
        + " " * 12
        + f"{receipt.due_date:%d%m%y}"
        + CAUSALE
        + digits(cents(receipt.amount), 13)
        + "-"
        + creditor.bank.abi
        + creditor.bank.cab
        + text(creditor.bank.account, 12)
        + debtor_bank.abi
        + debtor_bank.cab
        + " " * 12
        + creditor.sia_code
        + "4"
        + text(receipt.customer_code, 16)
        + " " * 6
        + CURRENCY,
        " 20"
        + progressive
        + text(creditor.name, 24)
        + text(creditor.address, 24)
        + text(creditor.city_line, 24)
        + text(creditor.tax_code, 24)
        + " " * 14,
        " 30"
        + progressive
        + text(receipt.debtor_name, 60)
        + text(receipt.debtor_tax_code, 16)
        + " " * 34,
        " 40"
        + progressive
        + text(receipt.debtor_address, 30)
        + receipt.debtor_cap
        + text(receipt.debtor_comune, 23)
        + receipt.debtor_provincia
        + text(receipt.debtor_bank_name, 50),
        " 50"
        + progressive
        + text(invoice_ref, 80)
        + " " * 10
        + text(creditor.tax_code, 16)
        + " " * 4,
        " 51" + progressive + digits(receipt.number, 10) + text(creditor.name, 20) + " " * 80,
        " 70" + progressive + " " * 110,
    ]
