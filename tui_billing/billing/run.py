"""The billing run (cron, CLI, TUI): materialize, invoice everything due, post-process,
send courtesy copies, and keep a record with its log. Safe to repeat, to run twice at
once (one gets LockHeld) and to kill at any instant: each batch of invoices commits whole,
and the next run finishes the work."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import Database, fn

from tui_billing.billing.due import iter_due
from tui_billing.billing.invoicing import CreatedInvoice, create_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.billing.price_history import index_warnings
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.store.locking import billing_run_lock
from tui_billing.store.models import (
    BillingRun,
    BillingRunLog,
    Contract,
    ContractLine,
    utc_now,
)
from tui_billing.store.transactions import write_transaction

BATCH = 500  # contracts per invoicing transaction
POST_PROCESS_ORDER = ("draft", "issued", "open_item", "posted")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class _Rollback(Exception):
    """Ends a dry run's transaction."""


@dataclass
class RunOptions:
    on: dt.date
    dry_run: bool = False
    status: str | None = None  # draft | issued; None: the configuration's
    series: str | None = None
    email: bool = True
    origin: str = "cli"


@dataclass
class RunReport:
    date: dt.date
    dry_run: bool
    run_id: int | None = None
    invoices: list[CreatedInvoice] = field(default_factory=list)
    installments_billed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (contract, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # billed, but see why
    emailed: int = 0
    email_failed: list[tuple[str, str]] = field(default_factory=list)
    email_skipped: str | None = None
    cancelled: bool = False

    @property
    def total(self) -> Decimal:
        return sum((i.total for i in self.invoices), Decimal("0.00"))

    def to_json(self) -> dict:
        """The ``run --json`` shape of the spec (plus a few extra keys)."""
        return {
            "date": self.date.isoformat(),
            "dry_run": self.dry_run,
            "invoices_created": len(self.invoices),
            "installments_billed": self.installments_billed,
            "invoices": [i.number or i.id for i in self.invoices],
            "failed": [{"contract": k, "error": e} for k, e in self.failed],
            "warnings": [{"contract": k, "warning": w} for k, w in self.warnings],
            "emailed": self.emailed,
            "email_failed": [{"invoice": n, "error": e} for n, e in self.email_failed],
            "cancelled": self.cancelled,
            "total": f"{self.total:.2f}",
        }


def unbillable_contracts() -> list[tuple[str, str]]:
    """Active contracts that cannot bill, with the reason (A3)."""
    no_lines = ~fn.EXISTS(ContractLine.select().where(ContractLine.contract == Contract.id))
    failed = []
    for code, customer, start, lines_missing in (
        Contract.select(Contract.code, Contract.customer, Contract.start_date, no_lines)
        .where(Contract.status == "active")
        .where(Contract.customer.is_null() | Contract.start_date.is_null() | no_lines)
        .order_by(Contract.code).tuples()
    ):
        reasons = [text for missing, text in ((customer is None, "no customer"),
                                              (start is None, "no start date"),
                                              (lines_missing, "no lines")) if missing]
        failed.append((code, "cannot be billed: " + ", ".join(reasons)))
    return failed


def _log(run_id: int | None, message: str, *, level: str = "info",
         contract: str | None = None) -> None:
    if run_id is not None:
        BillingRunLog.create(run=run_id, level=level, contract=contract, message=message)


def mark_interrupted_runs() -> int:
    """Runs left 'running' by a process that died (the lock is free, so none is alive)."""
    return (BillingRun.update(status="interrupted", finished_at=utc_now())
            .where(BillingRun.status == "running").execute())


def run_billing(
    db: Database,
    options: RunOptions,
    config: Config,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    wait_for_lock: bool = False,
) -> RunReport:
    """Invoice everything due on ``options.on``. Raises LockHeld when another run is on."""
    status = options.status or config.billing.status
    if status not in ("draft", "issued"):
        raise UserError(f"unknown status {status!r} (draft or issued)", "--status")
    report = RunReport(options.on, options.dry_run)
    if options.dry_run:
        try:
            with write_transaction(db):
                _bill(db, options, status, config, report, progress, cancel)
                raise _Rollback
        except _Rollback:
            pass
        return report
    with billing_run_lock(db, wait=wait_for_lock):
        with write_transaction(db):
            mark_interrupted_runs()
            run = BillingRun.create(run_date=options.on, origin=options.origin)
        report.run_id = run.id
        outcome = "failed"
        try:
            _bill(db, options, status, config, report, progress, cancel)
            if options.email and config.billing.email and not report.cancelled:
                _send_copies(db, config, report, progress)
            outcome = "cancelled" if report.cancelled else "done"
        finally:
            with write_transaction(db):
                BillingRun.update(
                    status=outcome, finished_at=utc_now(),
                    invoices_created=len(report.invoices),
                    installments_billed=report.installments_billed,
                    emailed=report.emailed, failed=len(report.failed),
                ).where(BillingRun.id == run.id).execute()
                _log(run.id, f"{outcome}: {len(report.invoices)} invoices, "
                             f"{report.installments_billed} installments, "
                             f"{len(report.failed)} contracts failed, {report.emailed} e-mailed")
    return report


def _bill(db: Database, options: RunOptions, status: str, config: Config, report: RunReport,
          progress: Progress | None, cancel: threading.Event | None) -> None:
    run_id = report.run_id
    for code, reason in unbillable_contracts():
        report.failed.append((code, reason))
        _log(run_id, reason, level="error", contract=code)
    if progress:
        progress("schedule", 0, 1)
    materialized = materialize(db, options.on)
    for code, reason in materialized.failed:
        report.failed.append((code, reason))
        _log(run_id, reason, level="error", contract=code)
    for code, warning in index_warnings(options.on):  # lines kept at their last price
        report.warnings.append((code, warning))
        _log(run_id, warning, level="warning", contract=code)
    if progress:
        progress("schedule", 1, 1)
    by_contract: dict[str, list[int]] = {}
    for row in iter_due(db, options.on, series=None):
        by_contract.setdefault(row.contract or f"order {row.order}", []).append(row.id)
    contracts = list(by_contract.items())
    total = len(contracts)
    done = 0
    for start in range(0, total, BATCH):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            _log(run_id, f"cancelled after {done} of {total} contracts", level="warning")
            break
        batch = contracts[start:start + BATCH]
        created = _invoice_batch(db, batch, options, status, report)
        report.invoices.extend(created)
        _post_process(db, created, config)
        if (not options.dry_run and options.email and config.billing.email and created
                and config.smtp.host):
            from tui_billing.billing.courtesy_copies import queue_copies

            queue_copies(db, [c.id for c in created if c.number])
        done += len(batch)
        if progress:
            progress("invoice", done, total)


def _invoice_batch(db: Database, batch: list[tuple[str, list[int]]], options: RunOptions,
                   status: str, report: RunReport) -> list[CreatedInvoice]:
    """Invoice a batch of contracts in one transaction; when it fails, contract by
    contract, so that one bad contract is named and skipped and the others are billed."""
    ids = [i for _, group in batch for i in group]
    try:
        created = create_invoices(db, ids, series=options.series, status=status,
                                  billing_run_id=report.run_id)
        report.installments_billed += len(ids)
        return created
    except Exception:  # noqa: BLE001 - isolated below, contract by contract
        if len(batch) == 1:
            raise
    created = []
    for code, group in batch:
        try:
            try:
                created.extend(create_invoices(db, group, series=options.series, status=status,
                                               billing_run_id=report.run_id))
            except UserError as first:
                # A missed period caught up late cannot be numbered before invoices already
                # issued with later dates: it is dated on the run date instead.
                created.extend(create_invoices(db, group, series=options.series, status=status,
                                               billing_run_id=report.run_id,
                                               invoice_date=options.on))
                _log(report.run_id, f"dated {options.on:%d/%m/%Y}: {first}", level="warning",
                     contract=code)
            report.installments_billed += len(group)
        except Exception as exc:  # noqa: BLE001 - a contract that fails is named, not fatal
            reason = str(exc) or type(exc).__name__
            report.failed.append((code, reason))
            _log(report.run_id, reason, level="error", contract=code)
    return created


def _post_process(db: Database, created: list[CreatedInvoice], config: Config) -> None:
    """C5: carry the new issued invoices up to the configured status. 'open_item' and
    'posted' are recorded here; the accounting work behind them is a hook for later."""
    target = config.billing.post_process
    if target not in ("open_item", "posted"):
        return
    from tui_billing.store.models import Invoice

    ids = [c.id for c in created if c.status == "issued"]
    if ids:
        with write_transaction(db):
            Invoice.update(status=target).where(Invoice.id.in_(ids)).execute()


def _send_copies(db: Database, config: Config, report: RunReport,
                 progress: Progress | None) -> None:
    from tui_billing.billing.courtesy_copies import send_pending

    sent = send_pending(db, config, progress=(lambda d, t: progress("email", d, t))
                        if progress else None)
    report.emailed = sent.sent
    report.email_failed = sent.failed
    report.email_skipped = sent.skipped
    for number, reason in sent.failed:
        _log(report.run_id, f"courtesy copy of {number} not sent: {reason}", level="warning")
