"""Returned collections (insoluti): recording what the bank returned unpaid (one, or a
file's worth, all or nothing), listing them, and holding a contract from automatic
collection after returns in a row.

A return undoes the invoice's latest payment not returned yet: the payment stays in the
history with its return beside it, and no longer counts as paid (so the invoice is open and
overdue again from its own due date, and late interest runs as if it had never been paid).
The bank's fee and the company's own fee are fixed on the return when it is recorded;
:mod:`tui_billing.billing.return_charges` bills them on the contract's next installment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database, chunked

from tui_billing.billing.payments import PAYABLE_STATUSES, payments_changed
from tui_billing.billing.wording import _, dated
from tui_billing.config import ReturnsSettings
from tui_billing.domain.descriptions import format_date
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import ZERO, parse_decimal
from tui_billing.domain.parsing import Reader
from tui_billing.output.csv_import import plain_number
from tui_billing.output.returns_file import ReturnInput, read_return
from tui_billing.store.models import (
    Collection,
    Contract,
    Customer,
    Invoice,
    InvoiceLine,
    Mandate,
    Payment,
    PaymentReturn,
)
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True, slots=True)
class Recorded:
    """A return just recorded, as ``payments return --json`` shows it."""

    invoice: str
    date: dt.date
    payment_id: int
    amount: Decimal
    bank_fee: Decimal
    own_fee: Decimal
    contract: str | None
    hold: str | None  # why the contract is now held from automatic collection

    def to_json(self) -> dict[str, Any]:
        return {
            "invoice": self.invoice,
            "date": self.date.isoformat(),
            "payment": self.payment_id,
            "amount": f"{self.amount:.2f}",
            "bank_fee": f"{self.bank_fee:.2f}",
            "own_fee": f"{self.own_fee:.2f}",
            "charge": f"{self.bank_fee + self.own_fee:.2f}",
            "contract": self.contract,
            "collection_hold": self.hold,
        }


def invoice_contract(invoice_id: int) -> Contract | None:
    """The contract an invoice's charges go to: that of its first contract line."""
    line = (
        InvoiceLine.select(InvoiceLine.contract)
        .where(InvoiceLine.invoice == invoice_id, InvoiceLine.contract.is_null(False))
        .order_by(InvoiceLine.position, InvoiceLine.id)
        .first()
    )
    return Contract.get_by_id(line.contract_id) if line else None


def _unreturned_payment(invoice: Invoice, where: str) -> Payment:
    """The invoice's latest payment not returned yet; refused when there is none."""
    payments = list(
        Payment.select()
        .where(Payment.invoice == invoice.id)
        .order_by(Payment.date.desc(), Payment.id.desc())
    )
    returned = (
        {
            r.payment_id: r
            for r in PaymentReturn.select().where(
                PaymentReturn.payment.in_([p.id for p in payments])
            )
        }
        if payments
        else {}
    )
    for payment in payments:
        if payment.id not in returned:
            return payment
    if not payments:
        raise UserError(
            _("{invoice} is not paid: there is no collection to return").format(
                invoice=invoice.number
            ),
            where,
        )
    last = returned[payments[0].id]
    raise UserError(
        _("{invoice} was already returned on {date}: nothing paid is left to return").format(
            invoice=invoice.number, date=format_date(last.date)
        ),
        where,
    )


def _hold_reason(contract: Contract, settings: ReturnsSettings) -> str | None:
    """Why the contract is to be held: its last ``hold_after`` collections all returned."""
    count = settings.hold_after
    if count <= 0:
        return None
    invoices = InvoiceLine.select(InvoiceLine.invoice).where(InvoiceLine.contract == contract.id)
    last = list(
        Payment.select(Payment.id, Invoice.number, Payment.date)
        .join(Invoice)
        .where(Payment.invoice.in_(invoices))
        .order_by(Payment.date.desc(), Payment.id.desc())
        .limit(count)
        .tuples()
    )
    if len(last) < count:
        return None
    returns = {
        r.payment_id: r
        for r in PaymentReturn.select().where(PaymentReturn.payment.in_([row[0] for row in last]))
    }
    if not all(row[0] in returns for row in last):
        return None
    parts = ", ".join(
        f"{number} returned on {format_date(returns[pid].date)}"
        for pid, number, _unused in reversed(last)
    )
    return f"not collected automatically: {count} collections returned in a row ({parts})"


def _mark_collection_returned(invoice_id: int) -> Collection | None:
    """The invoice's collection presented to the bank, now marked returned: the invoice may
    be presented again, and its mandate's next debit follows from that history."""
    presented = (
        Collection.select()
        .where(Collection.invoice == invoice_id, Collection.status == "presented")
        .first()
    )
    if presented is not None:
        Collection.update(status="returned").where(Collection.id == presented.id).execute()
    return presented


def record_returns(
    db: Database, returns: Sequence[ReturnInput], today: dt.date, settings: ReturnsSettings
) -> list[Recorded]:
    """Record the returns, all or none. Each names an issued invoice that has a payment not
    returned yet, is dated on or after that payment and not after ``today``; one invoice
    returned twice in one file is refused like a second return."""
    recorded: list[Recorded] = []
    with write_transaction(db):
        numbers = sorted({r.invoice for r in returns})
        found = {
            inv.number: inv
            for chunk in chunked(numbers, 500)
            for inv in Invoice.select().where(Invoice.number.in_(list(chunk)))
        }
        seen: set[str] = set()
        touched: set[int] = set()
        for r in returns:
            invoice = found.get(r.invoice)
            if invoice is None:
                raise UserError(
                    _("no invoice numbered {invoice!r}").format(invoice=r.invoice), r.at("invoice")
                )
            if invoice.document_type != "invoice" or invoice.status not in PAYABLE_STATUSES:
                raise UserError(
                    _("{invoice} is not an issued invoice").format(invoice=r.invoice),
                    r.at("invoice"),
                )
            if r.invoice in seen:
                raise UserError(
                    _("{invoice} is returned twice").format(invoice=r.invoice), r.at("invoice")
                )
            seen.add(r.invoice)
            payment = _unreturned_payment(invoice, r.at("invoice"))
            if r.date > today:
                raise UserError(
                    _("{date} is after today ({today})").format(
                        date=dated(r.date), today=dated(today)
                    ),
                    r.at("date"),
                )
            if r.date < payment.date:
                raise UserError(
                    _("{date} is before the payment it returns ({payment_date})").format(
                        date=dated(r.date), payment_date=dated(payment.date)
                    ),
                    r.at("date"),
                )
            contract = invoice_contract(invoice.id)
            own = parse_decimal(settings.own_fee, "own_fee", places=2)
            if contract is not None and contract.returned_item_fee is not None:
                own = contract.returned_item_fee
            PaymentReturn.create(
                payment=payment.id,
                invoice=invoice.id,
                date=r.date,
                bank_fee=r.bank_fee,
                own_fee=own,
                bank_fee_vat=settings.bank_fee_vat.strip().upper(),
                own_fee_vat=settings.own_fee_vat.strip().upper(),
                reason=r.reason,
                contract=contract.id if contract else None,
            )
            presented = _mark_collection_returned(invoice.id)
            hold = None
            if contract is not None:
                hold = _hold_reason(contract, settings)
                if hold is not None:
                    Contract.update(collection_hold=hold).where(
                        Contract.id == contract.id
                    ).execute()
                    if presented is not None and presented.mandate_id is not None:
                        Mandate.update(status="suspended", suspended_reason=hold).where(
                            Mandate.id == presented.mandate_id, Mandate.status == "active"
                        ).execute()
            touched.add(invoice.id)
            recorded.append(
                Recorded(
                    r.invoice,
                    r.date,
                    payment.id,
                    payment.amount,
                    r.bank_fee,
                    own,
                    contract.code if contract else None,
                    hold,
                )
            )
        payments_changed(touched)
    return recorded


def record_return(
    db: Database,
    invoice: str,
    date: Any,
    today: dt.date,
    settings: ReturnsSettings,
    bank_fee: Any = None,
    reason: str | None = None,
) -> Recorded:
    """Record one return (``payments return``, the TUI dialog); fields named as options."""
    record = {"invoice": invoice, "date": date, "bank-fee": bank_fee, "reason": reason}
    if isinstance(bank_fee, str) and bank_fee.strip():
        record["bank-fee"] = plain_number(bank_fee.strip())
    r = Reader({k: v for k, v in record.items() if v not in (None, "")}, "", typed_text=True)
    return record_returns(db, [read_return(r, "bank-fee")], today, settings)[0]


def list_returns(invoice: str | None = None) -> list[dict[str, Any]]:
    """Returns as ``payments returns-list --json`` shows them, by date."""
    query = (
        PaymentReturn.select(
            PaymentReturn, Invoice.number, Customer.code, Payment.date, Payment.amount
        )
        .join(Invoice)
        .join(Customer)
        .switch(PaymentReturn)
        .join(Payment)
    )
    if invoice is not None:
        query = query.where(Invoice.number == invoice)
    return [
        {
            "id": r.id,
            "invoice": r.invoice.number,
            "customer": r.invoice.customer.code,
            "date": r.date.isoformat(),
            "payment_date": r.payment.date.isoformat(),
            "amount": f"{r.payment.amount:.2f}",
            "bank_fee": f"{r.bank_fee:.2f}",
            "own_fee": f"{r.own_fee:.2f}",
            "reason": r.reason,
        }
        for r in query.order_by(PaymentReturn.date, PaymentReturn.id)
    ]


def returned_total(returns: Sequence[Recorded]) -> Decimal:
    return sum((r.bank_fee + r.own_fee for r in returns), ZERO)


__all__ = [
    "Recorded",
    "invoice_contract",
    "list_returns",
    "record_return",
    "record_returns",
    "returned_total",
]
