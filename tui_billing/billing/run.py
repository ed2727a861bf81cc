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
from tui_billing.billing.numbering import NumberOrderError
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.store.locking import billing_run_lock
from tui_billing.store.models import (
    BillingRun,
    BillingRunLog,
    Contract,
    ContractLine,
    Customer,
    utc_now,
)
from tui_billing.store.transactions import write_transaction

BATCH = 2000  # billing units (contracts) per invoicing transaction
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


@dataclass(slots=True)
class _Unit:
    """What must be invoiced together: one contract's due installments, all those of a
    customer with collective billing (its contracts share invoices), or one order's."""

    name: str  # the contract code, or "order O-1"; a collective customer: its first contract
    ids: dict[str | None, list[int]]  # installment ids by contract code (None: an order)

    @property
    def contracts(self) -> list[str]:
        return [code for code in self.ids if code is not None] or [self.name]

    def all_ids(self) -> list[int]:
        return [i for group in self.ids.values() for i in group]


def due_units(db: Database, on: dt.date) -> list[_Unit]:
    """The installments due on ``on`` as units to invoice, in the order of what is due."""
    collective = {code for (code,) in Customer.select(Customer.code)
                  .where(Customer.collective_billing == True).tuples()}  # noqa: E712
    units: dict[tuple[str, str], _Unit] = {}
    for row in iter_due(db, on, series=None):
        if row.contract is None:
            key = ("order", f"order {row.order}")
        elif row.customer in collective:
            key = ("customer", row.customer)
        else:
            key = ("contract", row.contract)
        unit = units.get(key)
        if unit is None:
            unit = units[key] = _Unit(row.contract or key[1], {})
        unit.ids.setdefault(row.contract, []).append(row.id)
    return list(units.values())


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
    if progress:
        progress("schedule", 1, 1)
    units = due_units(db, options.on)
    total = sum(len(u.ids) for u in units)
    done = 0
    biller = _Biller(db, options, status, config, report)
    for start in range(0, len(units), BATCH):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            _log(run_id, f"cancelled after {done} of {total} contracts", level="warning")
            break
        batch = units[start:start + BATCH]
        report.invoices.extend(biller.units(batch))
        done += sum(len(u.ids) for u in batch)
        if progress:
            progress("invoice", done, total)


class _Biller:
    """Invoices units of work, each commit whole: the invoices, their post-processing and
    their queued courtesy copies go in one transaction, so a kill leaves all or none."""

    def __init__(self, db: Database, options: RunOptions, status: str, config: Config,
                 report: RunReport) -> None:
        self.db, self.options, self.status = db, options, status
        self.config, self.report = config, report
        self.queue = (not options.dry_run and options.email and config.billing.email
                      and bool(config.smtp.host))

    def _write(self, ids: list[int], invoice_date: dt.date | None) -> list[CreatedInvoice]:
        with write_transaction(self.db):
            created = create_invoices(self.db, ids, series=self.options.series,
                                      status=self.status, billing_run_id=self.report.run_id,
                                      invoice_date=invoice_date)
            _post_process(self.db, created, self.config)
            if self.queue and created:
                from tui_billing.billing.courtesy_copies import queue_copies

                queue_copies(self.db, [c.id for c in created if c.number])
        return created

    def _create(self, ids: list[int], invoice_date: dt.date | None = None
                ) -> list[CreatedInvoice]:
        created = self._write(ids, invoice_date)
        self.report.installments_billed += len(ids)
        return created

    def _fails(self, ids: list[int]) -> Exception | None:
        """Why these installments cannot be invoiced, tried and rolled back; None if they can."""
        try:
            with write_transaction(self.db):
                try:
                    self._write(ids, None)
                except NumberOrderError:
                    self._write(ids, self.options.on)
                raise _Rollback
        except _Rollback:
            return None
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            return exc

    def units(self, units: list[_Unit]) -> list[CreatedInvoice]:
        """Invoice the units in one transaction; when that fails, halve the batch until the
        units that fail are alone, so each is named and skipped and the others billed."""
        try:
            return self._create([i for u in units for i in u.all_ids()])
        except Exception:  # noqa: BLE001 - isolated below
            if len(units) == 1:
                return self.unit(units[0])
        middle = len(units) // 2
        return self.units(units[:middle]) + self.units(units[middle:])

    def unit(self, unit: _Unit) -> list[CreatedInvoice]:
        """One unit alone. A missed period caught up after later-dated invoices of its
        series and year were issued cannot take a number before theirs: it is dated on the
        run date instead, with a warning in the run's log."""
        try:
            try:
                return self._create(unit.all_ids())
            except NumberOrderError as first:
                created = self._create(unit.all_ids(), invoice_date=self.options.on)
                for code in unit.contracts:
                    _log(self.report.run_id, f"dated {self.options.on:%d/%m/%Y}: {first}",
                         level="warning", contract=code)
                return created
        except Exception as exc:  # noqa: BLE001 - a contract that fails is named, not fatal
            if len(unit.ids) > 1:
                return self._collective_apart(unit)
            self._failed(unit.contracts[0], exc)
            return []

    def _collective_apart(self, unit: _Unit) -> list[CreatedInvoice]:
        """A collective customer's unit failed: find its contracts that fail (each tried
        alone and rolled back), name them, and invoice the others together."""
        bad = {code: exc for code, ids in unit.ids.items()
               if (exc := self._fails(ids)) is not None}
        for code, exc in bad.items():
            self._failed(code or unit.name, exc)
        good = {code: ids for code, ids in unit.ids.items() if code not in bad}
        if not bad:  # each goes alone, not together: bill them apart
            return [invoice for code, ids in good.items()
                    for invoice in self.unit(_Unit(code or unit.name, {code: ids}))]
        if not good:
            return []
        return self.unit(_Unit(next(iter(good)) or unit.name, good))

    def _failed(self, code: str, exc: Exception) -> None:
        reason = str(exc) or type(exc).__name__
        self.report.failed.append((code, reason))
        _log(self.report.run_id, reason, level="error", contract=code)


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
