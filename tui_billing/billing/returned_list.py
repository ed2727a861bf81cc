"""The returned collections as the collections screen lists them: invoice, customer, date,
fees, reason, and whether their charges are billed yet (read back from the invoiced
installments, as billing itself does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import Database

from tui_billing.billing.return_charges import return_charges_for
from tui_billing.store.models import Customer, Invoice, PaymentReturn


@dataclass(frozen=True, slots=True)
class ReturnedCollection:
    """One return (``customer`` is the code); ``charge`` is "billed", "to bill" or ""
    (no charge, or no contract to bill it on)."""

    id: int
    invoice: str
    customer: str
    date: dt.date
    bank_fee: Decimal
    own_fee: Decimal
    reason: str | None
    charge: str


def returned_collections(db: Database) -> list[ReturnedCollection]:
    """Every return, newest first."""
    rows = list(
        PaymentReturn.select(
            PaymentReturn.id,
            Invoice.number,
            Customer.code,
            PaymentReturn.date,
            PaymentReturn.bank_fee,
            PaymentReturn.own_fee,
            PaymentReturn.reason,
            PaymentReturn.contract,
        )
        .join(Invoice)
        .join(Customer)
        .order_by(PaymentReturn.date.desc(), PaymentReturn.id.desc())
        .tuples()
    )
    contracts = sorted({r[7] for r in rows if r[7] is not None and (r[4] > 0 or r[5] > 0)})
    unbilled = {
        charge.id
        for charges in return_charges_for(db, contracts).contracts.values()
        for charge in charges
    }
    result = []
    for rid, number, customer, date, bank, own, reason, contract in rows:
        charge = ""
        if contract is not None and (bank > 0 or own > 0):
            charge = "to bill" if rid in unbilled else "billed"
        result.append(ReturnedCollection(rid, number, customer, date, bank, own, reason, charge))
    return result


__all__ = ["ReturnedCollection", "returned_collections"]
