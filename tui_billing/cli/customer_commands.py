"""Customer commands: customers (list, search) and customer archive / restore / delete."""

from __future__ import annotations

import argparse

from tui_billing.cli import context
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, print_listing, say
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.words import word


def cmd_customers(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_views import list_customers

    context.database(args)
    rows = list_customers(args.search, archived=args.archived)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    listing = Listing(
        _("Customers"),
        (
            Col(_("Code")),
            Col(_("Name"), "text"),
            Col(_("City"), "text", drop=2, shrink=6),
            Col(_("VAT / CF"), drop=1),
            Col(_("SdI / PEC"), "text", drop=3, shrink=7),
            Col(_("State"), drop=4),
        ),
    )
    for row in rows:
        listing.add(
            row.code,
            row.name,
            row.city,
            row.vat_number or row.tax_code,
            row.sdi_code or row.pec,
            _("archived") if row.archived else word("status", "active"),
            style="dim" if row.archived else None,
        )
    print_listing(
        stdout,
        listing,
        summary=ngettext("{n} customer", "{n} customers", len(rows)).format(
            n=display.number(len(rows))
        ),
        empty=_("No customers matching {text}.").format(text=repr(args.search))
        if args.search
        else _("No customers."),
    )
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_editing import set_archived

    db = context.database(args)
    archive = args.customer_command == "archive"
    changed = set_archived(db, args.code, archive)
    if archive:
        message = (
            _("Customer {code} is archived.")
            if changed
            else _("Customer {code} is archived already.")
        )
    else:
        message = (
            _("Customer {code} is active.") if changed else _("Customer {code} is active already.")
        )
    say(stdout, message.format(code=args.code))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from tui_billing.billing.customer_editing import delete_customer

    db = context.database(args)
    delete_customer(db, args.code)
    say(stdout, _("Customer {code} deleted.").format(code=args.code))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "customers", help=_("list the customers, searched by code or name (archived ones hidden)")
    )
    p.add_argument("--search", metavar="TEXT", help=_("code or name containing TEXT (any case)"))
    p.add_argument("--archived", action="store_true", help=_("list the archived customers too"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_customers)

    customer = commands.add_parser("customer", help=_("archive, restore or delete a customer"))
    sub = customer.add_subparsers(
        dest="customer_command", metavar="COMMAND", required=True, parser_class=type(customer)
    )
    p = sub.add_parser(
        "archive",
        help=_(
            "hide a customer from the lists and refuse it new contracts and orders "
            "(its documents stay)"
        ),
    )
    p.add_argument("code", metavar="CODE", help=_("customer code"))
    p.set_defaults(func=cmd_archive)
    p = sub.add_parser("restore", help=_("make an archived customer active again"))
    p.add_argument("code", metavar="CODE", help=_("customer code"))
    p.set_defaults(func=cmd_archive)
    p = sub.add_parser(
        "delete", help=_("delete a customer that has no contract, order, invoice or mandate")
    )
    p.add_argument("code", metavar="CODE", help=_("customer code"))
    p.set_defaults(func=cmd_delete)


__all__ = ["register"]
