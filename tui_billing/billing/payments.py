"""Payments against invoices: recording them (one or a file's worth, all or nothing),
listing them, and what each invoice still has open and since when it is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Database, chunked, fn

from tui_billing.billing.wording import _, dated, shown
from tui_billing.domain.descriptions import format_date
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import ZERO, parse_decimal
from tui_billing.domain.parsing import Reader
from tui_billing.domain.stamp_duty import amount_due, owed_amount
from tui_billing.domain.typed_input import parse_day
from tui_billing.domain.vocabulary import PAYMENT_METHODS
from tui_billing.output.csv_import import plain_number
from tui_billing.output.payments_file import PaymentInput
from tui_billing.store.models import (
    Collection,
    CollectionFile,
    Contract,
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentReturn,
)
from tui_billing.store.transactions import write_transaction

PAYABLE_STATUSES = ("issued", "open_item", "posted")
COLLECTED_BY = {"sdd": "sepa_direct_debit", "riba": "riba"}  # file kind -> payment method


@dataclass(frozen=True, slots=True)
class Balance:
    """What an invoice has been paid and still has open."""

    invoice_id: int
    number: str | None
    customer: str
    date: dt.date
    due_date: dt.date | None
    total: Decimal
    paid: Decimal
    credited: Decimal = ZERO  # taken off what is owed by credit notes
    due: Decimal | None = None  # the amount due, when it is not the total (split payment,
    #                             withholding tax)
    customer_name: str = ""

    @property
    def amount_due(self) -> Decimal:
        """What the customer pays: the total, less the VAT under split payment, less the
        withholding tax it keeps back."""
        return self.total if self.due is None else self.due

    @property
    def open(self) -> Decimal:
        """What is still to be paid: the amount due less credit notes and payments (never
        below zero: a credit beyond what is unpaid is owed back, outside the open items)."""
        return max(ZERO, self.amount_due - self.credited - self.paid)

    @property
    def overdue_since(self) -> dt.date | None:
        """The first day the open amount is late: the day after the due date."""
        if self.open <= 0 or self.due_date is None:
            return None
        return self.due_date + dt.timedelta(days=1)

    def days_overdue(self, on: dt.date) -> int:
        """Days past the due date on ``on`` (0 when paid or not yet due)."""
        since = self.overdue_since
        return max(0, (on - since).days + 1) if since else 0

    def to_json(self, on: dt.date) -> dict[str, Any]:
        """The ``open-items --json`` shape; ``overdue_since`` null when not overdue on ``on``."""
        days = self.days_overdue(on)
        since = self.overdue_since if days else None
        return {
            "invoice": self.number,
            "id": self.invoice_id,
            "customer": self.customer,
            "date": self.date.isoformat(),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "total": f"{self.total:.2f}",
            "amount_due": f"{self.amount_due:.2f}",
            "credited": f"{self.credited:.2f}",
            "paid": f"{self.paid:.2f}",
            "open": f"{self.open:.2f}",
            "overdue_since": since.isoformat() if since else None,
            "days_overdue": days,
        }


@dataclass
class PaymentsSummary:
    created: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return _("payments: {created} new, {unchanged} already recorded").format(
            created=self.created, unchanged=self.unchanged
        )


def not_returned(as_of: dt.date | None = None) -> Any:
    """The condition on Payment that it counts as paid: the bank has not returned it (by
    ``as_of`` when given)."""
    returned = PaymentReturn.select(PaymentReturn.payment)
    if as_of is not None:
        returned = returned.where(PaymentReturn.date <= as_of)
    return Payment.id.not_in(returned)


def paid_amounts(invoice_ids: Iterable[int], as_of: dt.date | None = None) -> dict[int, Decimal]:
    """What each invoice has been paid (by ``as_of`` when given); invoices without payments
    are left out. A payment the bank returned (by ``as_of``) does not count."""
    result: dict[int, Decimal] = {}
    for chunk in chunked(list(invoice_ids), 1000):
        query = Payment.select(Payment.invoice, fn.SUM(Payment.amount)).where(
            Payment.invoice.in_(list(chunk)), not_returned(as_of)
        )
        if as_of is not None:
            query = query.where(Payment.date <= as_of)
        rows = query.group_by(Payment.invoice).tuples()
        result.update((iid, Payment.amount.from_scaled(cents)) for iid, cents in rows)
    return result


def credited_totals(invoice_ids: Iterable[int], as_of: dt.date | None = None) -> dict[int, Decimal]:
    """What credit notes (dated by ``as_of`` when given) took off what the customer owes of
    each invoice (with VAT; without it under split payment, and less the withholding), as
    a positive amount; invoices without credit notes are left out."""
    result: dict[int, Decimal] = {}
    for chunk in chunked(list(invoice_ids), 1000):
        _add_credited(result, list(chunk), as_of)
    return result


def credited_among(invoices: Any) -> dict[int, Decimal]:
    """``credited_totals`` of the invoices a subquery selects (no list of their ids)."""
    result: dict[int, Decimal] = {}
    _add_credited(result, invoices, None)
    return result


def _add_credited(result: dict[int, Decimal], invoices: Any, as_of: dt.date | None) -> None:
    original = Invoice.alias("original")
    query = (
        Invoice.select(
            Invoice.corrects,
            Invoice.total,
            Invoice.vat,
            Invoice.net_due,
            original.split_payment,
        )
        .join(original, on=(Invoice.corrects == original.id))
        .where(Invoice.corrects.in_(invoices))
    )
    if as_of is not None:
        query = query.where(Invoice.date <= as_of)
    for iid, total, vat, net, split in query.tuples():
        result[iid] = result.get(iid, ZERO) - owed_amount(total, vat, net, bool(split))


def balances(
    *,
    invoice_ids: Iterable[int] | None = None,
    open_only: bool = False,
    customer: str | None = None,
    as_of: dt.date | None = None,
) -> list[Balance]:
    """The balance of every payable invoice (issued, document type invoice), by due date;
    with ``as_of``, counting only the payments made by then."""
    query = (
        Invoice.select(
            Invoice.id,
            Invoice.number,
            Customer.code,
            Invoice.date,
            Invoice.due_date,
            Invoice.total,
            Invoice.vat,
            Invoice.split_payment,
            Invoice.net_due,
            Customer.name,
        )
        .join(Customer)
        .where(Invoice.status.in_(PAYABLE_STATUSES), Invoice.document_type == "invoice")
    )
    if invoice_ids is not None:
        query = query.where(Invoice.id.in_(list(invoice_ids)))
    if customer:
        query = query.where(Customer.code == customer)
    rows = list(query.order_by(Invoice.due_date, Invoice.date, Invoice.id).tuples())
    paid = paid_amounts((r[0] for r in rows), as_of)
    credited = credited_totals((r[0] for r in rows), as_of)
    result = [
        Balance(
            iid,
            number,
            cust,
            date,
            due,
            total,
            paid.get(iid, ZERO),
            credited.get(iid, ZERO),
            net if net is not None else amount_due(total, vat, True) if split else None,
            name,
        )
        for iid, number, cust, date, due, total, vat, split, net, name in rows
    ]
    return [b for b in result if b.open > 0] if open_only else result


def open_items(on: dt.date, *, customer: str | None = None) -> list[Balance]:
    """Issued invoices with something still open on ``on`` (payments made by then), oldest
    due date first; an invoice dated after ``on`` is left out."""
    return [b for b in balances(open_only=True, customer=customer, as_of=on) if b.date <= on]


def _invoice(number: str, where: str, found: dict[str, Invoice] | None = None) -> Invoice:
    """The payable invoice numbered ``number`` (looked up in ``found`` when given)."""
    invoice = (
        found.get(number) if found is not None else Invoice.get_or_none(Invoice.number == number)
    )
    if invoice is None:
        raise UserError(_("no invoice numbered {number!r}").format(number=number), where)
    if invoice.document_type != "invoice":
        raise UserError(
            _("{number} is a {document_type}, not an invoice").format(
                number=number, document_type=shown("document type", invoice.document_type)
            ),
            where,
        )
    if invoice.status not in PAYABLE_STATUSES:
        raise UserError(
            _("{number} is {status}: only issued invoices are paid").format(
                number=number, status=shown("status", invoice.status)
            ),
            where,
        )
    return invoice


def _payment_key(
    invoice_id: int, date: dt.date, amount: Decimal, reference: str | None
) -> tuple[Any, ...]:
    return invoice_id, date, amount, reference or None


def record_payments(
    db: Database, payments: Sequence[PaymentInput], today: dt.date
) -> PaymentsSummary:
    """Record the payments, all or none: each names an issued invoice by number, is dated
    on or after the invoice and not after ``today``, and pays no more than is still open.
    A payment already recorded (same invoice, date, amount and reference) is left as it is,
    so importing a file twice records it once."""
    summary = PaymentsSummary()
    with write_transaction(db):
        found: dict[str, Invoice] = {
            inv.number or "": inv
            for chunk in chunked(sorted({p.invoice for p in payments}), 500)
            for inv in Invoice.select().where(Invoice.number.in_(list(chunk)))
        }
        invoices: dict[str, Invoice] = {}
        for p in payments:
            if p.invoice not in invoices:
                invoices[p.invoice] = _invoice(p.invoice, p.at("invoice"), found)
        ids = [inv.id for inv in invoices.values()]
        open_now = {b.invoice_id: b.open for b in balances(invoice_ids=ids)}
        recorded: dict[tuple[Any, ...], int] = {}
        for row in Payment.select().where(Payment.invoice.in_(ids)):
            key = _payment_key(row.invoice_id, row.date, row.amount, row.reference)
            recorded[key] = recorded.get(key, 0) + 1
        rows: list[dict[str, Any]] = []
        for p in payments:
            invoice = invoices[p.invoice]
            if p.date > today:
                raise UserError(
                    _("{date} is after today ({today})").format(
                        date=dated(p.date), today=dated(today)
                    ),
                    p.at("date"),
                )
            if p.date < invoice.date:
                raise UserError(
                    _("{date} is before the invoice date {invoice_date}").format(
                        date=dated(p.date), invoice_date=dated(invoice.date)
                    ),
                    p.at("date"),
                )
            key = _payment_key(invoice.id, p.date, p.amount, p.reference)
            if recorded.get(key):
                recorded[key] -= 1
                summary.unchanged += 1
                continue
            if p.amount > open_now[invoice.id]:
                raise UserError(
                    _("{amount:.2f} is more than the {open:.2f} still open on {invoice}").format(
                        amount=p.amount, open=open_now[invoice.id], invoice=p.invoice
                    ),
                    p.at("amount"),
                )
            open_now[invoice.id] -= p.amount
            rows.append(
                {
                    "invoice": invoice.id,
                    "date": p.date,
                    "amount": p.amount,
                    "method": p.method or invoice.payment_method,
                    "reference": p.reference,
                }
            )
        if rows:
            Payment.insert_many(rows).execute()
            payments_changed({r["invoice"] for r in rows})
        summary.created = len(rows)
    return summary


def record_payment(
    db: Database,
    invoice: str,
    date: dt.date | str,  # a date, or as typed (read like a file's)
    amount: Any,
    today: dt.date,
    method: str | None = None,
    reference: str | None = None,
) -> PaymentsSummary:
    """Record one payment (the TUI form, ``payments add``); fields named as in the file."""
    record = {
        "invoice": invoice,
        "date": parse_day(date, "date") if isinstance(date, str) else date,
        "amount": amount,
        "method": method,
        "reference": reference,
    }
    r = Reader({k: v for k, v in record.items() if v not in (None, "")}, "", typed_text=True)
    value = parse_decimal(plain_number(str(r.raw("amount")).strip()), "amount", places=2)
    if value <= 0:
        raise UserError(_("must be more than zero"), "amount")
    payment = PaymentInput(
        r.text("invoice"),
        r.date("date"),
        value,
        r.choice("method", PAYMENT_METHODS, None),
        r.optional_text("reference"),
        r,
    )
    return record_payments(db, [payment], today)


def payment_form_errors(invoice: str, amount: str, date: str, today: dt.date) -> dict[str, str]:
    """What is wrong with a payment being typed (field -> message; empty when it can be
    recorded): the checks :func:`record_payments` makes, for inline validation."""
    errors: dict[str, str] = {}
    number = invoice.strip()
    found = None
    if not number:
        errors["invoice"] = _("is required")
    else:
        try:
            found = _invoice(number, "invoice")
        except UserError as exc:
            errors["invoice"] = exc.message
    value = None
    try:
        value = parse_decimal(plain_number(amount.strip()), "amount", places=2)
        if value <= 0:
            errors["amount"] = _("must be more than zero")
    except UserError as exc:
        errors["amount"] = exc.message if amount.strip() else _("is required")
    try:
        day = parse_day(date, "date")
        if day > today:
            errors["date"] = _("{date} is after today ({today})").format(
                date=dated(day), today=dated(today)
            )
        elif found is not None and day < found.date:
            errors["date"] = _("is before the invoice date {date}").format(date=dated(found.date))
    except UserError as exc:
        errors["date"] = exc.message
    if found is not None and value is not None and "amount" not in errors:
        [balance] = balances(invoice_ids=[found.id])
        if value > balance.open:
            errors["amount"] = _(
                "{amount:.2f} is more than the {open:.2f} still open on {invoice}"
            ).format(amount=value, open=balance.open, invoice=number)
    return errors


def delete_payment(db: Database, payment_id: int) -> None:
    """Remove a payment recorded by mistake; one the bank returned, or one that a collection
    presented to the bank brought in, is refused with the reason (a return records what
    went wrong with those)."""
    with write_transaction(db):
        payment = Payment.get_or_none(Payment.id == payment_id)
        if payment is None:
            raise UserError(
                _("no payment with id {payment_id}").format(payment_id=payment_id), "payment"
            )
        reason = why_kept(payment)
        if reason:
            raise UserError(reason, "payment")
        invoice_id = payment.invoice_id
        payment.delete_instance()
        payments_changed({invoice_id})


def why_kept(payment: Payment) -> str | None:
    """Why ``payment`` cannot be deleted (None: it can): it was returned, or it is what a
    direct debit or Ri.Ba. presented to the bank collected."""
    number = Invoice.select(Invoice.number).where(Invoice.id == payment.invoice_id).scalar()
    returned = PaymentReturn.get_or_none(PaymentReturn.payment == payment.id)
    if returned is not None:
        return _(
            "payment {id} of {invoice} was returned by the bank on {date}: "
            "it stays in the history with its return"
        ).format(id=payment.id, invoice=number, date=format_date(returned.date))
    presented = (
        Collection.select(CollectionFile.kind, CollectionFile.presented_on)
        .join(CollectionFile)
        .where(Collection.invoice == payment.invoice_id, Collection.status == "presented")
        .tuples()
        .first()
    )
    if presented is not None and payment.method in (None, COLLECTED_BY[presented[0]]):
        kind, presented_on = presented
        if kind == "sdd":
            text = _(
                "payment {id} of {invoice} is the direct debit presented to the bank on {date}: "
                "if the bank did not collect it, record a return (payments return)"
            )
        else:
            text = _(
                "payment {id} of {invoice} is the Ri.Ba. presented to the bank on {date}: "
                "if the bank did not collect it, record a return (payments return)"
            )
        return text.format(id=payment.id, invoice=number, date=format_date(presented_on))
    return None


def payments_changed(invoice_ids: Iterable[int]) -> None:
    """Late interest depends on payments: have the invoices' contracts recomputed."""
    ids = list(invoice_ids)
    contracts = InvoiceLine.select(InvoiceLine.contract).where(
        InvoiceLine.invoice.in_(ids), InvoiceLine.contract.is_null(False)
    )
    Contract.update(revision=Contract.revision + 1).where(Contract.id.in_(contracts)).execute()


def list_payments(invoice: str | None = None) -> list[dict[str, Any]]:
    """Payments as in ``payments --json``, by date, each with the date the bank returned it
    (None: not returned); ``invoice`` narrows to one number."""
    query = (
        Payment.select(
            Payment.id,
            Invoice.number,
            Customer.code,
            Payment.date,
            Payment.amount,
            Payment.method,
            Payment.reference,
        )
        .join(Invoice)
        .join(Customer, JOIN.INNER)
    )
    if invoice is not None:
        if not Invoice.select().where(Invoice.number == invoice).exists():
            raise UserError(
                _("no invoice numbered {invoice!r}").format(invoice=invoice), "--invoice"
            )
        query = query.where(Invoice.number == invoice)
    rows = list(query.order_by(Payment.date, Payment.id).tuples())
    returned: dict[int, Any] = (
        dict(
            PaymentReturn.select(PaymentReturn.payment, PaymentReturn.date)
            .where(PaymentReturn.payment.in_([r[0] for r in rows]))
            .tuples()
        )
        if rows
        else {}
    )
    return [
        {
            "id": pid,
            "invoice": number,
            "customer": cust,
            "date": date.isoformat(),
            "amount": f"{amount:.2f}",
            "method": method,
            "reference": reference,
            "returned": returned[pid].isoformat() if pid in returned else None,
        }
        for pid, number, cust, date, amount, method, reference in rows
    ]


__all__ = [
    "Balance",
    "PaymentsSummary",
    "balances",
    "credited_totals",
    "delete_payment",
    "list_payments",
    "open_items",
    "paid_amounts",
    "payment_form_errors",
    "payments_changed",
    "record_payment",
    "record_payments",
    "why_kept",
]
