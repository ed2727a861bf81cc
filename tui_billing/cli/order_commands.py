"""Order commands: orders (list) and order partial / down-payment / installments / final /
status."""

from __future__ import annotations

import argparse

from rich.table import Table

from tui_billing.cli import context
from tui_billing.cli.invoice_commands import _invoice_table
from tui_billing.cli.main import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.domain.vocabulary import ORDER_STATUSES


def _summary_line(order) -> str:  # noqa: ANN001 - an OrderView
    return (f"order {order.code} ({order.customer}) is {order.status}: total "
            f"{order.total:,.2f}, invoiced {order.invoiced:,.2f}, remaining "
            f"{order.remaining:,.2f} (net of VAT)")


def cmd_orders(args: argparse.Namespace) -> int:
    from tui_billing.billing.order_views import list_orders

    context.database(args)
    orders = list_orders(status=args.status)
    if args.json:
        print_json([o.to_json() for o in orders])
        return 0
    table = Table(title="Orders", expand=False)
    for name, justify in (("Order", "left"), ("Date", "left"), ("Customer", "left"),
                          ("State", "left"), ("Total", "right"), ("Invoiced", "right"),
                          ("Remaining", "right"), ("Invoices", "left")):
        table.add_column(name, justify=justify, no_wrap=name != "Invoices",
                         overflow="fold" if name == "Invoices" else "ellipsis",
                         max_width=24 if name in ("Customer", "Invoices") else None)
    for o in orders:
        table.add_row(o.code, f"{o.date:%d/%m/%Y}", o.customer_name, o.status,
                      f"{o.total:,.2f}", f"{o.invoiced:,.2f}", f"{o.remaining:,.2f}",
                      ", ".join(i.name for i in o.invoices))
    if orders:
        stdout.print(table)
    stdout.print(f"{len(orders)} orders")
    return 0


def _report(args: argparse.Namespace, result) -> int:  # noqa: ANN001 - an OrderResult
    if args.json:
        print_json(result.to_json())
        return 0
    if result.invoices:
        stdout.print(_invoice_table("Invoices created", result.invoices, lines=True))
    if result.scheduled:
        table = Table(title="Installments scheduled", expand=False)
        for name in ("ID", "Invoice date", "Amount"):
            table.add_column(name, justify="right" if name != "Invoice date" else "left")
        for row in result.scheduled:
            table.add_row(row["installment"], row["invoice_date"], row["amount"])
        stdout.print(table)
    stdout.print(_summary_line(result.order))
    return 0


def cmd_partial(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import partial_invoice

    db = context.database(args)
    return _report(args, partial_invoice(db, args.order, date=args.date, due=args.due))


def cmd_down_payment(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import down_payment_invoice

    db = context.database(args)
    return _report(args, down_payment_invoice(db, args.order, date=args.date, due=args.due,
                                              amount=args.amount, percent=args.percent))


def cmd_installments(args: argparse.Namespace) -> int:
    from tui_billing.billing.orders import installment_plan

    db = context.database(args)
    return _report(args, installment_plan(db, args.order, count=args.count, start=args.start,
                                          frequency=args.frequency, issue_now=args.issue_now))


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
        stdout.print(_summary_line(order))
    return 0


def _dated(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", type=date_arg, required=True, metavar="D", help="invoice date")
    p.add_argument("--due", type=date_arg, metavar="D",
                   help="due date (default: the date plus the customer's payment terms)")


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("orders", help="list orders: state, total, invoiced, remaining")
    p.add_argument("--status", choices=ORDER_STATUSES, metavar="S",
                   help=f"only orders in state S: {', '.join(ORDER_STATUSES)}")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_orders)

    order = commands.add_parser("order", help="invoice an order: partial, down payment, "
                                "installments, final")
    actions = order.add_subparsers(dest="action", metavar="ACTION", required=True,
                                   parser_class=commands._parser_class)

    def action(name: str, help_text: str, func, *, dated: bool = True):  # noqa: ANN001, ANN202
        p = actions.add_parser(name, help=help_text)
        p.add_argument("order", metavar="ORDER")
        if dated:
            _dated(p)
        p.add_argument("--json", action="store_true", help="one JSON document on stdout")
        p.set_defaults(func=func)
        return p

    action("partial", "invoice the order lines not invoiced yet", cmd_partial)
    p = action("down-payment", "a down-payment invoice", cmd_down_payment)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--amount", metavar="X", help="amount net of VAT, e.g. 300.00")
    how.add_argument("--percent", metavar="P", help="percentage of the order total")
    p = action("installments", "split what is left into installments", cmd_installments,
               dated=False)
    p.add_argument("--count", type=int, required=True, metavar="N", help="installments")
    p.add_argument("--start", type=date_arg, required=True, metavar="D",
                   help="date of the first installment")
    p.add_argument("--frequency", required=True, metavar="F",
                   help="monthly, quarterly, ... (as in the interchange format)")
    p.add_argument("--issue-now", action="store_true",
                   help="issue every installment invoice now (dated D, each due on its own "
                   "date) instead of scheduling them")
    action("final", "the final invoice: the rest, less down payments", cmd_final)
    p = action("status", "ship, cancel or reopen an order", cmd_status, dated=False)
    p.add_argument("state", choices=ORDER_STATUSES, metavar="STATE",
                   help=f"one of {', '.join(ORDER_STATUSES)}")
