"""The demo's past: the month-end billing runs a company using the product would have run
since its first contract, up to the end of the month before "today", so that the demo
opens on issued invoices with gapless numbers and on the current month's work only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database, fn

from tui_billing.billing.materialize import materialize
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.store.models import BillingRun, Contract
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True)
class History:
    runs: int
    invoices: int
    until: dt.date | None  # the last run's date; None when there was nothing to bill


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def bill_past(db: Database, today: dt.date) -> History:
    """Run the billing at every month end from the first contract's month to the month
    before ``today``'s (invoices issued, no e-mail), each run recorded as of its date."""
    first = Contract.select(fn.MIN(Contract.start_date)).scalar()
    if first is None:
        return History(0, 0, None)
    if isinstance(first, str):
        first = dt.date.fromisoformat(first)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    config = Config()
    # The schedules are computed once up to the last run (the same installments as month by
    # month: materializing is recompute-and-diff), so each run only invoices.
    materialize(db, last)
    runs = invoices = 0
    day = month_end(first)
    while day <= last:
        report = run_billing(db, RunOptions(on=day, status="issued", email=False,
                                            origin="cron"), config)
        at = dt.datetime.combine(day, dt.time(2, 30))  # stored naive, UTC
        with write_transaction(db):
            BillingRun.update(started_at=at, finished_at=at + dt.timedelta(seconds=1)).where(
                BillingRun.id == report.run_id).execute()
        runs += 1
        invoices += len(report.invoices)
        day = month_end(day + dt.timedelta(days=1))
    return History(runs, invoices, last if runs else None)
