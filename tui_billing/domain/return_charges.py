"""Returned collections (insoluti): the VAT treatment of their charges and the texts of the
line that bills them on the contract's next installment.

Default VAT treatment (see the README, "Returned collections"): the bank's fee is passed on
out of the VAT base, nature N1 (art. 15, c. 1, n. 1 and n. 3 DPR 633/72: sums due for the
customer's irregular performance, and reimbursements of documented sums advanced on the
customer's account); the company's own fee for handling the returned item is an accessory
of the supply and taxed like it (art. 12 DPR 633/72), 22% by default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tui_billing.domain.descriptions import format_date
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.vat_natures import VAT_NATURES

CHARGE_KEY = "returned:"  # + the return's id: the line that bills its charges
OWN_FEE_KEY = "returned-own:"  # + the return's id: the own fee, when taxed apart


@dataclass(frozen=True, slots=True)
class VatTreatment:
    """A rate (percent), with the nature that explains a 0% rate."""

    rate: Decimal
    nature: str | None


def parse_vat_treatment(text: str, where: str | None = None) -> VatTreatment:
    """``"22"`` (a rate) or ``"N1"`` (no VAT, of that nature)."""
    value = str(text).strip().upper()
    if value in VAT_NATURES:
        return VatTreatment(Decimal("0.00"), value)
    try:
        rate = Decimal(value)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 < rate < 100:
        raise UserError(
            _("not a VAT rate or nature: {value} (a rate such as 22, or one of {choices})").format(
                value=repr(text), choices=", ".join(VAT_NATURES)
            ),
            where,
        )
    return VatTreatment(rate.quantize(Decimal("0.01")), None)


def charge_description(
    number: str, invoice_date: dt.date, language: str = "it", own_part: bool = False
) -> str:
    """``Spese insoluto fattura A/2026/0012 del 31/01/2026`` (English: ``Returned payment
    charges, invoice ...``); the own fee, billed apart, says so."""
    if language == "it":
        text = f"Spese insoluto fattura {number} del {format_date(invoice_date)}"
        return text + " (commissione)" if own_part else text
    text = f"Returned payment charges, invoice {number} of {format_date(invoice_date)}"
    return text + " (handling fee)" if own_part else text


@dataclass(frozen=True, slots=True)
class ChargePart:
    """One line of a return's charges: its key suffix, amount and VAT."""

    key: str
    amount: Decimal
    vat: VatTreatment
    own_part: bool


def charge_parts(
    return_id: int,
    bank_fee: Decimal,
    own_fee: Decimal,
    bank_vat: VatTreatment,
    own_vat: VatTreatment,
) -> list[ChargePart]:
    """The lines a return's charges bill: one when both fees are taxed alike (or one is
    zero), else the bank's fee and the company's own fee apart."""
    if own_fee == 0 or bank_vat == own_vat or bank_fee == 0:
        vat = own_vat if bank_fee == 0 else bank_vat
        total = bank_fee + own_fee
        return [ChargePart(f"{CHARGE_KEY}{return_id}", total, vat, False)] if total > 0 else []
    return [
        ChargePart(f"{CHARGE_KEY}{return_id}", bank_fee, bank_vat, False),
        ChargePart(f"{OWN_FEE_KEY}{return_id}", own_fee, own_vat, True),
    ]


__all__ = [
    "CHARGE_KEY",
    "OWN_FEE_KEY",
    "ChargePart",
    "VatTreatment",
    "charge_description",
    "charge_parts",
    "parse_vat_treatment",
]
