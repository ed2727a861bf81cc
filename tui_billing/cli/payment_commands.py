"""Payment commands: payments (list, import, add, delete), open-items, interest-rates."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.data_commands import _read_input
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, plural, print_listing
from tui_billing.domain.input_rules import MAX_INTEGER
from tui_billing.domain.vocabulary import PAYMENT_METHODS


def cmd_payments(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import list_payments

    context.database(args)
    payments = list_payments(args.invoice)
    if args.json:
        print_json(payments)
        return 0
    listing = Listing(
        "Payments",
        (
            Col("ID", "number"),
            Col("Invoice"),
            Col("Customer", "text"),
            Col("Date", "date"),
            Col("Amount", "money"),
            Col("Method", drop=2),
            Col("Reference", drop=1),
        ),
    )
    names = context.customer_names() if payments else {}
    for p in payments:
        listing.add(
            str(p["id"]),
            p["invoice"],
            names.get(p["customer"], p["customer"]),
            day(p["date"]),
            money(p["amount"]),
            p["method"],
            p["reference"],
        )
    total = sum((Decimal(p["amount"]) for p in payments), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=f"{plural(len(payments), 'payment')}, total {money(total)}",
        empty="No payments" + (f" of {args.invoice}." if args.invoice else "."),
    )
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
    summary = record_payment(
        db, args.invoice, args.date or today, args.amount, today, args.method, args.reference
    )
    stdout.print(summary.line())
    return 0


def cmd_payments_delete(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import delete_payment

    db = context.database(args)
    delete_payment(db, args.id)
    stdout.print(f"Payment {args.id} deleted")
    return 0


def _print_returns(args: argparse.Namespace, recorded: list) -> None:
    if args.json:
        print_json([r.to_json() for r in recorded])
        return
    for r in recorded:
        line = f"{r.invoice}: payment of {money(r.amount)} returned on {day(r.date)}, open again"
        charge = r.bank_fee + r.own_fee
        if charge > 0:
            line += (
                f"; charges {money(charge)} on the next installment of {r.contract}"
                if r.contract
                else f"; charges {money(charge)} (no contract to bill)"
            )
        stdout.print(line)
        if r.hold:
            stdout.print(f"{r.contract}: {r.hold}")


def cmd_payments_return(args: argparse.Namespace) -> int:
    from tui_billing.billing.returns import record_return

    settings = context.config(args)
    db = context.database(args)
    recorded = record_return(
        db,
        args.invoice,
        args.date,
        context.today(args),
        settings.returns,
        args.bank_fee,
        args.reason,
    )
    _print_returns(args, [recorded])
    return 0


def cmd_payments_returns(args: argparse.Namespace) -> int:
    from tui_billing.billing.returns import record_returns
    from tui_billing.output.returns_file import read_returns

    settings = context.config(args)
    text, source = _read_input(args.file)
    returns = read_returns(text, source)
    db = context.database(args)
    recorded = record_returns(db, returns, context.today(args), settings.returns)
    _print_returns(args, recorded)
    if not args.json:
        stdout.print(f"Imported {source}: {plural(len(recorded), 'return')} recorded")
    return 0


def cmd_open_items(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import open_items

    context.database(args)
    on = args.date or context.today(args)
    items = open_items(on, customer=args.customer)
    if args.json:
        print_json([item.to_json(on) for item in items])
        return 0
    listing = Listing(
        f"Open items on {day(on)}",
        (
            Col("Invoice"),
            Col("Customer", "text"),
            Col("Date", "date", drop=1),
            Col("Due", "date"),
            Col("Total", "money", drop=2),
            Col("Paid", "money", drop=3),
            Col("Open", "money"),
            Col("Late", "number"),
        ),
    )
    names = context.customer_names() if items else {}
    for item in items:
        days = item.days_overdue(on)
        listing.add(
            item.number or f"#{item.invoice_id}",
            names.get(item.customer, item.customer),
            day(item.date),
            day(item.due_date),
            money(item.total),
            money(item.paid),
            money(item.open),
            f"{days} d" if days else "",
            style="bold red" if days else None,
        )
    total = sum((i.open for i in items), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=f"{plural(len(items), 'open item')}, {money(total)} open",
        empty=f"No open items on {day(on)}.",
    )
    return 0


def cmd_interest_rates(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import list_rates

    context.database(args)
    rates = list_rates()
    if args.json:
        print_json([r.to_json() for r in rates])
        return 0
    listing = Listing(
        "Legal late-payment rates (ECB reference rate + points)",
        (
            Col("Half-year"),
            Col("From", "date"),
            Col("Reference rate", "number"),
            Col("Points", "number"),
            Col("Annual rate", "number"),
        ),
    )
    for r in rates:
        row = r.to_json()
        listing.add(
            row["half_year"],
            day(r.half_year_start),
            f"{row['reference_rate']}%",
            row["points"],
            f"{row['rate']}%",
        )
    print_listing(stdout, listing, empty="No late-payment rates.")
    return 0


def cmd_interest_rates_set(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import set_rate

    db = context.database(args)
    rate = set_rate(db, args.half_year, args.reference_rate, args.points)
    row = rate.to_json()
    stdout.print(f"{row['half_year']}: {row['reference_rate']}% + {row['points']} = {row['rate']}%")
    return 0


def cmd_interest_rates_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import import_rates

    text, source = _read_input(args.file)
    db = context.database(args)
    changed = import_rates(db, text, source)
    stdout.print(f"Imported {source}: {changed} half-years added or changed")
    return 0


def _positive_id(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > MAX_INTEGER:
        raise argparse.ArgumentTypeError(f"not a payment id: {text[:40]!r}")
    return int(text)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("payments", help="list payments; import, add or delete them")
    p.add_argument("--invoice", metavar="N", help="only the payments of invoice number N")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_payments)
    sub = p.add_subparsers(dest="payments_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("import", help="record the payments of a CSV or JSON file (- = stdin)")
    q.add_argument("file", metavar="FILE", help="CSV or JSON file ('-' reads stdin)")
    q.set_defaults(func=cmd_payments_import)
    q = sub.add_parser("add", help="record one payment")
    q.add_argument("invoice", metavar="NUMBER", help="invoice number")
    q.add_argument("--amount", required=True, metavar="X", help="amount paid, e.g. 620.00")
    q.add_argument("--date", type=date_arg, metavar="D", help="payment date (default: today)")
    q.add_argument(
        "--method",
        choices=PAYMENT_METHODS,
        metavar="M",
        help=f"one of {', '.join(PAYMENT_METHODS)} (default: the invoice's)",
    )
    q.add_argument("--reference", metavar="TEXT", help="bank reference (CRO, TRN...)")
    q.set_defaults(func=cmd_payments_add)
    q = sub.add_parser("return", help="record a collection the bank returned unpaid")
    q.add_argument("invoice", metavar="NUMBER", help="invoice number")
    q.add_argument(
        "--date", type=date_arg, required=True, metavar="D", help="the date of the return"
    )
    q.add_argument("--bank-fee", metavar="X", help="the bank's fee, charged on (default 0)")
    q.add_argument("--reason", metavar="TEXT", help="the bank's reason (e.g. AM04)")
    q.add_argument("--json", action="store_true", help="one JSON document on stdout")
    q.set_defaults(func=cmd_payments_return)
    q = sub.add_parser(
        "returns", help="record the returns of a CSV file (invoice, date, fee, reason)"
    )
    q.add_argument("file", metavar="FILE", help="CSV file ('-' reads stdin)")
    q.add_argument("--json", action="store_true", help="one JSON document on stdout")
    q.set_defaults(func=cmd_payments_returns)
    q = sub.add_parser("delete", help="delete a payment recorded by mistake")
    q.add_argument("id", type=_positive_id, metavar="ID", help="payment id, as 'payments' lists")
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
    q.add_argument("file", metavar="FILE", help="CSV file ('-' reads stdin)")
    q.set_defaults(func=cmd_interest_rates_import)


__all__ = ["register"]
