"""Collection commands: what is due to be presented to the bank and what was presented
(collections), and writing the SEPA direct debit (collections sdd) or Ri.Ba. file
(collections riba), or an earlier file again (--again)."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import print_json, stdout, warn
from tui_billing.cli.tables import Col, Listing, day, money, print_listing
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext, pgettext

# a presented collection's state as people read it (JSON keeps the code)
_COLLECTION_STATES = {"presented": "presented", "paid": "paid", "returned": "returned"}


def _marked() -> None:  # pragma: no cover - never called: marks the states in their context
    pgettext("collection", "presented")
    pgettext("collection", "paid")
    pgettext("collection", "returned")


def cmd_collections(args: argparse.Namespace) -> int:
    from tui_billing.billing.collections import (
        due_collections,
        presented_collections,
        presented_files,
    )

    context.database(args)
    due = due_collections(None, None, args.due_to)
    files = presented_files()
    collections = presented_collections()
    if args.json:
        print_json({"due": [d.to_json() for d in due], "files": files, "collections": collections})
        return 0
    listing = Listing(
        _("Due to be presented"),
        (
            Col(_("Kind")),
            Col(_("Invoice")),
            Col(_("Customer"), "text"),
            Col(_("Due"), "date"),
            Col(_("Amount"), "money"),
            Col(_("Mandate"), drop=1),
            Col(_("Note"), "text", drop=2),
        ),
    )
    for d in due:
        listing.add(
            d.kind.upper(),
            d.number,
            d.customer_name,
            day(d.due_date),
            money(d.amount),
            d.mandate.reference if d.mandate else "",
            d.problem or "",
            style="yellow" if d.problem else None,
        )
    total = sum((d.amount for d in due), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=ngettext("{n} invoice, {total}", "{n} invoices, {total}", len(due)).format(
            n=display.number(len(due)), total=money(total)
        ),
        empty=_("Nothing due to be presented."),
    )
    listing = Listing(
        _("Presented files"),
        (
            Col(_("ID"), "number"),
            Col(_("Kind")),
            Col(_("Message id")),
            Col(_("Presented"), "date"),
            Col(pgettext("column", "Count"), "number"),
            Col(_("Total"), "money"),
        ),
    )
    for f in files:
        listing.add(
            str(f["id"]),
            f["kind"].upper(),
            f["message_id"],
            day(f["presented_on"]),
            display.number(f["count"]),
            money(f["total"]),
        )
    print_listing(stdout, listing, empty=_("No file presented yet."))
    listing = Listing(
        _("Collections"),
        (
            Col(_("Invoice")),
            Col(_("Customer"), "text", drop=2),
            Col(_("File"), "number"),
            Col(_("Date"), "date"),
            Col(_("Amount"), "money"),
            Col(_("Seq"), drop=1),
            Col(_("State")),
        ),
    )
    for c in collections:
        listing.add(
            c["invoice"],
            c["customer"],
            str(c["file"]),
            day(c["collection_date"]),
            money(c["amount"]),
            c["sequence_type"] or "",
            pgettext("collection", _COLLECTION_STATES[c["state"]])
            if c["state"] in _COLLECTION_STATES
            else c["state"],
        )
    print_listing(stdout, listing, empty=_("No collection yet."))
    return 0


def _write(args: argparse.Namespace, present) -> int:
    from tui_billing.billing.presenting import stored_file
    from tui_billing.output.safe_files import checked_target, write_file

    checked_target(args.output)  # refused before anything is presented
    db = context.database(args)
    if args.again:
        if args.due_to or args.due_from or getattr(args, "collection_date", None):
            raise UserError(_("--again writes a file as it was: give no dates with it"), "--again")
        row, content = stored_file(args.again)
        if row.kind != args.kind:
            raise UserError(
                _("file {id} is a {kind} file, not {wanted}").format(
                    id=args.again, kind=row.kind, wanted=args.kind
                ),
                "--again",
            )
        write_file(args.output, content)
        if args.json:
            print_json(
                {
                    "file": row.id,
                    "kind": row.kind,
                    "message_id": row.message_id,
                    "count": row.count,
                    "total": f"{row.total:.2f}",
                    "again": True,
                }
            )
        else:
            stdout.print(
                _("File {id} ({message_id}) written again to {output}").format(
                    id=row.id, message_id=row.message_id, output=args.output
                ),
                markup=False,
            )
        return 0
    if args.due_to is None:
        raise UserError(_("is required (or --again FILE_ID)"), "--due-to")
    if args.due_from and args.due_from > args.due_to:
        raise UserError(_("is after --due-to"), "--due-from")
    presented = present(db, args, context.today(args), dt.datetime.now().replace(microsecond=0))
    try:
        write_file(args.output, presented.content)
    except UserError as exc:
        raise UserError(
            _(
                "{error}; the invoices are presented in file {id}: write it with --again {id}"
            ).format(error=exc.message, id=presented.file_id),
            exc.path,
        ) from None
    if args.json:
        print_json({**presented.to_json(), "output": args.output})
        return 0
    stdout.print(
        presented.written_text(args.output),
        markup=False,
    )
    for number, reason in presented.left_out:
        warn(_("{number} left for a later file: {reason}").format(number=number, reason=reason))
    return 0


def cmd_sdd(args: argparse.Namespace) -> int:
    from tui_billing.billing.presenting import present_sdd

    return _write(
        args,
        lambda db, a, today, now: present_sdd(
            db,
            due_to=a.due_to,
            due_from=a.due_from,
            collection_date=a.collection_date,
            today=today,
            now=now,
            scheme=a.scheme,
        ),
    )


def cmd_riba(args: argparse.Namespace) -> int:
    from tui_billing.billing.presenting import present_riba

    return _write(
        args,
        lambda db, a, today, now: present_riba(
            db, due_to=a.due_to, due_from=a.due_from, today=today, now=now
        ),
    )


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "collections", help=_("what is due to be presented to the bank, and what was")
    )
    p.add_argument("--due-to", type=date_arg, metavar="D", help=_("only invoices due by D"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_collections)
    sub = p.add_subparsers(dest="collections_command", metavar="ACTION", parser_class=type(p))
    for kind, helptext, func in (
        ("sdd", _("write a SEPA direct debit file (pain.008.001.02)"), cmd_sdd),
        ("riba", _("write a CBI Ri.Ba. file"), cmd_riba),
    ):
        q = sub.add_parser(kind, help=helptext)
        q.add_argument(
            "--due-to",
            type=date_arg,
            metavar="D",
            help=_("invoices due on or before D (required unless --again)"),
        )
        q.add_argument(
            "--due-from", type=date_arg, metavar="D", help=_("invoices due on or after D")
        )
        if kind == "sdd":
            q.add_argument(
                "--collection-date",
                type=date_arg,
                metavar="D",
                help=_(
                    "collect every debit on D (default: each on its due date, "
                    "or the first day the lead time allows)"
                ),
            )
            q.add_argument(
                "--scheme",
                choices=("CORE", "B2B"),
                default="CORE",
                help=_("the mandates' scheme (one per file; default CORE)"),
            )
        q.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the file to write"))
        q.add_argument(
            "--again",
            metavar="FILE_ID",
            help=_("write the file FILE_ID (id or message id) again, as it was"),
        )
        q.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
        q.set_defaults(func=func, kind=kind)


__all__ = ["register"]
