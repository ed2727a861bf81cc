"""Past billing runs and their logs, newest first, as plain values for lists and screens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_billing.store.models import BillingRun, BillingRunLog


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    run_date: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    origin: str
    dry_run: bool
    invoices_created: int
    installments_billed: int
    emailed: int
    failed: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    at: dt.datetime
    level: str
    contract: str | None
    message: str


def list_runs(limit: int = 200) -> list[RunSummary]:
    """The most recent runs, newest first."""
    query = (
        BillingRun.select(
            BillingRun.id,
            BillingRun.run_date,
            BillingRun.started_at,
            BillingRun.finished_at,
            BillingRun.status,
            BillingRun.origin,
            BillingRun.dry_run,
            BillingRun.invoices_created,
            BillingRun.installments_billed,
            BillingRun.emailed,
            BillingRun.failed,
        )
        .order_by(BillingRun.id.desc())
        .limit(limit)
        .tuples()
    )
    return [RunSummary(*row) for row in query]


def run_exists(run_id: int) -> bool:
    """Whether a billing run with this id was recorded."""
    return BillingRun.select(BillingRun.id).where(BillingRun.id == run_id).exists()


def run_log(run_id: int, limit: int = 5000) -> list[LogEntry]:
    """A run's log in the order it was written."""
    query = (
        BillingRunLog.select(
            BillingRunLog.at, BillingRunLog.level, BillingRunLog.contract, BillingRunLog.message
        )
        .where(BillingRunLog.run == run_id)
        .order_by(BillingRunLog.id)
        .limit(limit)
        .tuples()
    )
    return [LogEntry(*row) for row in query]


__all__ = ["LogEntry", "RunSummary", "list_runs", "run_exists", "run_log"]
