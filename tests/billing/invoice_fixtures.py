"""Building customers, contracts and pending installments directly, in the stored format."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal

from tui_billing.store.models import Contract, Customer, Installment

_keys = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def customer(code: str = "ACME", **fields) -> Customer:
    fields.setdefault("name", f"{code} S.r.l.")
    return Customer.create(code=code, **fields)


def contract(code: str, owner: Customer, **fields) -> Contract:
    fields.setdefault("status", "active")
    fields.setdefault("start_date", d("2024-01-01"))
    return Contract.create(code=code, customer=owner, **fields)


def line(
    amount: str,
    *,
    description: str = "Maintenance",
    vat_rate: str = "22.00",
    quantity: str = "1",
    unit_price: str | None = None,
    start: str | None = None,
    end: str | None = None,
    key: str = "1",
) -> dict:
    return {
        "line": key,
        "description": description,
        "period_start": start,
        "period_end": end,
        "quantity": quantity,
        "unit_price": unit_price or amount,
        "amount": amount,
        "vat_rate": vat_rate,
    }


def installment(
    owner: Contract,
    invoice_date: str,
    *lines: dict,
    start: str | None = None,
    end: str | None = None,
) -> Installment:
    """A pending installment of ``owner`` dated ``invoice_date``; without lines, one line of
    100.00 at 22% over the period."""
    if not lines:
        lines = (line("100.00", start=start, end=end),)
    amount = sum((Decimal(li["amount"]) for li in lines), Decimal("0"))
    return Installment.create(
        contract=owner,
        key=f"k{next(_keys)}",
        period_start=d(start) if start else None,
        period_end=d(end) if end else None,
        invoice_date=d(invoice_date),
        amount=amount,
        lines=json.dumps(lines),
        status="pending",
    )
