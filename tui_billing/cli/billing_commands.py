"""Billing commands: due (and the run, registered by its own module)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.table import Table

from tui_billing.cli import context
from tui_billing.cli.main import date_arg
from tui_billing.cli.output import stderr, stdout, warn
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Contract, Customer

if TYPE_CHECKING:
    from tui_billing.billing.due import DueInstallment


def _check_codes(customer: str | None, contract: str | None) -> None:
    if customer and not Customer.select().where(Customer.code == customer).exists():
        raise UserError(f"unknown customer {customer!r}", "--customer")
    if contract and not Contract.select().where(Contract.code == contract).exists():
        raise UserError(f"unknown contract {contract!r}", "--contract")


def _period(start, end) -> str:
    if start is None:
        return "one-off"
    return f"{start:%d/%m/%Y}-{end:%d/%m/%Y}"


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

    db = context.database(args)
    _check_codes(args.customer, args.contract)
    rows, materialized = due_on(db, args.date, customer=args.customer, contract=args.contract,
                                series=args.series, with_lines=args.json, waiting=True)
    for code, reason in materialized.failed:
        warn(f"contract {code}: {reason}")
    for code, warning in index_warnings(args.date, args.contract):
        warn(f"contract {code}: {warning}")
    if args.json:
        _write_due_json(rows)
        return 1 if materialized.failed else 0
    rows = list(rows)
    waiting = [row for row in rows if row.status == "waiting"]
    table = Table(title=f"Due on {args.date:%d/%m/%Y}", show_lines=False, expand=False)
    # held back until its revenue figure is reported: shown, not counted
    cells = [(str(r.id), f"{r.invoice_date:%d/%m/%Y}", r.customer_name,
              r.contract or r.order or "", _period(r.period_start, r.period_end),
              "waiting" if r.status == "waiting" else f"{r.amount:,.2f}") for r in rows]
    headers = ("ID", "Invoice date", "Customer", "Contract", "Period", "Amount")
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]
    # On a narrow terminal only the customer's name gives way: the id (for `invoice
    # --installments`), the dates and the amount always show whole.
    others = sum(w for i, w in enumerate(widths) if i != 2) + 3 * len(headers) + 1
    widths[2] = max(8, min(30, widths[2], stdout.width - others))
    for index, name in enumerate(headers):
        table.add_column(name, justify="right" if name in ("ID", "Amount") else "left",
                         no_wrap=True, overflow="ellipsis", min_width=widths[index],
                         max_width=widths[index])
    total = Decimal("0.00")
    for row, cell in zip(rows, cells, strict=True):
        if row.status != "waiting":
            total += row.amount
        table.add_row(*cell)
    if rows:
        stdout.print(table)
    stdout.print(f"{len(rows) - len(waiting)} installments due, total {total:,.2f} (net of VAT)"
                 + (f"; {len(waiting)} waiting for a revenue figure" if waiting else ""))
    if materialized.failed:
        stderr.print(f"{len(materialized.failed)} contracts could not be scheduled")
        return 1
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("due", help="list the installments due on a date")
    p.add_argument("--date", type=date_arg, required=True, metavar="D")
    p.add_argument("--customer", metavar="C", help="customer code")
    p.add_argument("--contract", metavar="K", help="contract code")
    p.add_argument("--series", metavar="S", help="numbering series")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_due)
