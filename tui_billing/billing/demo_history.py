"""The demo's past: the month-end billing runs a company using the product would have run
since its first contract, up to the end of the month before "today", so that the demo
opens on issued invoices with gapless numbers and on the current month's work only; one
run's invoice is partly credited by a credit note two months before the last run; the
issued documents are sent to the SdI (see ``demo_einvoices``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from peewee import Database, fn

from tui_billing.billing.credit_notes import credit_invoice
from tui_billing.billing.demo_collections_history import remind_overdue, return_a_debit
from tui_billing.billing.demo_payments import DemoPayments, fill_legal_rates
from tui_billing.billing.invoicing import CreatedInvoice
from tui_billing.billing.materialize import materialize
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.output.demo import demo_payment_habits
from tui_billing.store.models import BillingRun, Contract, InvoiceLine
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True)
class History:
    runs: int
    invoices: int
    payments: int
    until: dt.date | None  # the last run's date; None when there was nothing to bill


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


CREDIT_SHARE = Decimal("0.10")  # of the taxable, for the demo's credit note
CREDIT_REASON = "Sconto concordato per il fermo del servizio nel periodo"


def credit_an_invoice(db: Database, created: Sequence[CreatedInvoice], day: dt.date) -> str | None:
    """The demo's credit note of an earlier invoice: 10 % of the taxable of the first
    invoice of a run with two lines or more, credited on the run's date; its number."""
    for invoice in created:
        if (
            invoice.document_type != "invoice"
            or invoice.number is None
            or invoice.taxable <= 0
            or InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).count() < 2
        ):
            continue
        amount = (invoice.taxable * CREDIT_SHARE).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return credit_invoice(
            db, invoice.number, today=day, amount=amount, reason=CREDIT_REASON
        ).number
    return None


def bill_past(db: Database, today: dt.date, profile: str = "default") -> History:
    """Run the billing at every month end from the first contract's month to the month
    before ``today``'s (invoices issued, no e-mail), each run recorded as of its date; the
    customers pay as they go (their payments recorded before each run, the late ones
    billed interest by the runs that follow), up to ``today``."""
    first = Contract.select(fn.MIN(Contract.start_date)).scalar()
    if first is None:
        return History(0, 0, 0, None)
    if isinstance(first, str):
        first = dt.date.fromisoformat(first)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    config = Config()
    fill_legal_rates(db, today)
    payments = DemoPayments(demo_payment_habits(profile), today)
    # The schedules are computed once up to the last run (the same installments as month by
    # month: materializing is recompute-and-diff), so each run only invoices.
    materialize(db, last)
    runs = invoices = 0
    credit_day = month_end(dt.date(last.year, last.month, 1) - dt.timedelta(days=40))
    day = month_end(first)
    while day <= last:
        payments.record_until(db, day)
        report = run_billing(
            db, RunOptions(on=day, status="issued", email=False, origin="cron"), config
        )
        at = dt.datetime.combine(day, dt.time(2, 30))  # stored naive, UTC
        with write_transaction(db):
            BillingRun.update(started_at=at, finished_at=at + dt.timedelta(seconds=1)).where(
                BillingRun.id == report.run_id
            ).execute()
        if day == credit_day:
            credit_an_invoice(db, report.invoices, day)
        payments.plan()
        runs += 1
        invoices += len(report.invoices)
        day = month_end(day + dt.timedelta(days=1))
    payments.record_the_rest(db)
    if profile == "default":
        return_a_debit(db, today)
    remind_overdue(db, today, config)
    if runs:
        from tui_billing.billing.demo_einvoices import demo_einvoices

        demo_einvoices(db, today)
    return History(runs, invoices, payments.recorded, last if runs else None)


def present_demo_debits(db: Database, today: dt.date) -> int:
    """The demo's presented file: the direct debits falling due in the coming month, in one
    SEPA file recorded as presented today (its bytes kept: ``collections sdd --again``
    writes it), its message id fixed by the day so that the demo is the same every time
    (the real files draw a unique one). Returns how many invoices it holds (0 when none
    was due)."""
    from tui_billing.billing.presenting import present_sdd
    from tui_billing.domain.errors import UserError

    now = dt.datetime.combine(today, dt.time(9, 0))
    try:
        presented = present_sdd(
            db,
            due_to=today + dt.timedelta(days=31),
            today=today,
            now=now,
            message_id=f"{now:%Y%m%d%H%M%S}-DEMO00000001",
        )
    except UserError:
        return 0
    return presented.count
