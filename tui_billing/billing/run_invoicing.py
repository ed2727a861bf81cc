"""Invoicing what a billing run finds due: cut into units that keep each invoice whole,
committed a batch at a time in date order (invoice numbers follow the dates), a failing
unit found, named and skipped, and missed periods that can no longer be numbered at their
own date caught up on the run date.

A unit is what one invoice is made of: one contract's installments of one invoice date, all
those of a customer with collective billing on that date, or one order's. Units come in the
order of what is due (invoice date first), and a batch is numbered in date order by
``create_invoices``, so the numbers of a run follow the dates whatever the batch size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from tui_billing.billing.due import iter_due
from tui_billing.billing.invoicing import CreatedInvoice, create_invoices
from tui_billing.billing.numbering import NumberOrderError
from tui_billing.billing.wording import _, error_text
from tui_billing.config import Config
from tui_billing.domain.display import day
from tui_billing.store.models import Customer, Invoice
from tui_billing.store.transactions import write_transaction

Log = Callable[[str, str, str | None], None]  # (message, level, contract)


class _Rollback(Exception):
    """Ends a trial's transaction."""


@dataclass(slots=True)
class Unit:
    """The installments going on one invoice; by contract code (None: an order's)."""

    key: tuple[str, str]  # ("contract", K) | ("customer", C) | ("order", "order O")
    ids: dict[str | None, list[int]]
    invoice_date: dt.date | None = None

    @property
    def contracts(self) -> list[str]:
        return [code for code in self.ids if code is not None] or [self.key[1]]

    def all_ids(self) -> list[int]:
        return [i for group in self.ids.values() for i in group]

    def count(self) -> int:
        return sum(len(group) for group in self.ids.values())

    def without(self, contracts: set[str]) -> Unit | None:
        """This unit less the contracts that failed earlier in the run; None if empty."""
        if not contracts.intersection(self.ids):
            return self
        kept = {code: ids for code, ids in self.ids.items() if code not in contracts}
        return Unit(self.key, kept, self.invoice_date) if kept else None


def due_units(db: Database, on: dt.date) -> list[Unit]:
    """The installments due on ``on`` as units, in the order of what is due."""
    collective = {
        code
        for (code,) in Customer.select(Customer.code)
        .where(Customer.collective_billing == True)  # noqa: E712
        .tuples()
    }
    units: dict[tuple[Any, ...], Unit] = {}
    for row in iter_due(db, on, series=None):
        if row.contract is None:
            key = ("order", f"order {row.order}")
        elif row.customer in collective:
            key = ("customer", row.customer)
        else:
            key = ("contract", row.contract)
        unit = units.get((key, row.invoice_date))
        if unit is None:
            unit = units[(key, row.invoice_date)] = Unit(key, {}, row.invoice_date)
        unit.ids.setdefault(row.contract, []).append(row.id)
    return list(units.values())


def periods_beyond(units: list[Unit], limit: int) -> dict[str, tuple[int, dt.date]]:
    """The contracts with more than ``limit`` invoice dates due among ``units`` (each one a
    period to catch up, and an invoice), with that count and their first date."""
    dates: dict[str, set[dt.date]] = {}
    for unit in units:
        if unit.key[0] == "order" or unit.invoice_date is None:
            continue
        for code in unit.ids:
            if code is not None:
                dates.setdefault(code, set()).add(unit.invoice_date)
    return {code: (len(found), min(found)) for code, found in dates.items() if len(found) > limit}


def post_process(db: Database, created: list[CreatedInvoice], config: Config) -> None:
    """C5: carry the new issued invoices up to the configured status. 'open_item' and
    'posted' are recorded here; the accounting work behind them is a hook for later."""
    target = config.billing.post_process
    if target not in ("open_item", "posted"):
        return
    ids = [c.id for c in created if c.status == "issued"]
    if ids:
        with write_transaction(db):
            Invoice.update(status=target).where(Invoice.id.in_(ids)).execute()


@dataclass
class RunInvoicer:
    """Invoices units, each write committed whole: the invoices, their post-processing and
    their queued courtesy copies in one transaction, so a kill leaves all or none."""

    db: Database
    on: dt.date
    status: str
    config: Config
    log: Log
    series: str | None = None
    billing_run_id: int | None = None
    queue_copies: bool = False
    created: list[CreatedInvoice] = field(default_factory=list)
    installments: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (contract, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (contract, warning)
    _failed_codes: set[str] = field(default_factory=set)
    _late: dict[tuple[str, str], tuple[Unit, NumberOrderError]] = field(default_factory=dict)

    # -- writing -------------------------------------------------------------------------

    def _write(self, ids: list[int], invoice_date: dt.date | None) -> list[CreatedInvoice]:
        with write_transaction(self.db):
            created = create_invoices(
                self.db,
                ids,
                series=self.series,
                status=self.status,
                billing_run_id=self.billing_run_id,
                invoice_date=invoice_date,
            )
            post_process(self.db, created, self.config)
            if self.queue_copies and created:
                from tui_billing.billing.courtesy_copies import queue_copies

                queue_copies(self.db, [c.id for c in created if c.number])
        return created

    def _commit(self, ids: list[int], invoice_date: dt.date | None = None) -> None:
        self.created.extend(self._write(ids, invoice_date))
        self.installments += len(ids)

    def _fails(self, ids: list[int]) -> Exception | None:
        """Why these installments cannot be invoiced (tried, then rolled back); None if
        they can, at their own dates or caught up on the run date."""
        try:
            with write_transaction(self.db):
                try:
                    self._write(ids, None)
                except NumberOrderError:
                    self._write(ids, self.on)
                raise _Rollback
        except _Rollback:
            return None
        except Exception as exc:  # reported by the caller
            return exc

    def _fail(self, code: str, exc: Exception) -> None:
        if code in self._failed_codes:
            return
        self._failed_codes.add(code)
        reason = error_text(exc) or type(exc).__name__
        self.failed.append((code, reason))
        self.log(reason, "error", code)

    # -- the units -----------------------------------------------------------------------

    def batch(self, units: list[Unit]) -> None:
        """Invoice the units in one transaction; when that fails, halve the batch (the
        halves keep the date order) until each unit that fails is alone."""
        units = [kept for u in units if (kept := u.without(self._failed_codes)) is not None]
        if not units:
            return
        try:
            self._commit([i for u in units for i in u.all_ids()])
            return
        except Exception:  # isolated below
            if len(units) == 1:
                self._alone(units[0])
                return
        middle = len(units) // 2
        self.batch(units[:middle])
        self.batch(units[middle:])

    def _alone(self, unit: Unit) -> None:
        try:
            self._commit(unit.all_ids())
        except NumberOrderError as exc:
            # Dated before an invoice already numbered: caught up at the end, on the run date.
            late = self._late.get(unit.key)
            if late is None:  # a copy: the later units' installments join it, not the caller's
                copied = {code: list(group) for code, group in unit.ids.items()}
                self._late[unit.key] = (Unit(unit.key, copied, unit.invoice_date), exc)
            else:
                for code, ids in unit.ids.items():
                    late[0].ids.setdefault(code, []).extend(ids)
        except Exception as exc:  # a contract that fails is named, not fatal
            if len(unit.ids) > 1:
                self._apart(unit)
            else:
                self._fail(unit.contracts[0], exc)

    def _apart(self, unit: Unit) -> None:
        """A collective customer's invoice failed: find its contracts that fail (each tried
        alone and rolled back), name them, and invoice the others together."""
        bad = {code: exc for code, ids in unit.ids.items() if (exc := self._fails(ids)) is not None}
        for code, exc in bad.items():
            self._fail(code or unit.key[1], exc)
        if not bad:  # each goes alone, not together: invoice them apart
            for code, ids in unit.ids.items():
                self._alone(Unit(("contract", code or unit.key[1]), {code: ids}))
        elif len(bad) < len(unit.ids):
            self._alone(Unit(unit.key, {c: i for c, i in unit.ids.items() if c not in bad}))

    def catch_up(self) -> None:
        """The missed periods that could not be numbered at their own date (a later invoice
        of their series and year was issued meanwhile): all of a contract's (or collective
        customer's) go on one invoice dated on the run date, after everything else of the
        run, so the numbers still follow the dates; each is named with a warning."""
        late, self._late = self._late, {}
        for unit, reason in late.values():
            kept = unit.without(self._failed_codes)
            if kept is None:
                continue
            try:
                self._commit(kept.all_ids(), invoice_date=self.on)
            except Exception as exc:  # named, not fatal
                for code in kept.contracts:
                    self._fail(code, exc)
                continue
            for code in kept.contracts:
                warning = _("dated {date}: {reason}").format(
                    date=day(self.on), reason=reason.message
                )
                self.warnings.append((code, warning))
                self.log(warning, "warning", code)
