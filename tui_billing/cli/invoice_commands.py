"""Invoice commands: invoice (create from installments), invoices (list), pdf (write one)."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Set as AbstractSet
from decimal import Decimal
from pathlib import Path
from typing import Any

from tui_billing.billing.lookups import contract_exists, customer_exists, order_exists
from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.input_rules import MAX_INTEGER
from tui_billing.domain.vocabulary import DOCUMENT_TYPES, INVOICE_STATUSES
from tui_billing.domain.words import word


def _installment_ids(text: str) -> list[int]:
    ids = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        if not re.fullmatch(r"[0-9]{1,10}", part) or int(part) > MAX_INTEGER:
            raise UserError(
                _("not an installment id: {text}").format(text=repr(part[:40])), "--installments"
            )
        ids.append(int(part))
    if not ids:
        raise UserError(_("no installment ids given"), "--installments")
    return ids


def _name(invoice: dict[str, Any]) -> str:
    return invoice["number"] or _("draft #{id}").format(id=invoice["id"])


def invoice_listing(
    title: str,
    invoices: list[dict[str, Any]],
    *,
    lines: bool,
    appended: AbstractSet[int] = frozenset(),
) -> Listing:
    """One row per invoice; with ``lines``, its lines below it, indented and dimmed."""
    listing = Listing(
        title,
        (
            Col(_("Invoice")),
            Col(_("Type"), drop=1),
            Col(_("Date"), "date"),
            Col(_("Customer / line"), "text", shrink=16),
            Col(_("Contract/order"), "list", drop=2),
            Col(_("Taxable"), "money"),
            Col(_("VAT"), "money"),
            Col(_("Total"), "money"),
        ),
    )
    names = context.customer_names() if invoices else {}
    for inv in invoices:
        label = _name(inv) + (" +" if inv["id"] in appended else "")
        kind = (
            "" if inv["document_type"] == "invoice" else word("document type", inv["document_type"])
        )
        listing.add(
            label,
            kind,
            day(inv["date"]),
            names.get(inv["customer"], inv["customer"]),
            " ".join(inv["contracts"] + inv["orders"]),
            money(inv["taxable"]),
            money(inv["vat"]),
            money(inv["total"]),
            style="bold",
        )
        if lines:
            for line in inv["lines"]:
                rate = line.get("vat_nature") or display.percent(Decimal(line["vat_rate"]))
                listing.add(
                    "",
                    "",
                    "",
                    "  " + line["description"],
                    "",
                    money(line["amount"]),
                    rate,
                    "",
                    style="dim",
                )
    return listing


def invoices_summary(invoices: list[dict[str, Any]]) -> str:
    """``3 invoices: taxable 1,000.00, VAT 220.00, total 1,220.00``; with lines out of VAT
    scope, ``..., VAT 220.00, out of VAT scope 40.00, total 1,260.00``; with split payment
    or withholding tax, ``..., amount due 1,060.80 (withholding tax)``."""
    taxable, vat, outside, total = (
        sum((Decimal(i.get(key, "0")) for i in invoices), Decimal("0.00"))
        for key in ("taxable", "vat", "out_of_scope", "total")
    )
    due = sum(
        (Decimal(i.get("amount_due", i.get("total", "0"))) for i in invoices), Decimal("0.00")
    )
    split = any(i.get("split_payment") for i in invoices)
    withholding = any(i.get("withholding") for i in invoices)
    values = {
        "n": display.number(len(invoices)),
        "taxable": money(taxable),
        "vat": money(vat),
        "outside": money(outside),
        "total": money(total),
    }
    if outside:
        text = ngettext(
            "{n} invoice: taxable {taxable}, VAT {vat}, out of VAT scope {outside}, total {total}",
            "{n} invoices: taxable {taxable}, VAT {vat}, out of VAT scope {outside}, total {total}",
            len(invoices),
        )
    else:
        text = ngettext(
            "{n} invoice: taxable {taxable}, VAT {vat}, total {total}",
            "{n} invoices: taxable {taxable}, VAT {vat}, total {total}",
            len(invoices),
        )
    summary = text.format(**values)
    if due == total:
        return summary
    if split and withholding:
        why = _("split payment and withholding tax")
    elif split:
        why = _("split payment")
    elif withholding:
        why = _("withholding tax")
    else:
        why = _("net")
    return _("{summary}, amount due {due} ({why})").format(summary=summary, due=money(due), why=why)


def cmd_invoice(args: argparse.Namespace) -> int:
    from tui_billing.billing.invoice_views import list_invoices
    from tui_billing.billing.invoicing import create_invoices

    ids = _installment_ids(args.installments)
    db = context.database(args)
    created = create_invoices(
        db,
        ids,
        invoice_date=args.date,
        series=args.series,
        document_type=args.doc_type,
        append_to_draft=args.append_to_draft,
        status=args.status,
    )
    invoices = list_invoices(invoice_ids=[c.id for c in created])
    if args.json:
        print_json(invoices)
        return 0
    appended = {c.id for c in created if c.appended}
    billed = sum(c.installments for c in created)
    summary = ngettext(
        "{n} invoice ({status}), {installments} billed",
        "{n} invoices ({status}), {installments} billed",
        len(created),
    ).format(
        n=display.number(len(created)),
        status=word("status", args.status),
        installments=ngettext("{n} installment", "{n} installments", billed).format(
            n=display.number(billed)
        ),
    )
    if appended:
        summary = _("{summary} (+: appended to an existing draft)").format(summary=summary)
    print_listing(
        stdout,
        invoice_listing(_("Invoices created"), invoices, lines=False, appended=appended),
        empty=_("No invoice created."),
        summary=summary,
    )
    return 0


def _check_filters(args: argparse.Namespace) -> None:
    if args.customer and not customer_exists(args.customer):
        raise UserError(_("unknown customer {code}").format(code=repr(args.customer)), "--customer")
    if args.contract and not contract_exists(args.contract):
        raise UserError(_("unknown contract {code}").format(code=repr(args.contract)), "--contract")
    if args.order and not order_exists(args.order):
        raise UserError(_("unknown order {code}").format(code=repr(args.order)), "--order")


def cmd_invoices(args: argparse.Namespace) -> int:
    from tui_billing.billing.invoice_views import list_invoices

    context.database(args)
    _check_filters(args)
    invoices = list_invoices(
        contract=args.contract,
        customer=args.customer,
        status=args.status,
        date_from=args.date_from,
        date_to=args.date_to,
        order=args.order,
    )
    if args.json:
        print_json(invoices)
        return 0
    print_listing(
        stdout,
        invoice_listing(_("Invoices"), invoices, lines=True),
        empty=_("No invoices."),
        summary=invoices_summary(invoices),
    )
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from tui_billing.billing.invoice_views import (
        find_invoice,
        invoice_document,
        invoice_json,
        pdf_file_name,
    )
    from tui_billing.output.pdf import write_invoice_pdf

    context.database(args)
    settings = context.config(args)
    invoice_id = find_invoice(args.invoice)
    default_name = pdf_file_name(invoice_json(invoice_id))
    target = Path(args.output) if args.output else Path(default_name)
    if os.path.isdir(target):  # never raises, whatever the name
        target = target / default_name
    written = write_invoice_pdf(
        invoice_document(invoice_id, settings.company, args.language), target
    )
    stdout.print(str(written), markup=False)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("invoice", help=_("invoice the chosen installments"))
    p.add_argument(
        "--installments",
        required=True,
        metavar="ID[,ID...]",
        help=_("installment ids, as listed by 'due'"),
    )
    p.add_argument(
        "--date",
        type=date_arg,
        metavar="D",
        help=_("invoice date (default: each installment's own)"),
    )
    p.add_argument("--series", metavar="S", help=_("numbering series (default: the contract's)"))
    p.add_argument(
        "--doc-type",
        metavar="T",
        help=_("document type: {types} (default: the contract's)").format(
            types=", ".join(DOCUMENT_TYPES)
        ),
    )
    p.add_argument(
        "--append-to-draft",
        action="store_true",
        help=_("add to the newest draft of the same customer, series and type"),
    )
    p.add_argument(
        "--status",
        choices=("draft", "issued"),
        default="draft",
        help=_("leave drafts (default) or issue them with their numbers"),
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_invoice)

    p = commands.add_parser("invoices", help=_("list invoices with their lines"))
    p.add_argument("--contract", metavar="K", help=_("contract code"))
    p.add_argument("--customer", metavar="C", help=_("customer code"))
    p.add_argument("--order", metavar="O", help=_("order code"))
    p.add_argument(
        "--status",
        choices=INVOICE_STATUSES,
        metavar="S",
        help=_("one of {choices}").format(choices=", ".join(INVOICE_STATUSES)),
    )
    p.add_argument(
        "--from", dest="date_from", type=date_arg, metavar="D", help=_("dated on or after D")
    )
    p.add_argument(
        "--to", dest="date_to", type=date_arg, metavar="D", help=_("dated on or before D")
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_invoices)

    p = commands.add_parser("pdf", help=_("write an invoice's PDF"))
    p.add_argument(
        "invoice",
        metavar="NUMBER_OR_ID",
        help=_("invoice number (A/2024/0001) or, for a draft, its id"),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("file or directory (default: the number, e.g. A-2024-0001.pdf)"),
    )
    p.add_argument(
        "--language", choices=("it", "en"), help=_("language of the PDF (default: the invoice's)")
    )
    p.set_defaults(func=cmd_pdf)
