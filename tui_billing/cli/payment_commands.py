"""Payment commands: payments (list, import, add, delete), open-items, interest-rates."""

from __future__ import annotations

import argparse

from rich import box
from rich.table import Table

from tui_billing.cli import context
from tui_billing.cli.data_commands import _read_input
from tui_billing.cli.main import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.domain.vocabulary import PAYMENT_METHODS


def cmd_payments(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import list_payments

    context.database(args)
    payments = list_payments(args.invoice)
    if args.json:
        print_json(payments)
        return 0
    table = Table(title="Payments", expand=False, box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, collapse_padding=True)
    for name, justify in (("ID", "right"), ("Invoice", "left"), ("Customer", "left"),
                          ("Date", "left"), ("Amount", "right"), ("Method", "left"),
                          ("Reference", "left")):
        table.add_column(name, justify=justify, no_wrap=True)
    for p in payments:
        table.add_row(str(p["id"]), p["invoice"], p["customer"], p["date"], p["amount"],
                      p["method"] or "", p["reference"] or "")
    if payments:
        stdout.print(table)
    stdout.print(f"{len(payments)} payments")
    return 0


def cmd_payments_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import record_payments
    from tui_billing.output.payments_file import read_payments

    text, source = _read_input(args.file)
    payments = read_payments(text, source)
    db = context.database(args)
    summary = record_payments(db, payments, context.today(args))
    stdout.print(f"Imported {source}: {summary.line()}")
    return 0


def cmd_payments_add(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import record_payment

    db = context.database(args)
    today = context.today(args)
    summary = record_payment(db, args.invoice, args.date or today, args.amount, today,
                             args.method, args.reference)
    stdout.print(summary.line())
    return 0


def cmd_payments_delete(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import delete_payment

    db = context.database(args)
    delete_payment(db, args.id)
    stdout.print(f"Payment {args.id} deleted")
    return 0


def cmd_open_items(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import open_items

    context.database(args)
    on = args.date or context.today(args)
    items = open_items(on, customer=args.customer)
    if args.json:
        print_json([item.to_json(on) for item in items])
        return 0
    table = Table(title=f"Open items on {on:%d/%m/%Y}", expand=False, box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("Invoice", no_wrap=True)
    table.add_column("Customer", overflow="ellipsis", no_wrap=True, max_width=18)
    for name, justify in (("Date", "left"), ("Due", "left"), ("Total", "right"),
                          ("Paid", "right"), ("Open", "right"), ("Late", "right")):
        table.add_column(name, justify=justify, no_wrap=True)
    for item in items:
        days = item.days_overdue(on)
        table.add_row(item.number or f"#{item.invoice_id}", item.customer,
                      f"{item.date:%d/%m/%y}",
                      f"{item.due_date:%d/%m/%y}" if item.due_date else "",
                      f"{item.total:,.2f}", f"{item.paid:,.2f}", f"{item.open:,.2f}",
                      f"{days} d" if days else "", style="bold red" if days else None)
    if items:
        stdout.print(table)
    total = sum((i.open for i in items), start=0)
    stdout.print(f"{len(items)} open items, {total:,.2f} open")
    return 0


def cmd_interest_rates(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import list_rates

    context.database(args)
    rates = list_rates()
    if args.json:
        print_json([r.to_json() for r in rates])
        return 0
    table = Table(title="Legal late-payment rates (ECB reference rate + points)", expand=False)
    for name in ("Half-year", "From", "Reference rate", "Points", "Annual rate"):
        table.add_column(name, justify="left" if name in ("Half-year", "From") else "right")
    for r in rates:
        row = r.to_json()
        table.add_row(row["half_year"], f"{r.half_year_start:%d/%m/%Y}",
                      f"{row['reference_rate']}%", row["points"], f"{row['rate']}%")
    stdout.print(table)
    return 0


def cmd_interest_rates_set(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import set_rate

    db = context.database(args)
    rate = set_rate(db, args.half_year, args.reference_rate, args.points)
    row = rate.to_json()
    stdout.print(f"{row['half_year']}: {row['reference_rate']}% + {row['points']} = "
                 f"{row['rate']}%")
    return 0


def cmd_interest_rates_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import import_rates

    text, source = _read_input(args.file)
    db = context.database(args)
    changed = import_rates(db, text, source)
    stdout.print(f"Imported {source}: {changed} half-years added or changed")
    return 0


def _positive_id(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a payment id: {text!r}")
    return int(text)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("payments", help="list payments; import, add or delete them")
    p.add_argument("--invoice", metavar="N", help="only the payments of invoice number N")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_payments)
    sub = p.add_subparsers(dest="payments_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("import", help="record the payments of a CSV or JSON file (- = stdin)")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=cmd_payments_import)
    q = sub.add_parser("add", help="record one payment")
    q.add_argument("invoice", metavar="NUMBER", help="invoice number")
    q.add_argument("--amount", required=True, metavar="X")
    q.add_argument("--date", type=date_arg, metavar="D", help="payment date (default: today)")
    q.add_argument("--method", choices=PAYMENT_METHODS, metavar="M",
                   help=f"one of {', '.join(PAYMENT_METHODS)} (default: the invoice's)")
    q.add_argument("--reference", metavar="TEXT", help="bank reference (CRO, TRN...)")
    q.set_defaults(func=cmd_payments_add)
    q = sub.add_parser("delete", help="delete a payment recorded by mistake")
    q.add_argument("id", type=_positive_id, metavar="ID")
    q.set_defaults(func=cmd_payments_delete)

    p = commands.add_parser("open-items", help="invoices with an amount still open")
    p.add_argument("--date", type=date_arg, metavar="D", help="as of D (default: today)")
    p.add_argument("--customer", metavar="C", help="customer code")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_open_items)

    p = commands.add_parser("interest-rates", help="the legal late-payment rate table")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_interest_rates)
    sub = p.add_subparsers(dest="rates_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("set", help="set one half-year's ECB reference rate")
    q.add_argument("half_year", metavar="HALF_YEAR", help="2026-H1 or 2026-01-01")
    q.add_argument("reference_rate", metavar="RATE", help="ECB reference rate, percent")
    q.add_argument("--points", metavar="P", help="points added (default 8)")
    q.set_defaults(func=cmd_interest_rates_set)
    q = sub.add_parser("import", help="import rates from CSV: half_year,reference_rate[,points]")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=cmd_interest_rates_import)


__all__ = ["register"]
