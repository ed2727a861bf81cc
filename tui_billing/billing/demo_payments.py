"""The demo's payments: how each customer pays its issued invoices (on time, late, in part,
or not any more), recorded as the months go by, and the legal-rate half-years the demo's
shifted dates reach beyond the seeded table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.interest_rates import list_rates, set_rate
from tui_billing.billing.payments import credited_totals, record_payments
from tui_billing.billing.professional_rules import owed as owed_of
from tui_billing.domain.legal_rates import half_year_label
from tui_billing.domain.parsing import Reader
from tui_billing.output.payments_file import PaymentInput
from tui_billing.store.models import Contract, Customer, Invoice, InvoiceLine

CENT = Decimal("0.01")


def months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def planned_payment(
    invoice: Invoice, habit: dict[str, Any], today: dt.date
) -> tuple[dt.date, Decimal] | None:
    """When and how much the customer pays of ``invoice``, by its habit; None: never."""
    due = invoice.due_date or invoice.date
    owed = owed_of(invoice)  # less VAT under split payment, less the withholding
    kind = habit.get("habit")
    if kind == "late":
        return due + dt.timedelta(days=int(habit["days"])), owed
    recent = "months" in habit and due >= months_before(today, int(habit["months"]))
    if kind == "partial" and recent:
        part = (owed * Decimal(habit["percent"]) / 100).quantize(CENT, ROUND_HALF_UP)
        return due, part
    if kind == "stopped" and recent:
        return None
    # on time: by transfer a few days before the due date (never before the invoice),
    # by direct debit and RiBa on the day
    early = 0 if invoice.payment_method in ("sepa_direct_debit", "riba") else (invoice.seq or 0) % 4
    return max(invoice.date, due - dt.timedelta(days=early)), owed


@dataclass
class DemoPayments:
    """The payments planned for the invoices issued so far, recorded once their day comes.
    Only the payments of invoices that may bill late charges (their first line's contract
    has late-payment terms) are recorded as the months go by; the others change nothing
    that is billed, so they are recorded at the end, in one go."""

    habits: dict[str, dict[str, Any]]
    today: dt.date
    pending: list[tuple[dt.date, str, Decimal]] = field(default_factory=list)
    later: list[tuple[dt.date, str, Decimal]] = field(default_factory=list)
    last_seen: int = 0
    recorded: int = 0

    def plan(self) -> None:
        """Plan the payments of the invoices issued since the last call."""
        invoices = list(
            Invoice.select(Invoice, Customer.code)
            .join(Customer)
            .where(
                Invoice.id > self.last_seen,
                Invoice.status == "issued",
                Invoice.document_type == "invoice",
                Invoice.total > 0,
            )
            .order_by(Invoice.id)
        )
        if not invoices:
            return
        self.last_seen = invoices[-1].id
        charging = _with_late_terms([i.id for i in invoices])
        credited = credited_totals(i.id for i in invoices)
        for invoice in invoices:
            planned = planned_payment(
                invoice, self.habits.get(invoice.customer.code, {}), self.today
            )
            if planned is not None and invoice.id in credited:  # pays what is left
                planned = planned[0], min(planned[1], owed_of(invoice) - credited[invoice.id])
            if planned is not None and planned[1] > 0:
                queue = self.pending if invoice.id in charging else self.later
                queue.append((planned[0], invoice.number or "", planned[1]))

    def record_until(self, db: Database, day: dt.date) -> None:
        """Record the planned payments that may bill late charges dated on or before
        ``day``."""
        self.pending = self._record(
            [p for p in self.pending if p[0] <= day],
            db,
            day,
            [p for p in self.pending if p[0] > day],
        )

    def record_the_rest(self, db: Database) -> None:
        """Record every planned payment dated on or before today."""
        self.record_until(db, self.today)
        self.later = self._record([p for p in self.later if p[0] <= self.today], db, self.today, [])

    def _record(
        self,
        due: list[tuple[dt.date, str, Decimal]],
        db: Database,
        day: dt.date,
        left: list[tuple[dt.date, str, Decimal]],
    ) -> list[tuple[dt.date, str, Decimal]]:
        if due:
            rows = [
                PaymentInput(
                    number,
                    date,
                    amount,
                    None,
                    _reference(date, number),
                    Reader({}, f"demo payment of {number}"),
                )
                for date, number, amount in sorted(due)
            ]
            self.recorded += record_payments(db, rows, day).created
        return left


def _with_late_terms(invoice_ids: list[int]) -> set[int]:
    """The invoices whose first line's contract has late-payment terms."""
    first: dict[int, int | None] = {}
    for invoice_id, contract_id in (
        InvoiceLine.select(InvoiceLine.invoice, InvoiceLine.contract)
        .where(InvoiceLine.invoice.in_(invoice_ids))
        .order_by(InvoiceLine.id)
        .tuples()
    ):
        first.setdefault(invoice_id, contract_id)
    terms = {
        c.id
        for c in Contract.select(Contract.id).where(
            Contract.late_interest.is_null(False) | Contract.late_fee.is_null(False)
        )
    }
    return {i for i, c in first.items() if c in terms}


def _reference(date: dt.date, number: str) -> str:
    return f"CRO {date:%y%m%d}{sum(map(ord, number)) % 100000:05d}"


def fill_legal_rates(db: Database, today: dt.date) -> list[str]:
    """Add the half-years up to ``today``'s that the rate table lacks, at the last known
    reference rate: the demo's dates follow today, the seeded table does not."""
    rates = list_rates()
    if not rates:
        return []
    last = rates[-1]
    added: list[str] = []
    start = last.half_year_start
    while True:
        start = dt.date(start.year + (start.month == 7), 1 if start.month == 7 else 7, 1)
        if start > today:
            return added
        set_rate(db, start.isoformat(), str(last.reference_rate), str(last.points))
        added.append(half_year_label(start))
