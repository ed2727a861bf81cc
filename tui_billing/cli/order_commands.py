"""Order commands: orders (list) and order partial / down-payment / installments / final /
status."""

from __future__ import annotations

import argparse

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.invoice_commands import invoice_listing
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing, say
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.vocabulary import ORDER_STATUSES
from tui_billing.domain.words import word


def _summary_line(order) -> str:  # an OrderView
    return _(
        "Order {code} ({customer}) is {status}: total {total}, invoiced {invoiced}, "
        "remaining {remaining} (net of VAT)"
    ).format(
        code=order.code,
        customer=order.customer,
        status=word("status", order.status),
        total=money(order.total),
        invoiced=money(order.invoiced),
        remaining=money(order.remaining),
    )


def cmd_orders(args: argparse.Namespace) -> int:
    from tui_billing.billing.order_views import list_orders

    context.database(args)
    orders = list_orders(status=args.status)
    if args.json:
        print_json([o.to_json() for o in orders])
        return 0
    listing = Listing(
        _("Orders"),
        (
            Col(_("Order")),
            Col(_("Date"), "date"),
            Col(_("Customer"), "text"),
            Col(_("State")),
            Col(_("Total"), "money"),
            Col(_("Invoiced"), "money", drop=1),
            Col(_("Remaining"), "money"),
            Col(_("Invoices"), "list", drop=2),
        ),
    )
    for o in orders:
        listing.add(
            o.code,
            day(o.date),
            o.customer_name,
            word("status", o.status),
            money(o.total),
            money(o.invoiced),
            money(o.remaining),
            " ".join(i.name for i in o.invoices),
        )
    print_listing(
        stdout,
        listing,
        summary=ngettext("{n} order", "{n} orders", len(orders)).format(
            n=display.number(len(orders))
        ),
        empty=_("No orders {status}.").format(status=word("status", args.status))
        if args.status
        else _("No orders."),
    )
    return 0


def _report(args: argparse.Namespace, result) -> int:  # an OrderResult
    if args.json:
        print_json(result.to_json())
        return 0
    if result.invoices:
        print_listing(
            stdout, invoice_listing(_("Invoices created"), result.invoices, lines=True), empty=""
        )
    if result.scheduled:
        listing = Listing(
            _("Installments scheduled"),
            (Col(_("ID"), "number"), Col(_("Invoice date"), "date"), Col(_("Amount"), "money")),
        )
        for row in result.scheduled:
            listing.add(str(row["installment"]), day(row["invoice_date"]), money(row["amount"]))
        print_listing(stdout, listing, empty="")
    say(stdout, _summary_line(result.order))
    return 0


def cmd_partial(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import partial_invoice

    db = context.database(args)
    return _report(args, partial_invoice(db, args.order, date=args.date, due=args.due))


def cmd_down_payment(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import down_payment_invoice

    db = context.database(args)
    return _report(
        args,
        down_payment_invoice(
            db, args.order, date=args.date, due=args.due, amount=args.amount, percent=args.percent
        ),
    )


def cmd_installments(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import installment_plan

    db = context.database(args)
    return _report(
        args,
        installment_plan(
            db,
            args.order,
            count=args.count,
            start=args.start,
            frequency=args.frequency,
            issue_now=args.issue_now,
        ),
    )


def cmd_final(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import final_invoice

    db = context.database(args)
    return _report(args, final_invoice(db, args.order, date=args.date, due=args.due))


def cmd_status(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import set_order_status

    db = context.database(args)
    order = set_order_status(db, args.order, args.state)
    if args.json:
        print_json(order.to_json())
    else:
        say(stdout, _summary_line(order))
    return 0


def _dated(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", type=date_arg, required=True, metavar="D", help=_("invoice date"))
    p.add_argument(
        "--due",
        type=date_arg,
        metavar="D",
        help=_("due date (default: the date plus the customer's payment terms)"),
    )


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("orders", help=_("list orders: state, total, invoiced, remaining"))
    p.add_argument(
        "--status",
        choices=ORDER_STATUSES,
        metavar="S",
        help=_("only orders in state S: {choices}").format(choices=", ".join(ORDER_STATUSES)),
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_orders)

    order = commands.add_parser(
        "order", help=_("invoice an order: partial, down payment, installments, final")
    )
    actions = order.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=commands._parser_class
    )

    def action(name: str, help_text: str, func, *, dated: bool = True):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("order", metavar="ORDER", help=_("order code"))
        if dated:
            _dated(p)
        p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
        p.set_defaults(func=func)
        return p

    action("partial", _("invoice the order lines not invoiced yet"), cmd_partial)
    p = action("down-payment", _("a down-payment invoice"), cmd_down_payment)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--amount", metavar="X", help=_("amount net of VAT, e.g. 300.00"))
    how.add_argument("--percent", metavar="P", help=_("percentage of the order total"))
    p = action(
        "installments", _("split what is left into installments"), cmd_installments, dated=False
    )
    p.add_argument("--count", type=int, required=True, metavar="N", help=_("installments"))
    p.add_argument(
        "--start",
        type=date_arg,
        required=True,
        metavar="D",
        help=_("date of the first installment"),
    )
    p.add_argument(
        "--frequency",
        required=True,
        metavar="F",
        help=_("monthly, quarterly, ... (as in the interchange format)"),
    )
    p.add_argument(
        "--issue-now",
        action="store_true",
        help=_(
            "issue every installment invoice now (dated D, each due on its own "
            "date) instead of scheduling them"
        ),
    )
    action("final", _("the final invoice: the rest, less down payments"), cmd_final)
    p = action("status", _("ship, cancel or reopen an order"), cmd_status, dated=False)
    p.add_argument(
        "state",
        choices=ORDER_STATUSES,
        metavar="STATE",
        help=_("one of {choices}").format(choices=", ".join(ORDER_STATUSES)),
    )
