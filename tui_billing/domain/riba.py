"""Ri.Ba. (ricevuta bancaria) values, checked: the creditor and each receipt to present.

Each ``make_*`` checks its input and raises ``UserError`` naming the field. The banks are
found from Italian IBANs: ABI (5 digits) and CAB (5 digits) follow the CIN in the BBAN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.identifiers import check_iban

MAX_AMOUNT = Decimal("99999999999.99")  # 13 digits of cents in record 14


@dataclass(frozen=True)
class ItalianAccount:
    """ABI, CAB and account number of an Italian IBAN (IT kk C AAAAA CCCCC NNNNNNNNNNNN)."""

    abi: str
    cab: str
    account: str


def italian_account(iban: str, path: str) -> ItalianAccount:
    compact = check_iban(iban, path)
    if not compact.startswith("IT"):
        raise UserError(
            _("'{value}' is not an Italian IBAN: Ri.Ba. needs the ABI and CAB").format(value=iban),
            path,
        )
    return ItalianAccount(abi=compact[5:10], cab=compact[10:15], account=compact[15:27])


@dataclass(frozen=True)
class RibaCreditor:
    """The company presenting: SIA code, name and address (record 20), fiscal code or VAT
    number (record 50), and the account at the receiving bank (banca assuntrice)."""

    sia_code: str
    name: str
    address: str
    city_line: str
    tax_code: str
    bank: ItalianAccount


@dataclass(frozen=True)
class RibaReceipt:
    """One receipt: its number, the invoice it collects, amount and due date, the debtor with
    address and tax code, and the debtor's bank (banca domiciliataria) from the IBAN."""

    number: int
    invoice_number: str
    invoice_date: date
    amount: Decimal
    due_date: date
    debtor_name: str
    debtor_tax_code: str
    debtor_address: str
    debtor_cap: str
    debtor_comune: str
    debtor_provincia: str
    debtor_bank: ItalianAccount
    debtor_bank_name: str = ""
    customer_code: str = ""


def _required(value: str, path: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserError(_("{what} is missing").format(what=_(what)), path)
    return value.strip()


def _tax_code(value: str, path: str) -> str:
    code = re.sub(r"\s+", "", value or "").upper()
    if code.startswith("IT") and len(code) == 13:
        code = code[2:]
    if not re.fullmatch(r"[0-9]{11}|[A-Z0-9]{16}", code):
        raise UserError(
            _("'{value}' is not an Italian fiscal code or VAT number").format(value=value), path
        )
    return code


def make_riba_creditor(
    sia_code: str,
    name: str,
    address: str,
    city_line: str,
    tax_code: str,
    iban: str,
    path: str = "creditor",
) -> RibaCreditor:
    if not isinstance(sia_code, str) or not re.fullmatch(r"[A-Z0-9]{5}", sia_code):
        raise UserError(
            _("'{value}' is not a SIA code (5 letters or digits)").format(value=sia_code),
            f"{path}.sia_code",
        )
    return RibaCreditor(
        sia_code=sia_code,
        name=_required(name, f"{path}.name", N_("the creditor's name")),
        address=_required(address, f"{path}.address", N_("the creditor's address")),
        city_line=_required(city_line, f"{path}.city_line", N_("the creditor's CAP and city")),
        tax_code=_tax_code(tax_code, f"{path}.tax_code"),
        bank=italian_account(iban, f"{path}.iban"),
    )


def make_riba_receipt(
    number: int,
    invoice_number: str,
    invoice_date: date,
    amount: Decimal,
    due_date: date,
    debtor_name: str,
    debtor_tax_code: str,
    debtor_address: str,
    debtor_cap: str,
    debtor_comune: str,
    debtor_provincia: str,
    debtor_iban: str,
    debtor_bank_name: str = "",
    customer_code: str = "",
    path: str = "receipt",
) -> RibaReceipt:
    if not isinstance(number, int) or not 1 <= number <= 9_999_999_999:
        raise UserError(
            _("'{value}' is not a receipt number (1 to 10 digits)").format(value=number),
            f"{path}.number",
        )
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise UserError(_("the amount must be a decimal more than zero"), f"{path}.amount")
    if amount != amount.quantize(Decimal("0.01")) or amount > MAX_AMOUNT:
        raise UserError(_("the amount has more than 2 decimals or 11 digits"), f"{path}.amount")
    for value, field, what in (
        (invoice_date, "invoice_date", N_("the invoice date")),
        (due_date, "due_date", N_("the due date")),
    ):
        if not isinstance(value, date):
            raise UserError(_("{what} is missing").format(what=_(what)), f"{path}.{field}")
    if not isinstance(debtor_cap, str) or not re.fullmatch(r"[0-9]{5}", debtor_cap):
        raise UserError(
            _("'{value}' is not a CAP (5 digits)").format(value=debtor_cap), f"{path}.debtor_cap"
        )
    if not isinstance(debtor_provincia, str) or not re.fullmatch(r"[A-Z]{2}", debtor_provincia):
        raise UserError(
            _("'{value}' is not a provincia (2 capital letters)").format(value=debtor_provincia),
            f"{path}.debtor_provincia",
        )
    return RibaReceipt(
        number=number,
        invoice_number=_required(
            invoice_number, f"{path}.invoice_number", N_("the invoice number")
        ),
        invoice_date=invoice_date,
        amount=amount,
        due_date=due_date,
        debtor_name=_required(debtor_name, f"{path}.debtor_name", N_("the debtor's name")),
        debtor_tax_code=_tax_code(debtor_tax_code, f"{path}.debtor_tax_code"),
        debtor_address=_required(
            debtor_address, f"{path}.debtor_address", N_("the debtor's address")
        ),
        debtor_cap=debtor_cap,
        debtor_comune=_required(debtor_comune, f"{path}.debtor_comune", N_("the debtor's comune")),
        debtor_provincia=debtor_provincia,
        debtor_bank=italian_account(debtor_iban, f"{path}.debtor_iban"),
        debtor_bank_name=debtor_bank_name or "",
        customer_code=customer_code or "",
    )
