"""Every stored, issued fiscal document as its FatturaPA 1.2.3 e-invoice.

:func:`fatturapa_document` builds the model of one document from what was stored when it
was issued: its number, date, lines, totals, bollo, split payment, payment method and
IBAN, the corrected invoice of a credit note, the contracts (with CIG/CUP) and orders of
its lines, and the seller and buyer of the snapshots taken at issue (never today's company
or customer rows). :func:`einvoice_file` writes it, checked by the SdI rules and the
official schema first; an invalid document raises ``InvalidEInvoice`` (a UserError)
naming its number and the rule. The ``*_documents``/``*_files`` forms load many at once
(a few queries per thousand documents).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from peewee import chunked

from tui_billing.billing.gc_pause import gc_paused
from tui_billing.billing.invoice_line_rows import INSTALLMENT_ORDER, LINE_ORDER, line_rows
from tui_billing.billing.professional_rules import einvoice_blocks
from tui_billing.billing.wording import _, shown
from tui_billing.domain import fatturapa_mapping as mapping
from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa import (
    TD04,
    Buyer,
    FatturaPA,
    RelatedDocument,
    Seller,
    StampDuty,
)
from tui_billing.domain.number_formats import numbering_class
from tui_billing.domain.sdi_document_types import sdi_document_type
from tui_billing.domain.stamp_duty import (
    SPLIT_PAYMENT_NOTE,
    STAMP_DUTY_NOTE,
    owed_amount,
)
from tui_billing.domain.vat import vat_summary_rows
from tui_billing.domain.vat_natures import reverse_charge_note
from tui_billing.output.fatturapa_xml import fatturapa_xml, sdi_file_name
from tui_billing.store.models import (
    Contract,
    Invoice,
    InvoiceLine,
    Order,
    PartySnapshot,
)

_CHUNK = 500
BATCH = 1000  # documents loaded and checked together


@dataclass(frozen=True, slots=True)
class EInvoiceFile:
    """One checked e-invoice: its SdI file name and XML bytes, and the document it is."""

    name: str  # IT01234560017_00001.xml
    xml: bytes
    invoice_id: int = 0
    number: str = ""


class _Head(NamedTuple):
    """The invoice row's fields an e-invoice uses."""

    id: int
    number: str | None
    status: str
    document_type: str
    kind: str
    issue_date: date  # the invoice row's "date"
    due_date: date | None
    payment_method: str | None
    iban: str | None
    vat: Decimal
    total: Decimal
    notes: str | None
    corrects_id: int | None
    seller_snapshot_id: int | None
    buyer_snapshot_id: int | None
    stamp_duty: Decimal | None
    split_payment: bool
    # a professional's ritenuta and contribution, as issued (billing.professional_rules)
    withholding_kind: str | None
    withholding: Decimal | None
    withholding_rate: Decimal | None
    withholding_reason: str | None
    contribution_fund: str | None
    contribution_rate: Decimal | None
    contribution: Decimal | None
    contribution_vat_rate: Decimal | None
    contribution_base: Decimal | None
    contribution_withheld: bool | None
    contribution_vat_nature: str | None
    net_due: Decimal | None


_HEAD = (
    Invoice.id,
    Invoice.number,
    Invoice.status,
    Invoice.document_type,
    Invoice.kind,
    Invoice.date,
    Invoice.due_date,
    Invoice.payment_method,
    Invoice.iban,
    Invoice.vat,
    Invoice.total,
    Invoice.notes,
    Invoice.corrects,
    Invoice.seller_snapshot,
    Invoice.buyer_snapshot,
    Invoice.stamp_duty,
    Invoice.split_payment,
    Invoice.withholding_kind,
    Invoice.withholding,
    Invoice.withholding_rate,
    Invoice.withholding_reason,
    Invoice.contribution_fund,
    Invoice.contribution_rate,
    Invoice.contribution,
    Invoice.contribution_vat_rate,
    Invoice.contribution_base,
    Invoice.contribution_withheld,
    Invoice.contribution_vat_nature,
    Invoice.net_due,
)


@dataclass(slots=True)
class _Stored:
    """What one issued document holds, loaded in batches."""

    invoice: _Head
    lines: list[tuple[Any, ...]] = field(default_factory=list)
    contracts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    orders: dict[str, date] = field(default_factory=dict)
    corrected: tuple[str, date] | None = None


def document_name(invoice: Invoice | _Head) -> str:
    """How messages name a document: its number, or ``#id`` without one."""
    return invoice.number or f"#{invoice.id}"


def refuse_not_fiscal(invoice: Invoice | _Head) -> None:
    """Only issued fiscal documents (invoices, credit notes) have an e-invoice: a draft, a
    pro-forma or an order document is refused naming it."""
    name = document_name(invoice)
    if invoice.status == "draft" or invoice.number is None:
        raise UserError(_("is a draft: only an issued document has an e-invoice"), name)
    if (
        numbering_class(invoice.document_type) != "fiscal"
        or sdi_document_type(invoice.document_type, invoice.kind) is None
    ):
        raise UserError(
            _("is a {document_type}, not a fiscal document: it has no e-invoice").format(
                document_type=shown(
                    "document type",
                    invoice.document_type,
                    invoice.document_type.replace("_", "-"),
                )
            ),
            name,
        )
    if invoice.seller_snapshot_id is None or invoice.buyer_snapshot_id is None:
        raise UserError(
            _("was issued without its parties recorded: no e-invoice can say who sold to whom"),
            name,
        )


def _load(invoice_ids: Sequence[int]) -> dict[int, _Stored]:
    """The documents' rows, lines (with contract CIG/CUP and order codes), own orders and
    corrected invoices, a few queries per chunk; refused unless issued and fiscal."""
    stored: dict[int, _Stored] = {}
    for chunk in chunked(list(invoice_ids), _CHUNK):
        for row in Invoice.select(*_HEAD).where(Invoice.id.in_(list(chunk))).tuples():
            stored[row[0]] = _Stored(_Head(*row))
    for iid in invoice_ids:
        if iid not in stored:
            raise UserError(_("no such invoice: {iid}").format(iid=iid), "invoice")
    for iid in invoice_ids:  # the first in the caller's order is named
        refuse_not_fiscal(stored[iid].invoice)
    own_order = Order.alias("own_order")
    ids = list(stored)
    for chunk in chunked(ids, _CHUNK):
        columns = (
            InvoiceLine.invoice,
            InvoiceLine.description,
            InvoiceLine.quantity,
            InvoiceLine.unit,
            InvoiceLine.unit_price,
            InvoiceLine.amount,
            InvoiceLine.vat_rate,
            InvoiceLine.vat_nature,
            InvoiceLine.period_start,
            InvoiceLine.period_end,
            InvoiceLine.cost_centre,
            Contract.code,
            Contract.cig,
            Contract.cup,
            INSTALLMENT_ORDER.code,
            INSTALLMENT_ORDER.date,
            LINE_ORDER.code,
            LINE_ORDER.date,
        )
        query = line_rows(columns, chunk)
        for row in query:
            item = stored[row[0]]
            number = len(item.lines) + 1
            item.lines.append((number, *row[1:11], row[11]))
            if row[11] is not None:
                item.contracts[row[11]] = (row[12], row[13])
            for code, day in ((row[14], row[15]), (row[16], row[17])):
                if code is not None:
                    item.orders[code] = day
        for iid, code, day in (
            Invoice.select(Invoice.id, own_order.code, own_order.date)
            .join(own_order, on=(Invoice.order == own_order.id))
            .where(Invoice.id.in_(list(chunk)))
            .tuples()
        ):
            stored[iid].orders[code] = day
    corrects = {
        item.invoice.corrects_id for item in stored.values() if item.invoice.corrects_id is not None
    }
    for chunk in chunked(sorted(corrects), _CHUNK):
        found = {
            iid: (number, day)
            for iid, number, day in (
                Invoice.select(Invoice.id, Invoice.number, Invoice.date)
                .where(Invoice.id.in_(list(chunk)))
                .tuples()
            )
        }
        for item in stored.values():
            if item.invoice.corrects_id in found:
                item.corrected = found[item.invoice.corrects_id]
    return stored


def _snapshots(stored: dict[int, _Stored]) -> dict[int, dict[str, Any]]:
    wanted = sorted(
        {
            sid
            for item in stored.values()
            for sid in (item.invoice.seller_snapshot_id, item.invoice.buyer_snapshot_id)
            if sid is not None  # never on an issued document
        }
    )
    found: dict[int, dict[str, Any]] = {}
    for chunk in chunked(wanted, _CHUNK):
        for sid, text in (
            PartySnapshot.select(PartySnapshot.id, PartySnapshot.data)
            .where(PartySnapshot.id.in_(list(chunk)))
            .tuples()
        ):
            found[sid] = json.loads(text)
    return found


def _notes(invoice: _Head, natures: set[str | None]) -> list[str]:
    """The document's notes and the legal notes of its VAT rules (reverse charge, split
    payment, bollo), as its PDF prints them."""
    notes = [n for n in (invoice.notes or "").splitlines() if n.strip()]
    notes.extend(reverse_charge_note(natures))
    if invoice.split_payment:
        notes.append(SPLIT_PAYMENT_NOTE)
    if invoice.stamp_duty is not None:
        amount = f"{invoice.stamp_duty:.2f}".replace(".", ",")
        notes.append(f"{STAMP_DUTY_NOTE} ({amount} EUR)")
    return notes


def _related(
    item: _Stored, all_lines: int
) -> tuple[tuple[RelatedDocument, ...], tuple[RelatedDocument, ...]]:
    """DatiContratto (with CIG/CUP) of the lines' contracts and DatiOrdineAcquisto of the
    orders; a reference names its lines unless it concerns all of them. A code longer than
    the schema's 20 characters is left out unless it carries a CIG or CUP."""
    contracts = []
    for code, (cig, cup) in sorted(item.contracts.items()):
        if len(code) > 20 and not (cig or cup):
            continue
        numbers = tuple(li[0] for li in item.lines if li[11] == code)
        contracts.append(
            RelatedDocument(
                code, line_numbers=() if len(numbers) == all_lines else numbers, cig=cig, cup=cup
            )
        )
    orders = tuple(
        RelatedDocument(code, document_date=day)
        for code, day in sorted(item.orders.items())
        if len(code) <= 20
    )
    return tuple(contracts), orders


@dataclass(frozen=True, slots=True)
class _Party:
    """A snapshot of a party as stored, and as the e-invoice blocks made from it once."""

    values: dict[str, Any]
    seller: Seller | None = None
    buyer: Buyer | None = None


def _parties(stored: dict[int, _Stored]) -> dict[int, _Party]:
    """Each snapshot the documents use, with its CedentePrestatore or CessionarioCommittente
    made once (many documents share one)."""
    values = _snapshots(stored)
    sellers = {item.invoice.seller_snapshot_id for item in stored.values()}
    buyers = {item.invoice.buyer_snapshot_id for item in stored.values()}
    return {
        sid: _Party(
            party,
            mapping.seller(party) if sid in sellers else None,
            mapping.buyer(party) if sid in buyers else None,
        )
        for sid, party in values.items()
    }


def _document(
    item: _Stored, seller_party: _Party, buyer_party: _Party, progressive: str
) -> FatturaPA:
    invoice = item.invoice
    seller, buyer = seller_party.values, buyer_party.values
    document_type = sdi_document_type(invoice.document_type, invoice.kind) or ""
    sign = -1 if document_type == TD04 else 1
    lines = tuple(
        mapping.line(
            number,
            description,
            quantity,
            unit,
            price,
            amount,
            rate,
            nature,
            (start, end),
            cost_centre,
            sign,
        )
        for (
            number,
            description,
            quantity,
            unit,
            price,
            amount,
            rate,
            nature,
            start,
            end,
            cost_centre,
            _contract,
        ) in item.lines or []
    )
    withholding, fund = einvoice_blocks(invoice)  # type: ignore[arg-type]
    if sign < 0:  # a credit note's blocks, positive as its lines
        if withholding is not None:
            withholding = replace(withholding, amount=-withholding.amount)
        if fund is not None:
            fund = replace(
                fund,
                amount=-fund.amount,
                taxable_base=None if fund.taxable_base is None else -fund.taxable_base,
            )
    if withholding is not None:  # Ritenuta SI on every line but those out of VAT scope
        lines = tuple(replace(li, withholding=True) if li.nature != "N1" else li for li in lines)
    contribution = () if fund is None else ((fund.amount, fund.vat_rate, fund.nature),)
    rows = vat_summary_rows([*((li.total, li.vat_rate, li.nature) for li in lines), *contribution])
    total = invoice.total * sign
    payment = None
    if document_type != TD04:
        due = owed_amount(invoice.total, invoice.vat, invoice.net_due, bool(invoice.split_payment))
        payment = mapping.payment(
            invoice.payment_method, due, invoice.due_date, seller.get("iban"), invoice.iban
        )
    contracts, orders = _related(item, len(lines))
    linked: tuple[RelatedDocument, ...] = ()
    if item.corrected is not None:
        linked = (RelatedDocument(item.corrected[0], document_date=item.corrected[1]),)
    return FatturaPA(
        transmission=mapping.transmission(seller, buyer, progressive),
        seller=seller_party.seller,  # type: ignore[arg-type]
        buyer=buyer_party.buyer,  # type: ignore[arg-type]
        document_type=document_type,
        issue_date=invoice.issue_date,
        number=invoice.number or "",  # issued: numbered
        lines=lines,
        summaries=mapping.summaries(rows, bool(invoice.split_payment)),
        total=total,
        stamp_duty=None if invoice.stamp_duty is None else StampDuty(invoice.stamp_duty),
        withholdings=() if withholding is None else (withholding,),
        social_security=() if fund is None else (fund,),
        reasons=mapping.reasons(_notes(invoice, {li.nature for li in lines})),
        purchase_orders=orders,
        contracts=contracts,
        linked_invoices=linked,
        payments=() if payment is None else (payment,),
    )


def fatturapa_documents(requests: Sequence[tuple[int, str]]) -> list[FatturaPA]:
    """The model of each (invoice id, progressive), in order, loaded in batches; a UserError
    names the first document that is not an issued fiscal one."""
    stored = _load([iid for iid, _unused in requests])
    parties = _parties(stored)
    made = []
    for iid, progressive in requests:
        item = stored[iid]
        seller_id, buyer_id = item.invoice.seller_snapshot_id, item.invoice.buyer_snapshot_id
        assert seller_id is not None and buyer_id is not None  # issued (see _load)
        made.append(
            _document(
                item,
                parties[seller_id],
                parties[buyer_id],
                progressive,
            )
        )
    return made


def fatturapa_document(invoice_id: int, progressive: str) -> FatturaPA:
    """The FatturaPA model of one stored, issued fiscal document, sent as ``progressive``
    (ProgressivoInvio, 1-5 letters or digits). Unchecked: see :func:`einvoice_file`."""
    return fatturapa_documents([(invoice_id, progressive)])[0]


def _checked(requests: Sequence[tuple[int, str]], today: date) -> list[EInvoiceFile]:
    """One batch: loaded, built, checked and written."""
    with gc_paused():
        docs = fatturapa_documents(requests)
        return [
            EInvoiceFile(sdi_file_name(doc), fatturapa_xml(doc, today), iid, doc.number)
            for (iid, _unused), doc in zip(requests, docs, strict=True)
        ]


def iter_einvoice_files(requests: Sequence[tuple[int, str]], today: date) -> Iterator[EInvoiceFile]:
    """The checked e-invoice of each (invoice id, progressive), in order, ``BATCH`` at a
    time (an export can write each batch as it comes, with bounded memory).
    InvalidEInvoice (a UserError) names the first invalid document and the rule it breaks;
    the files of earlier batches have been yielded by then."""
    for at in range(0, len(requests), BATCH):
        yield from _checked(requests[at : at + BATCH], today)


def einvoice_files(requests: Sequence[tuple[int, str]], today: date) -> list[EInvoiceFile]:
    """The checked e-invoice of each (invoice id, progressive), in order; InvalidEInvoice
    (a UserError) names the first invalid document and the rule it breaks."""
    return list(iter_einvoice_files(requests, today))


def einvoice_file(invoice_id: int, progressive: str, today: date) -> EInvoiceFile:
    """The e-invoice of one issued document: its SdI file name and XML, valid against the
    schema and the SdI checks (``today``: no document dated after it)."""
    return einvoice_files([(invoice_id, progressive)], today)[0]


__all__ = [
    "BATCH",
    "EInvoiceFile",
    "document_name",
    "einvoice_file",
    "einvoice_files",
    "fatturapa_document",
    "fatturapa_documents",
    "iter_einvoice_files",
    "refuse_not_fiscal",
]
