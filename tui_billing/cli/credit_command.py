"""The credit command: a credit note that corrects an issued invoice, whole or in part."""

from __future__ import annotations

import argparse

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import money, print_listing
from tui_billing.domain.i18n import _, ngettext


def cmd_credit(args: argparse.Namespace) -> int:
    from tui_billing.billing.credit_notes import credit_invoice
    from tui_billing.billing.invoice_views import list_invoices
    from tui_billing.cli.invoice_commands import invoice_listing

    db = context.database(args)
    note = credit_invoice(
        db,
        args.invoice,
        today=context.today(args),
        lines=args.lines,
        amount=args.amount,
        reason=args.reason,
        date=args.date,
        rebill=args.rebill,
    )
    [shown] = list_invoices(invoice_ids=[note.id])
    if args.json:
        print_json(shown)
        return 0
    values = {"number": note.number, "invoice": note.corrects, "total": money(note.total)}
    if note.whole:
        summary = _("{number} corrects {invoice} (whole): {total} with VAT").format(**values)
    else:
        summary = _("{number} corrects {invoice} (partial): {total} with VAT").format(**values)
    if args.rebill:
        summary = ngettext(
            "{summary}; {n} installment line due again",
            "{summary}; {n} installment lines due again",
            note.rebilled,
        ).format(summary=summary, n=note.rebilled)
    print_listing(
        stdout,
        invoice_listing(_("Credit note issued"), [shown], lines=True),
        empty=_("No credit note issued."),
        summary=summary,
    )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("credit", help=_("issue a credit note for an issued invoice"))
    p.add_argument("invoice", metavar="NUMBER", help=_("the invoice's number (A/2026/0012)"))
    p.add_argument(
        "--lines",
        metavar="ID[,ID...]",
        help=_("credit these lines of the invoice (ids as in 'invoices --json')"),
    )
    p.add_argument(
        "--amount",
        metavar="X",
        help=_(
            "credit this taxable amount (net of VAT), shared among the (chosen) "
            "lines in proportion to what each has left"
        ),
    )
    p.add_argument("--reason", metavar="TEXT", help=_("why: printed in the note's notes"))
    p.add_argument(
        "--date",
        type=date_arg,
        metavar="D",
        help=_("date of the note (default: today; not before the invoice)"),
    )
    p.add_argument(
        "--rebill",
        action="store_true",
        help=_("the contract installments of the lines credited in full become due again"),
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_credit)
