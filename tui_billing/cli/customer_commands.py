"""Customer commands: customers (list, search) and customer archive / restore / delete."""

from __future__ import annotations

import argparse

from tui_billing.cli import context
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, plural, print_listing, say


def cmd_customers(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_views import list_customers

    context.database(args)
    rows = list_customers(args.search, archived=args.archived)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    listing = Listing(
        "Customers",
        (
            Col("Code"),
            Col("Name", "text"),
            Col("City", "text", drop=2, shrink=6),
            Col("VAT / CF", drop=1),
            Col("SdI / PEC", "text", drop=3, shrink=7),
            Col("State", drop=4),
        ),
    )
    for row in rows:
        listing.add(
            row.code,
            row.name,
            row.city,
            row.vat_number or row.tax_code,
            row.sdi_code or row.pec,
            "archived" if row.archived else "active",
            style="dim" if row.archived else None,
        )
    print_listing(
        stdout,
        listing,
        summary=plural(len(rows), "customer"),
        empty="No customers" + (f" matching {args.search!r}." if args.search else "."),
    )
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_editing import set_archived

    db = context.database(args)
    archive = args.customer_command == "archive"
    changed = set_archived(db, args.code, archive)
    state = "archived" if archive else "active"
    say(stdout, f"Customer {args.code} is {state}{'' if changed else ' already'}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_editing import delete_customer

    db = context.database(args)
    delete_customer(db, args.code)
    say(stdout, f"Customer {args.code} deleted.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "customers", help="list the customers, searched by code or name (archived ones hidden)"
    )
    p.add_argument("--search", metavar="TEXT", help="code or name containing TEXT (any case)")
    p.add_argument("--archived", action="store_true", help="list the archived customers too")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_customers)

    customer = commands.add_parser("customer", help="archive, restore or delete a customer")
    sub = customer.add_subparsers(
        dest="customer_command", metavar="COMMAND", required=True, parser_class=type(customer)
    )
    p = sub.add_parser(
        "archive",
        help="hide a customer from the lists and refuse it new contracts and orders "
        "(its documents stay)",
    )
    p.add_argument("code", metavar="CODE", help="customer code")
    p.set_defaults(func=cmd_archive)
    p = sub.add_parser("restore", help="make an archived customer active again")
    p.add_argument("code", metavar="CODE", help="customer code")
    p.set_defaults(func=cmd_archive)
    p = sub.add_parser(
        "delete", help="delete a customer that has no contract, order, invoice or mandate"
    )
    p.add_argument("code", metavar="CODE", help="customer code")
    p.set_defaults(func=cmd_delete)


__all__ = ["register"]
