"""Reading orders back: each with its lines, its invoices and what is left to invoice, as
plain values and in the ``orders --json`` shape."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui_billing.billing.invoicing import order_kind
from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import ZERO, format_price, format_quantity, round_money
from tui_billing.store.models import Customer, Installment, Invoice, Order, OrderLine

KIND_NAMES = {
    "regular": "invoice",
    "partial": "partial invoice",
    "down_payment": "down payment",
    "installment": "installment",
    "final": "final invoice",
}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """What an order line bills: quantity x unit price, to the cent half up."""
    return round_money(quantity * unit_price)


@dataclass(frozen=True, slots=True)
class OrderLineView:
    id: int
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    locked: bool
    vat_nature: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "quantity": format_quantity(self.quantity),
            "unit_price": format_price(self.unit_price),
            "amount": _money(self.amount),
            "vat_rate": _money(self.vat_rate),
            "vat_nature": self.vat_nature,
            "locked": self.locked,
        }


@dataclass(frozen=True, slots=True)
class OrderInvoiceView:
    id: int
    number: str | None
    kind: str
    status: str
    date: dt.date
    due_date: dt.date | None
    taxable: Decimal
    vat: Decimal
    total: Decimal

    @property
    def name(self) -> str:
        return self.number or f"draft #{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "kind": self.kind,
            "status": self.status,
            "date": _iso(self.date),
            "due_date": _iso(self.due_date),
            "taxable": _money(self.taxable),
            "vat": _money(self.vat),
            "total": _money(self.total),
        }


@dataclass(frozen=True, slots=True)
class ScheduledView:
    """An installment of the order's plan not invoiced yet."""

    id: int
    kind: str
    invoice_date: dt.date
    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "installment": str(self.id),
            "kind": self.kind,
            "invoice_date": _iso(self.invoice_date),
            "amount": _money(self.amount),
        }


@dataclass(frozen=True, slots=True)
class OrderView:
    """One order with its figures, all net of VAT: total of its lines, invoiced (the
    taxable of its invoices), remaining (total - invoiced) and scheduled (plan
    installments not invoiced yet)."""

    id: int
    code: str
    customer: str
    customer_name: str
    date: dt.date
    status: str
    description: str | None
    series: str
    lines: tuple[OrderLineView, ...]
    invoices: tuple[OrderInvoiceView, ...]
    scheduled: tuple[ScheduledView, ...]

    @property
    def total(self) -> Decimal:
        return sum((li.amount for li in self.lines), ZERO)

    @property
    def invoiced(self) -> Decimal:
        return sum((i.taxable for i in self.invoices), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.total - self.invoiced

    @property
    def scheduled_amount(self) -> Decimal:
        return sum((s.amount for s in self.scheduled), ZERO)

    def to_json(self) -> dict[str, Any]:
        """The ``orders --json`` shape."""
        return {
            "code": self.code,
            "customer": self.customer,
            "date": _iso(self.date),
            "status": self.status,
            "description": self.description,
            "series": self.series,
            "total": _money(self.total),
            "invoiced": _money(self.invoiced),
            "remaining": _money(self.remaining),
            "scheduled": _money(self.scheduled_amount),
            "lines": [li.to_json() for li in self.lines],
            "invoices": [i.to_json() for i in self.invoices],
            "scheduled_installments": [s.to_json() for s in self.scheduled],
        }


def list_orders(
    *, status: str | None = None, code: str | None = None, order_ids: list[int] | None = None
) -> list[OrderView]:
    """Orders by code, each with its lines, invoices and scheduled installments."""
    query = (
        Order.select(
            Order.id,
            Order.code,
            Customer.code,
            Customer.name,
            Order.date,
            Order.status,
            Order.description,
            Order.series,
        )
        .join(Customer)
        .order_by(Order.code)
    )
    if status:
        query = query.where(Order.status == status)
    if code is not None:
        query = query.where(Order.code == code)
    if order_ids is not None:
        query = query.where(Order.id.in_(order_ids))
    orders = list(query.tuples())
    if not orders:
        return []
    # one query per table; the ids as a subquery, so that no list of ids grows with N
    ids = query.select(Order.id).order_by()
    lines: dict[int, list[OrderLineView]] = {}
    for lid, oid, position, description, quantity, price, rate, locked, nature in (
        OrderLine.select(
            OrderLine.id,
            OrderLine.order,
            OrderLine.position,
            OrderLine.description,
            OrderLine.quantity,
            OrderLine.unit_price,
            OrderLine.vat_rate,
            OrderLine.locked,
            OrderLine.vat_nature,
        )
        .where(OrderLine.order.in_(ids))
        .order_by(OrderLine.order, OrderLine.position, OrderLine.id)
        .tuples()
    ):
        lines.setdefault(oid, []).append(
            OrderLineView(
                lid,
                position,
                description,
                quantity,
                price,
                line_amount(quantity, price),
                rate,
                bool(locked),
                nature,
            )
        )
    invoices: dict[int, list[OrderInvoiceView]] = {}
    for iid, oid, number, kind, state, date, due, taxable, vat, total in (
        Invoice.select(
            Invoice.id,
            Invoice.order,
            Invoice.number,
            Invoice.kind,
            Invoice.status,
            Invoice.date,
            Invoice.due_date,
            Invoice.taxable,
            Invoice.vat,
            Invoice.total,
        )
        .where(Invoice.order.in_(ids))
        .order_by(Invoice.date, Invoice.id)
        .tuples()
    ):
        invoices.setdefault(oid, []).append(
            OrderInvoiceView(iid, number, kind, state, date, due, taxable, vat, total)
        )
    scheduled: dict[int, list[ScheduledView]] = {}
    for inst_id, oid, key, date, amount in (
        Installment.select(
            Installment.id,
            Installment.order,
            Installment.key,
            Installment.invoice_date,
            Installment.amount,
        )
        .where(Installment.order.in_(ids) & (Installment.status != "invoiced"))
        .order_by(Installment.invoice_date, Installment.id)
        .tuples()
    ):
        scheduled.setdefault(oid, []).append(ScheduledView(inst_id, order_kind(key), date, amount))
    return [
        OrderView(
            oid,
            ocode,
            ccode,
            cname,
            date,
            state,
            description,
            series,
            tuple(lines.get(oid, ())),
            tuple(invoices.get(oid, ())),
            tuple(scheduled.get(oid, ())),
        )
        for oid, ocode, ccode, cname, date, state, description, series in orders
    ]


def find_order(code: str) -> Order:
    """The order with this code; a UserError naming it when there is none."""
    order = Order.get_or_none(Order.code == str(code).strip())
    if order is None:
        raise UserError(_("unknown order {code!r}").format(code=code))
    return order


def order_view(code: str) -> OrderView:
    """One order, read back."""
    find_order(code)
    return list_orders(code=str(code).strip())[0]


__all__ = [
    "KIND_NAMES",
    "OrderInvoiceView",
    "OrderLineView",
    "OrderView",
    "ScheduledView",
    "find_order",
    "line_amount",
    "list_orders",
    "order_view",
]
