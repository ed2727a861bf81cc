"""Billing commands: due (and the run, registered by its own module)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from tui_billing.billing.lookups import contract_exists, customer_exists
from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import stderr, stdout, warn
from tui_billing.cli.tables import Col, Listing, day, money, print_listing, span
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.run_bounds import check_reach
from tui_billing.domain.words import word

if TYPE_CHECKING:
    from tui_billing.billing.due import DueInstallment


def _check_codes(customer: str | None, contract: str | None) -> None:
    if customer and not customer_exists(customer):
        raise UserError(_("unknown customer {code}").format(code=repr(customer)), "--customer")
    if contract and not contract_exists(contract):
        raise UserError(_("unknown contract {code}").format(code=repr(contract)), "--contract")


def _period(start: dt.date | None, end: dt.date | None) -> str:
    return _("one-off") if start is None else span(start, end)


def _write_due_json(rows: Iterable[DueInstallment]) -> None:
    """The ``due --json`` list, one installment per line, written as the rows stream in
    (each made straight from its stored values: no dict, no re-encoding of its lines)."""
    write = sys.stdout.write
    separator = "[\n"
    batch: list[str] = []
    for row in rows:
        batch.append(row.json_text())
        if len(batch) == 1000:
            write(separator + ",\n".join(batch))
            separator, batch = ",\n", []
    if batch:
        write(separator + ",\n".join(batch))
        separator = ",\n"
    write("[]\n" if separator == "[\n" else "\n]\n")
    sys.stdout.flush()


def cmd_due(args: argparse.Namespace) -> int:
    from tui_billing.billing.due import due_on
    from tui_billing.billing.price_history import index_warnings

    check_reach(args.date, context.today(args), "--date")
    db = context.database(args)
    _check_codes(args.customer, args.contract)
    rows, materialized = due_on(
        db,
        args.date,
        customer=args.customer,
        contract=args.contract,
        series=args.series,
        with_lines=args.json,
        waiting=True,
    )
    for code, reason in materialized.failed:
        warn(_("contract {code}: {reason}").format(code=code, reason=reason))
    for code, warning in index_warnings(args.date, args.contract):
        warn(_("contract {code}: {reason}").format(code=code, reason=warning))
    if args.json:
        _write_due_json(rows)
        return 1 if materialized.failed else 0
    due = list(rows)
    listing = Listing(
        _("Due on {day}").format(day=day(args.date)),
        (
            Col(_("ID"), "number"),
            Col(_("Invoice date"), "date"),
            Col(_("Customer"), "text"),
            Col(_("Contract"), "code"),
            Col(_("Period"), "date", drop=1),
            Col(_("Amount"), "money"),
        ),
    )
    total = Decimal("0.00")
    waiting = 0
    for row in due:
        if row.status == "waiting":
            amount = word("status", "waiting")  # held back until its revenue figure is reported
            waiting += 1
        else:
            amount = money(row.amount)
            total += row.amount
        listing.add(
            str(row.id),
            day(row.invoice_date),
            row.customer_name,
            row.contract or row.order or "",
            _period(row.period_start, row.period_end),
            amount,
        )
    billable = len(due) - waiting
    summary = ngettext(
        "{n} installment due, total {total} (net of VAT)",
        "{n} installments due, total {total} (net of VAT)",
        billable,
    ).format(n=display.number(billable), total=money(total))
    if waiting:
        summary = ngettext(
            "{summary}; {n} waiting for a revenue figure",
            "{summary}; {n} waiting for a revenue figure",
            waiting,
        ).format(summary=summary, n=display.number(waiting))
    empty = _("Nothing due on {day}.").format(day=day(args.date))
    print_listing(stdout, listing, summary=summary, empty=empty)
    if materialized.failed:
        failed = len(materialized.failed)
        stderr.print(
            ngettext(
                "{n} contract could not be scheduled",
                "{n} contracts could not be scheduled",
                failed,
            ).format(n=failed),
            markup=False,
        )
        return 1
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("due", help=_("list the installments due on a date"))
    p.add_argument(
        "--date",
        type=date_arg,
        required=True,
        metavar="D",
        help=_("list what is to be invoiced on or before D (YYYY-MM-DD)"),
    )
    p.add_argument("--customer", metavar="C", help=_("customer code"))
    p.add_argument("--contract", metavar="K", help=_("contract code"))
    p.add_argument("--series", metavar="S", help=_("numbering series"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_due)
