"""Invoice lines read with where they came from: the contract, the order of the installment
they bill and the order of the order line they bill (two aliases of ``order``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import JOIN

from tui_billing.store.models import Contract, Installment, InvoiceLine, Order, OrderLine

INSTALLMENT_ORDER = Order.alias("installment_order")  # the order an installment belongs to
LINE_ORDER = Order.alias("line_order")  # the order an order line belongs to


def line_rows(columns: Sequence[Any], invoice_ids: Sequence[int]) -> Any:
    """The ``columns`` (of InvoiceLine, Contract, INSTALLMENT_ORDER, LINE_ORDER) of the
    lines of ``invoice_ids``, as tuples, by invoice then position."""
    return (
        InvoiceLine.select(*columns)
        .join_from(InvoiceLine, Contract, JOIN.LEFT_OUTER)
        .join_from(InvoiceLine, Installment, JOIN.LEFT_OUTER)
        .join_from(
            Installment,
            INSTALLMENT_ORDER,
            JOIN.LEFT_OUTER,
            on=(Installment.order == INSTALLMENT_ORDER.id),
        )
        .join_from(InvoiceLine, OrderLine, JOIN.LEFT_OUTER)
        .join_from(OrderLine, LINE_ORDER, JOIN.LEFT_OUTER, on=(OrderLine.order == LINE_ORDER.id))
        .where(InvoiceLine.invoice.in_(list(invoice_ids)))
        .order_by(InvoiceLine.invoice, InvoiceLine.position, InvoiceLine.id)
        .tuples()
    )
