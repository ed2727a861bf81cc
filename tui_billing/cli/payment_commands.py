"""Payment commands: payments (list, import, add, delete), open-items, interest-rates."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.data_commands import _read_input
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext, pgettext
from tui_billing.domain.input_rules import MAX_INTEGER
from tui_billing.domain.vocabulary import PAYMENT_METHODS
from tui_billing.domain.words import word


def cmd_payments(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import list_payments

    context.database(args)
    payments = list_payments(args.invoice)
    if args.json:
        print_json(payments)
        return 0
    listing = Listing(
        _("Payments"),
        (
            Col(_("ID"), "number"),
            Col(_("Invoice")),
            Col(_("Customer"), "text"),
            Col(_("Date"), "date"),
            Col(_("Amount"), "money"),
            Col(_("Method"), drop=2),
            Col(_("Reference"), drop=1),
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
            word("payment method", p["method"]),
            p["reference"],
        )
    total = sum((Decimal(p["amount"]) for p in payments), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=ngettext(
            "{n} payment, total {total}", "{n} payments, total {total}", len(payments)
        ).format(n=display.number(len(payments)), total=money(total)),
        empty=_("No payments of {invoice}.").format(invoice=args.invoice)
        if args.invoice
        else _("No payments."),
    )
    return 0


def cmd_payments_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.payments import record_payments
    from tui_billing.output.payments_file import read_payments

    text, source = _read_input(args.file)
    payments = read_payments(text, source)
    db = context.database(args)
    summary = record_payments(db, payments, context.today(args))
    stdout.print(_("Imported {source}: {summary}").format(source=source, summary=summary.line()))
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
    stdout.print(_("Payment {id} deleted").format(id=args.id))
    return 0


def _print_returns(args: argparse.Namespace, recorded: list) -> None:
    if args.json:
        print_json([r.to_json() for r in recorded])
        return
    for r in recorded:
        values = {
            "invoice": r.invoice,
            "amount": money(r.amount),
            "day": day(r.date),
            "charges": money(r.bank_fee + r.own_fee),
            "contract": r.contract,
        }
        if r.bank_fee + r.own_fee <= 0:
            line = _("{invoice}: payment of {amount} returned on {day}, open again")
        elif r.contract:
            line = _(
                "{invoice}: payment of {amount} returned on {day}, open again; "
                "charges {charges} on the next installment of {contract}"
            )
        else:
            line = _(
                "{invoice}: payment of {amount} returned on {day}, open again; "
                "charges {charges} (no contract to bill)"
            )
        stdout.print(line.format(**values))
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
        stdout.print(
            ngettext(
                "Imported {source}: {n} return recorded",
                "Imported {source}: {n} returns recorded",
                len(recorded),
            ).format(source=source, n=display.number(len(recorded))),
        )
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
        _("Open items on {day}").format(day=day(on)),
        (
            Col(_("Invoice")),
            Col(_("Customer"), "text"),
            Col(_("Date"), "date", drop=1),
            Col(_("Due"), "date"),
            Col(_("Total"), "money", drop=2),
            Col(_("Paid"), "money", drop=3),
            Col(pgettext("column", "Open"), "money"),
            Col(_("Late"), "number"),
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
            _("{days} d").format(days=display.number(days)) if days else "",
            style="bold red" if days else None,
        )
    total = sum((i.open for i in items), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=ngettext(
            "{n} open item, {total} open", "{n} open items, {total} open", len(items)
        ).format(n=display.number(len(items)), total=money(total)),
        empty=_("No open items on {day}.").format(day=day(on)),
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
        _("Legal late-payment rates (ECB reference rate + points)"),
        (
            Col(_("Half-year")),
            Col(_("From"), "date"),
            Col(_("Reference rate"), "number"),
            Col(_("Points"), "number"),
            Col(_("Annual rate"), "number"),
        ),
    )
    for r in rates:
        row = r.to_json()
        listing.add(
            row["half_year"],
            day(r.half_year_start),
            _rate(row["reference_rate"]) + "%",
            _rate(row["points"]),
            _rate(row["rate"]) + "%",
        )
    print_listing(stdout, listing, empty=_("No late-payment rates."))
    return 0


def cmd_interest_rates_set(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import set_rate

    db = context.database(args)
    rate = set_rate(db, args.half_year, args.reference_rate, args.points)
    row = rate.to_json()
    stdout.print(
        f"{row['half_year']}: {_rate(row['reference_rate'])}%"
        f" + {_rate(row['points'])} = {_rate(row['rate'])}%",
    )
    return 0


def cmd_interest_rates_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.interest_rates import import_rates

    text, source = _read_input(args.file)
    db = context.database(args)
    changed = import_rates(db, text, source)
    stdout.print(
        ngettext(
            "Imported {source}: {n} half-year added or changed",
            "Imported {source}: {n} half-years added or changed",
            changed,
        ).format(source=source, n=changed),
    )
    return 0


def _rate(value: str) -> str:
    """A rate or points of the legal table as written there, two decimals: ``10.15``."""
    return display.number(value, 2)


def _positive_id(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > MAX_INTEGER:
        raise argparse.ArgumentTypeError(_("not a payment id: {text}").format(text=repr(text[:40])))
    return int(text)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("payments", help=_("list payments; import, add or delete them"))
    p.add_argument("--invoice", metavar="N", help=_("only the payments of invoice number N"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_payments)
    sub = p.add_subparsers(dest="payments_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("import", help=_("record the payments of a CSV or JSON file (- = stdin)"))
    q.add_argument("file", metavar="FILE", help=_("CSV or JSON file ('-' reads stdin)"))
    q.set_defaults(func=cmd_payments_import)
    q = sub.add_parser("add", help=_("record one payment"))
    q.add_argument("invoice", metavar="NUMBER", help=_("invoice number"))
    q.add_argument("--amount", required=True, metavar="X", help=_("amount paid, e.g. 620.00"))
    q.add_argument("--date", type=date_arg, metavar="D", help=_("payment date (default: today)"))
    q.add_argument(
        "--method",
        choices=PAYMENT_METHODS,
        metavar="M",
        help=_("one of {choices} (default: the invoice's)").format(
            choices=", ".join(PAYMENT_METHODS)
        ),
    )
    q.add_argument("--reference", metavar="TEXT", help=_("bank reference (CRO, TRN...)"))
    q.set_defaults(func=cmd_payments_add)
    q = sub.add_parser("return", help=_("record a collection the bank returned unpaid"))
    q.add_argument("invoice", metavar="NUMBER", help=_("invoice number"))
    q.add_argument(
        "--date", type=date_arg, required=True, metavar="D", help=_("the date of the return")
    )
    q.add_argument("--bank-fee", metavar="X", help=_("the bank's fee, charged on (default 0)"))
    q.add_argument("--reason", metavar="TEXT", help=_("the bank's reason (e.g. AM04)"))
    q.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    q.set_defaults(func=cmd_payments_return)
    q = sub.add_parser(
        "returns", help=_("record the returns of a CSV file (invoice, date, fee, reason)")
    )
    q.add_argument("file", metavar="FILE", help=_("CSV file ('-' reads stdin)"))
    q.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    q.set_defaults(func=cmd_payments_returns)
    q = sub.add_parser("delete", help=_("delete a payment recorded by mistake"))
    q.add_argument("id", type=_positive_id, metavar="ID", help=_("payment id, as 'payments' lists"))
    q.set_defaults(func=cmd_payments_delete)

    p = commands.add_parser("open-items", help=_("invoices with an amount still open"))
    p.add_argument("--date", type=date_arg, metavar="D", help=_("as of D (default: today)"))
    p.add_argument("--customer", metavar="C", help=_("customer code"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_open_items)

    p = commands.add_parser("interest-rates", help=_("the legal late-payment rate table"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_interest_rates)
    sub = p.add_subparsers(dest="rates_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("set", help=_("set one half-year's ECB reference rate"))
    q.add_argument("half_year", metavar="HALF_YEAR", help=_("2026-H1 or 2026-01-01"))
    q.add_argument("reference_rate", metavar="RATE", help=_("ECB reference rate, percent"))
    q.add_argument("--points", metavar="P", help=_("points added (default 8)"))
    q.set_defaults(func=cmd_interest_rates_set)
    q = sub.add_parser("import", help=_("import rates from CSV: half_year,reference_rate[,points]"))
    q.add_argument("file", metavar="FILE", help=_("CSV file ('-' reads stdin)"))
    q.set_defaults(func=cmd_interest_rates_import)


__all__ = ["register"]
