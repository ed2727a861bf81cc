"""E-invoice commands: einvoice (one XML), einvoices (states), export, receipts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing
from tui_billing.domain import display
from tui_billing.domain.einvoice_states import STATES
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.words import word

MAX_RECEIPT_BYTES = 5 * 1024 * 1024  # SdI notifications are a few kilobytes


def cmd_einvoice(args: argparse.Namespace) -> int:
    from tui_billing.billing.einvoice_export import write_einvoice

    db = context.database(args)
    path, name, exported = write_einvoice(db, args.number, args.output, today=context.today(args))
    if args.json:
        print_json(
            {"number": args.number, "file_name": name, "path": str(path), "exported": exported}
        )
    else:
        stdout.print(str(path), markup=False)
    return 0


def state_word(state: str) -> str:
    """An e-invoice state in the language in use."""
    return word("e-invoice state", state)


def _state_text(row: dict[str, Any]) -> str:
    if row["errors"]:
        codes = ", ".join(e["code"] for e in row["errors"])
        return f"{state_word(row['state'])} ({codes})"
    return state_word(row["state"])


def cmd_einvoices(args: argparse.Namespace) -> int:
    from tui_billing.billing.einvoices import list_einvoices

    context.database(args)
    rows = list_einvoices(status=args.status, date_from=args.date_from, date_to=args.date_to)
    if args.json:
        print_json(rows)
        return 0
    listing = Listing(
        _("E-invoices"),
        (
            Col(_("Document")),
            Col(_("Date"), "date"),
            Col(_("Customer"), "text", shrink=12),
            Col(_("Total"), "money"),
            Col(_("State")),
            Col(_("File"), drop=1),
        ),
    )
    names = context.customer_names() if rows else {}
    for row in rows:
        style = "bold red" if row["state"] in ("rejected", "refused") else None
        listing.add(
            row["number"],
            day(row["date"]),
            names.get(row["customer"], row["customer"]),
            money(row["total"]),
            _state_text(row),
            row["file_name"] or "",
            style=style,
        )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    summary = ngettext("{n} document", "{n} documents", len(rows)).format(
        n=display.number(len(rows))
    )
    if counts:
        states = ", ".join(
            # Translators: a count of e-invoices in one state, e.g. "3 delivered"
            _("{n} {state}").format(n=n, state=state_word(state))
            for state, n in sorted(counts.items())
        )
        summary = _("{summary}: {states}").format(summary=summary, states=states)
    print_listing(stdout, listing, empty=_("No issued documents."), summary=summary)
    for row in rows:  # the SdI's errors in full, below the table
        for error in row["errors"]:
            stdout.print(
                f"{row['number']} {state_word(row['state'])}: {error['code']} "
                f"{error['description']}",
                markup=False,
            )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tui_billing.billing.einvoice_export import export_einvoices

    db = context.database(args)
    report = export_einvoices(
        db,
        args.target,
        today=context.today(args),
        date_from=args.date_from,
        date_to=args.date_to,
        again=args.again,
    )
    if args.json:
        print_json(report.to_json())
        return 0
    for number in report.finished:
        stdout.print(
            _("{number}: finished (an earlier export was interrupted)").format(number=number),
            markup=False,
        )
    for number, name in report.written:
        stdout.print(f"{number}  {name}", markup=False)
    stdout.print(
        ngettext(
            "{n} e-invoice exported to {target}",
            "{n} e-invoices exported to {target}",
            len(report.written),
        ).format(n=display.number(len(report.written)), target=report.target),
        markup=False,
    )
    return 0


def _read(path: str) -> tuple[str, bytes]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RECEIPT_BYTES + 1)
    except OSError as exc:
        raise UserError(
            _("cannot read: {error}: nothing recorded").format(error=exc.strerror or exc), path
        ) from None
    if len(data) > MAX_RECEIPT_BYTES:
        raise UserError(_("larger than any SdI notification (5 MB): nothing recorded"), path)
    return Path(path).name, data


def cmd_receipts(args: argparse.Namespace) -> int:
    from tui_billing.billing.einvoices import record_receipts

    files = [_read(path) for path in args.files]
    db = context.database(args)
    report = record_receipts(db, files)
    if args.json:
        print_json(report.to_json())
        return 0
    for o in report.outcomes:
        change = f"{o.before} -> {o.after}" if o.before != o.after else o.after
        line = f"{o.number}  {o.kind}  {o.file_name}: {change}"
        if o.already_recorded:
            line = _("{line} (already recorded)").format(line=line)
        stdout.print(line, markup=False)
    stdout.print(
        ngettext(
            "{n} notification recorded, {already} already recorded",
            "{n} notifications recorded, {already} already recorded",
            report.recorded,
        ).format(n=display.number(report.recorded), already=len(report.outcomes) - report.recorded),
        markup=False,
    )
    return 0


def _dates(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from",
        dest="date_from",
        type=date_arg,
        metavar="D",
        help=_("documents dated on or after D"),
    )
    p.add_argument(
        "--to", dest="date_to", type=date_arg, metavar="D", help=_("documents dated on or before D")
    )


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("einvoice", help=_("write one issued document's e-invoice XML"))
    p.add_argument("number", metavar="NUMBER", help=_("document number (A/2026/0001)"))
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("file or folder (default: its SdI file name, in this folder)"),
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_einvoice)

    p = commands.add_parser(
        "einvoices", help=_("issued documents' e-invoice states; export, receipts")
    )
    p.add_argument(
        "--status",
        choices=STATES,
        metavar="S",
        help=_("one of {choices}").format(choices=", ".join(STATES)),
    )
    _dates(p)
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_einvoices)
    actions = p.add_subparsers(dest="einvoices_action", metavar="ACTION", parser_class=type(p))
    e = actions.add_parser("export", help=_("write every pending e-invoice into a folder or ZIP"))
    e.add_argument("target", metavar="DIR|FILE.zip", help=_("folder (hot folder) or ZIP file"))
    _dates(e)
    e.add_argument(
        "--again",
        metavar="NUMBER",
        help=_("export this one document again (a rejected one with a new progressive)"),
    )
    e.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    e.set_defaults(func=cmd_export)
    r = actions.add_parser("receipts", help=_("read SdI notifications and move the states"))
    r.add_argument("files", nargs="+", metavar="FILE", help=_("SdI notification XML files"))
    r.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    r.set_defaults(func=cmd_receipts)
