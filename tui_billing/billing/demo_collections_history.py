"""The demo's returned debit and reminders: the latest direct debit of a monthly contract
returned unpaid by the bank (its charges ride on that contract's next invoice), and the two
customers most overdue already reminded, one at level 2 and one at level 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peewee import Database

from tui_billing.billing.payments import open_items
from tui_billing.billing.returns import record_returns
from tui_billing.config import Config, ReturnsSettings
from tui_billing.domain.parsing import Reader
from tui_billing.output.returns_file import ReturnInput
from tui_billing.store.models import (
    Contract,
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    Reminder,
    utc_now,
)
from tui_billing.store.transactions import write_transaction

BANK_FEE = Decimal("3.50")
OWN_FEE = "5.00"
REASON = "AM04 Fondi insufficienti"


def return_a_debit(db: Database, today: dt.date) -> str | None:
    """Return (five days after it was collected) the latest direct debit of a monthly
    contract returned before ``today``'s month, so that the charges ride on the contract's
    installment of this month, the next to invoice; the invoice's number (None: none)."""
    monthly = Contract.select(Contract.id).where(
        Contract.frequency == "monthly", Contract.status == "active"
    )
    row = (
        Payment.select(Invoice.number, Payment.date)
        .join(Invoice)
        .join(InvoiceLine, on=(InvoiceLine.invoice == Invoice.id))
        .where(
            Invoice.payment_method == "sepa_direct_debit",
            InvoiceLine.contract.in_(monthly),
            Payment.date <= today.replace(day=1) - dt.timedelta(days=6),
        )
        .order_by(Payment.date.desc(), Invoice.id.desc())
        .tuples()
        .first()
    )
    if row is None:
        return None
    number, paid = row
    source = Reader({}, f"demo return of {number}")
    record_returns(
        db,
        [ReturnInput(number, paid + dt.timedelta(days=5), BANK_FEE, REASON, source)],
        today,
        ReturnsSettings(own_fee=OWN_FEE),
    )
    return str(number)


def remind_overdue(db: Database, today: dt.date, config: Config) -> list[tuple[str, int]]:
    """Record the reminders already sent to the two customers most overdue: levels 1 and
    2 to the first, level 1 to the second; (customer, level) of each."""
    items = [b for b in open_items(today) if b.days_overdue(today) > 0]
    oldest: dict[str, int] = {}
    ids: dict[str, list[int]] = {}
    for b in items:
        oldest[b.customer] = max(oldest.get(b.customer, 0), b.days_overdue(today))
        ids.setdefault(b.customer, []).append(b.invoice_id)
    chosen = sorted(oldest, key=lambda code: (-oldest[code], code))[:2]
    days = config.reminders.level_days
    recorded = []
    with write_transaction(db):
        for top, code in zip((2, 1), chosen, strict=False):
            customer = Customer.get(Customer.code == code)
            key = ",".join(str(i) for i in sorted(ids[code]))
            for level in range(1, top + 1):
                on = today - dt.timedelta(days=(top - level) * (days[1] - days[0]))
                sent = dt.datetime.combine(on, dt.time(9, 0))
                Reminder.create(
                    customer=customer.id,
                    level=level,
                    invoices=key,
                    date=on,
                    recipient=customer.email,
                    status="sent",
                    attempts=1,
                    sent_at=min(sent, utc_now()),
                )
                recorded.append((code, level))
    return recorded


__all__ = ["remind_overdue", "return_a_debit"]
