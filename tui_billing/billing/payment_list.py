"""The payments as the payments screen lists them: each with its invoice, customer (code
and name) and whether the bank returned it, filtered by what the operator types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from tui_billing.billing.payments import why_kept
from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.store.models import (
    Collection,
    CollectionFile,
    Customer,
    Invoice,
    Payment,
    PaymentReturn,
)

LIMIT = 2000  # payments listed, newest first; narrow the filter for older ones


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """One payment as listed."""

    id: int
    invoice_id: int
    invoice: str | None
    customer: str  # code
    customer_name: str
    date: dt.date
    amount: Decimal
    method: str | None
    reference: str | None
    returned: dt.date | None  # the day the bank returned it (None: it was not)


def payment_rows(text: str | None = None, limit: int = LIMIT) -> tuple[list[PaymentRow], int]:
    """The newest ``limit`` payments whose customer code or name, or invoice number,
    contains ``text`` (any case), and how many match in all."""
    query = (
        Payment.select(
            Payment.id,
            Invoice.id,
            Invoice.number,
            Customer.code,
            Customer.name,
            Payment.date,
            Payment.amount,
            Payment.method,
            Payment.reference,
        )
        .join(Invoice)
        .join(Customer)
    )
    needle = (text or "").strip().lower()
    if needle:
        query = query.where(
            fn.LOWER(Customer.code).contains(needle)
            | fn.LOWER(Customer.name).contains(needle)
            | fn.LOWER(Invoice.number).contains(needle)
        )
    count = query.count()
    rows: list[tuple[Any, ...]] = list(
        query.order_by(Payment.date.desc(), Payment.id.desc()).limit(limit).tuples()
    )
    returned: dict[int, dt.date] = (
        dict(
            PaymentReturn.select(PaymentReturn.payment, PaymentReturn.date)
            .where(PaymentReturn.payment.in_([r[0] for r in rows]))
            .tuples()
        )
        if rows
        else {}
    )
    return [PaymentRow(*row, returned.get(row[0])) for row in rows], count  # type: ignore[call-arg]  # a row: the first nine fields


@dataclass(frozen=True, slots=True)
class DeletionBlock:
    """Why a payment stays (the facts of :func:`why_kept`'s sentence, for a screen to word
    in its language): ``kind`` is "returned" (the bank returned it on ``date``) or
    "presented" (it is the direct debit or Ri.Ba., ``collection``, presented on ``date``)."""

    kind: str
    payment_id: int
    invoice: str | None
    date: dt.date
    collection: str | None = None  # "sdd" or "riba" for a presented one


def deletion_block(payment_id: int) -> DeletionBlock | None:
    """Why the payment cannot be deleted, as facts (None: it can be, once the operator
    agrees); the same checks as :func:`why_kept`."""
    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None:
        raise UserError(f"no payment with id {payment_id}", "payment")
    if why_kept(payment) is None:
        return None
    number = Invoice.select(Invoice.number).where(Invoice.id == payment.invoice_id).scalar()
    returned = PaymentReturn.get_or_none(PaymentReturn.payment == payment.id)
    if returned is not None:
        return DeletionBlock("returned", payment.id, number, returned.date)
    presented = (
        Collection.select(CollectionFile.kind, CollectionFile.presented_on)
        .join(CollectionFile)
        .where(Collection.invoice == payment.invoice_id, Collection.status == "presented")
        .tuples()
        .first()
    )
    if presented is None:  # why_kept names only these two reasons
        return None
    kind, presented_on = presented
    return DeletionBlock("presented", payment.id, number, presented_on, kind)


def deletion_refused(payment_id: int) -> str | None:
    """Why the payment cannot be deleted (None: it can be, once the operator agrees)."""
    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None:
        raise UserError(
            _("no payment with id {payment_id}").format(payment_id=payment_id), "payment"
        )
    return why_kept(payment)


__all__ = ["DeletionBlock", "PaymentRow", "deletion_block", "deletion_refused", "payment_rows"]
