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
from typing import Any

from peewee import Database, fn

from tui_billing.billing.invoicing import CreatedInvoice
from tui_billing.billing.materialize import materialize
from tui_billing.billing.price_history import index_warnings
from tui_billing.billing.renewals import Renewal, renew_due
from tui_billing.billing.run_invoicing import RunInvoicer, Unit, due_units, periods_beyond
from tui_billing.billing.wording import Said, _, english, pgettext
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_
from tui_billing.domain.parties import missing_for_issue, refuse_incomplete_seller
from tui_billing.domain.run_bounds import too_many_periods
from tui_billing.store.company_row import company_values
from tui_billing.store.locking import billing_run_lock
from tui_billing.store.models import (
    BillingRun,
    BillingRunLog,
    Contract,
    ContractLine,
    utc_now,
)
from tui_billing.store.transactions import write_transaction

BATCH = 2000  # units (about one invoice each) per invoicing transaction

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
    max_periods: int | None = None  # periods one contract may catch up; None: the config's
    today: dt.date | None = None  # the day e-invoices are written on (None: the clock's)


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
    email_resent: list[str] = field(default_factory=list)  # perhaps twice: see send_pending
    email_in_progress: list[str] = field(default_factory=list)  # another process sends them
    cancelled: bool = False
    seller_missing: str | None = None  # a dry run without a complete seller: previewed as drafts
    einvoices_exported: int | None = None  # None: no [einvoice] dir configured
    einvoice_failed: list[str] = field(default_factory=list)  # document and rule each
    renewals: list[Renewal] = field(default_factory=list)  # terms this run renewed

    @property
    def taxable(self) -> Decimal:
        """The new invoices' amount net of VAT."""
        return sum((i.taxable for i in self.invoices), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((i.vat for i in self.invoices), Decimal("0.00"))

    @property
    def out_of_scope(self) -> Decimal:
        """The new invoices' lines out of VAT scope (N1): in the total, not taxable."""
        return sum((i.out_of_scope for i in self.invoices), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        """The new invoices' amount with VAT (and the lines out of VAT scope)."""
        return sum((i.total for i in self.invoices), Decimal("0.00"))

    def to_json(self) -> dict[str, Any]:
        """The ``run --json`` shape of the spec (plus a few extra keys)."""
        return {
            "date": self.date.isoformat(),
            "dry_run": self.dry_run,
            "invoices_created": len(self.invoices),
            "installments_billed": self.installments_billed,
            "invoices": [i.number or i.id for i in self.invoices],
            "failed": [{"contract": k, "error": english(e)} for k, e in self.failed],
            "warnings": [{"contract": k, "warning": english(w)} for k, w in self.warnings],
            "emailed": self.emailed,
            "email_failed": [{"invoice": n, "error": english(e)} for n, e in self.email_failed],
            "email_resent": self.email_resent,
            "cancelled": self.cancelled,
            "einvoices_exported": self.einvoices_exported,
            "einvoice_failed": [english(e) for e in self.einvoice_failed],
            "taxable": f"{self.taxable:.2f}",
            "vat": f"{self.vat:.2f}",
            "out_of_scope": f"{self.out_of_scope:.2f}",
            "total": f"{self.total:.2f}",
            "renewals": [r.to_json() for r in self.renewals],
        }


def unbillable_contracts() -> list[tuple[str, str]]:
    """Active contracts that cannot bill, with the reason (A3)."""
    no_lines = ~fn.EXISTS(ContractLine.select().where(ContractLine.contract == Contract.id))
    failed: list[tuple[str, str]] = []
    for code, customer, start, lines_missing in (
        Contract.select(Contract.code, Contract.customer, Contract.start_date, no_lines)
        .where(Contract.status == "active")
        .where(Contract.customer.is_null() | Contract.start_date.is_null() | no_lines)
        .order_by(Contract.code)
        .tuples()
    ):
        reasons = [
            text
            for missing, text in (
                (customer is None, N_("no customer")),
                (start is None, N_("no start date")),
                (lines_missing, N_("no lines")),
            )
            if missing
        ]
        failed.append(
            (
                code,
                Said(
                    "cannot be billed: " + ", ".join(reasons),
                    _("cannot be billed: {reasons}").format(
                        reasons=", ".join(_(r) for r in reasons)
                    ),
                ),
            )
        )
    return failed


def _log(
    run_id: int | None, message: str, *, level: str = "info", contract: str | None = None
) -> None:
    if run_id is not None:
        BillingRunLog.create(run=run_id, level=level, contract=contract, message=message)


def mark_interrupted_runs() -> int:
    """Runs left 'running' by a process that died (the lock is free, so none is alive)."""
    return (
        BillingRun.update(status="interrupted", finished_at=utc_now())
        .where(BillingRun.status == "running")
        .execute()
    )


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
        raise UserError(
            _("unknown status {status!r} (draft or issued)").format(status=status), "--status"
        )
    report = RunReport(options.on, options.dry_run)
    if status == "issued" and missing_for_issue(company_values()):
        if not options.dry_run:  # refused before anything is written: exit 2
            refuse_incomplete_seller(company_values())
        # A preview still shows what would be billed: drafts, without numbers.
        status = "draft"
        report.seller_missing = ", ".join(
            f"company.{key}" for key in missing_for_issue(company_values())
        )
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
            if config.einvoice.dir:
                _export_einvoices(db, options, config, report)
            if options.email and config.billing.email and not report.cancelled:
                _send_copies(db, config, report, progress)
            outcome = "cancelled" if report.cancelled else "done"
        finally:
            with write_transaction(db):
                BillingRun.update(
                    status=outcome,
                    finished_at=utc_now(),
                    invoices_created=len(report.invoices),
                    installments_billed=report.installments_billed,
                    emailed=report.emailed,
                    failed=len(report.failed),
                ).where(BillingRun.id == run.id).execute()
                _log(
                    run.id,
                    _(
                        "{outcome}: {invoices} invoices, {installments} installments, "
                        "{failed} contracts failed, {emailed} e-mailed"
                    ).format(
                        outcome=_outcome(outcome),
                        invoices=len(report.invoices),
                        installments=report.installments_billed,
                        failed=len(report.failed),
                        emailed=report.emailed,
                    ),
                )
    return report


def _outcome(outcome: str) -> str:
    """How the run's summary names its outcome (a code in the database)."""
    if outcome == "done":
        return pgettext("run outcome", "done")
    if outcome == "cancelled":
        return pgettext("run outcome", "cancelled")
    return pgettext("run outcome", "failed")


def _bill(
    db: Database,
    options: RunOptions,
    status: str,
    config: Config,
    report: RunReport,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> None:
    run_id = report.run_id
    for code, reason in unbillable_contracts():
        report.failed.append((code, reason))
        _log(run_id, reason, level="error", contract=code)
    if progress:
        progress("schedule", 0, 1)
    # Terms that ended on or before the run's date renew first: their periods bill now.
    for renewal in renew_due(
        db, options.on, f"tacit renewal, billing run of {options.on:%d/%m/%Y}"
    ):
        report.renewals.append(renewal)
        _log(
            run_id,
            _("renewed: {renewal}").format(renewal=renewal.line()),
            contract=renewal.contract,
        )
    materialized = materialize(db, options.on)
    for code, reason in materialized.failed:
        report.failed.append((code, reason))
        _log(run_id, reason, level="error", contract=code)
    for code, warning in index_warnings(options.on):  # lines kept at their last price
        report.warnings.append((code, warning))
        _log(run_id, warning, level="warning", contract=code)
    if progress:
        progress("schedule", 1, 1)
    units = _within_limit(due_units(db, options.on), options, config, report)
    total = sum(u.count() for u in units)
    invoicer = RunInvoicer(
        db,
        options.on,
        status,
        config,
        lambda message, level, contract: _log(run_id, message, level=level, contract=contract),
        series=options.series,
        billing_run_id=run_id,
        queue_copies=(
            not options.dry_run
            and options.email
            and config.billing.email
            and bool(config.smtp.host)
        ),
    )
    done = 0
    for start in range(0, len(units), BATCH):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            _log(
                run_id,
                _("cancelled after {done} of {total} installments").format(done=done, total=total),
                level="warning",
            )
            break
        batch = units[start : start + BATCH]
        done += sum(u.count() for u in batch)  # counted before invoicing changes the units
        invoicer.batch(batch)
        if progress:
            progress("invoice", done, total)
    if not report.cancelled:
        invoicer.catch_up()
    report.invoices = invoicer.created
    report.installments_billed = invoicer.installments
    report.failed.extend(invoicer.failed)
    report.warnings.extend(invoicer.warnings)


def _within_limit(
    units: list[Unit], options: RunOptions, config: Config, report: RunReport
) -> list[Unit]:
    """``units`` less the contracts with more periods to catch up than allowed (a start date
    wrong by years or centuries): each is named as failed and bills nothing in this run."""
    limit = options.max_periods or config.billing.max_periods_per_contract
    beyond = periods_beyond(units, limit)
    for code in sorted(beyond):
        reason = too_many_periods(beyond[code][0], limit, beyond[code][1])
        report.failed.append((code, reason))
        _log(report.run_id, reason, level="error", contract=code)
    if not beyond:
        return units
    skipped = set(beyond)
    return [kept for unit in units if (kept := unit.without(skipped)) is not None]


def _export_einvoices(db: Database, options: RunOptions, config: Config, report: RunReport) -> None:
    """Post-processing: the e-invoice of every fiscal document the run issued, into the
    configured folder. An invalid one stays pending and is named (the run exits 1); the
    others are exported."""
    from tui_billing.billing.einvoice_export import export_einvoices

    issued = [i.id for i in report.invoices if i.number]
    report.einvoices_exported = 0
    if not issued:
        return
    try:
        exported = export_einvoices(
            db,
            config.einvoice.dir,
            today=options.today or dt.date.today(),
            invoice_ids=issued,
            skip_invalid=True,
            lock=False,
        )
    except UserError as error:  # the folder cannot be written: nothing exported
        report.einvoice_failed.append(str(error))
        _log(
            report.run_id,
            _("e-invoices not exported: {error}").format(error=error),
            level="error",
        )
        return
    report.einvoices_exported = len(exported.written)
    report.einvoice_failed.extend(exported.invalid)
    for reason in exported.invalid:
        _log(
            report.run_id,
            _("e-invoice not exported: {reason}").format(reason=reason),
            level="error",
        )
    _log(
        report.run_id,
        _("{count} e-invoices exported to {folder}").format(
            count=len(exported.written), folder=config.einvoice.dir
        ),
    )


def _send_copies(
    db: Database, config: Config, report: RunReport, progress: Progress | None
) -> None:
    from tui_billing.billing.courtesy_copies import send_pending

    sent = send_pending(
        db, config, progress=(lambda d, t: progress("email", d, t)) if progress else None
    )
    report.emailed = sent.sent
    report.email_failed = sent.failed
    report.email_skipped = sent.skipped
    for number in sent.maybe_duplicated:
        report.email_resent.append(number)
        _log(
            report.run_id,
            _(
                "courtesy copy of {number} was being sent when a run stopped: "
                "sent again, the customer may receive it twice (same Message-ID)"
            ).format(number=number),
            level="warning",
        )
    report.email_in_progress = sent.in_progress
    for number in sent.in_progress:
        _log(
            report.run_id,
            _("courtesy copy of {number} is being sent by another process: left to it").format(
                number=number
            ),
        )
    for number, reason in sent.failed:
        _log(
            report.run_id,
            _("courtesy copy of {number} not sent: {reason}").format(number=number, reason=reason),
            level="warning",
        )
