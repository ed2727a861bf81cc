"""Reading invoices back: plain dicts in the ``invoices --json`` shape of the spec, finding an
invoice by number or id, and the :class:`InvoiceDocument` its PDF prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, chunked, fn

from tui_billing.billing.credited import (
    corrected_invoices,
    credited_amounts,
    credited_lines,
)
from tui_billing.billing.invoice_line_rows import INSTALLMENT_ORDER, LINE_ORDER, line_rows
from tui_billing.billing.party_blocks import company_block, customer_block, document_parties
from tui_billing.billing.party_snapshots import parties_json
from tui_billing.billing.payments import PAYABLE_STATUSES, paid_amounts
from tui_billing.billing.professional_rules import owed
from tui_billing.billing.wording import _
from tui_billing.config import CompanySettings
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import ZERO, format_price, format_quantity
from tui_billing.domain.professional import contribution_label, withholding_label
from tui_billing.domain.sdi_document_types import sdi_document_type
from tui_billing.domain.stamp_duty import (
    SPLIT_PAYMENT_NOTE,
    STAMP_DUTY_NOTE,
    owed_amount,
)
from tui_billing.domain.vat import vat_summary_rows
from tui_billing.domain.vat_natures import is_out_of_scope, reverse_charge_note
from tui_billing.output.invoice_document import (
    LANGUAGES,
    CorrectedInvoice,
    DocumentLine,
    EarlierDocument,
    InvoiceDocument,
    VatSummaryRow,
)
from tui_billing.store.models import (
    Contract,
    Customer,
    Installment,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
)

_CHUNK = 1000
# Methods that collect from the customer's account: its IBAN is printed. With a bank
# transfer the customer pays to the company's IBAN instead.
DEBITED_METHODS = ("sepa_direct_debit", "riba")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _lines_of(invoice_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Each invoice's lines, by position: the line fields plus contract and order codes."""
    result: dict[int, list[tuple[Any, ...]]] = {}
    for chunk in chunked(invoice_ids, _CHUNK):
        columns = (
            InvoiceLine.invoice,
            InvoiceLine.description,
            Contract.code,
            InvoiceLine.installment,
            InvoiceLine.period_start,
            InvoiceLine.period_end,
            InvoiceLine.quantity,
            InvoiceLine.unit,
            InvoiceLine.unit_price,
            InvoiceLine.amount,
            InvoiceLine.vat_rate,
            INSTALLMENT_ORDER.code,
            LINE_ORDER.code,
            InvoiceLine.cost_centre,
            InvoiceLine.vat_nature,
            InvoiceLine.id,
            InvoiceLine.credits_line,
        )
        query = line_rows(columns, chunk)
        for row in query:
            result.setdefault(row[0], []).append(row[1:])
    return result


def _line_json(line: tuple[Any, ...], credited: dict[int, Decimal]) -> dict[str, Any]:
    (
        description,
        contract,
        installment,
        start,
        end,
        quantity,
        _unit,
        unit_price,
        amount,
        rate,
        _o1,
        _o2,
        cost_centre,
        nature,
        line_id,
        credits_line,
    ) = line
    return {
        "id": line_id,
        "description": description,
        "contract": contract,
        "installment": str(installment) if installment is not None else None,
        "period_start": _iso(start),
        "period_end": _iso(end),
        "quantity": format_quantity(quantity),
        "unit_price": format_price(unit_price),
        "amount": _money(amount),
        "vat_rate": _money(rate),
        "vat_nature": nature,
        "cost_centre": cost_centre,
        "credited": _money(credited.get(line_id, ZERO)),
        "credits_line": credits_line,
    }


def _out_of_scope(lines: Iterable[tuple[Any, ...]]) -> Decimal:
    """What the lines out of VAT scope (N1) add to the total, outside the taxable base."""
    return sum((li[8] for li in lines if is_out_of_scope(li[13])), ZERO)


def _filtered(
    query: Any,
    *,
    contract: str | None = None,
    customer: str | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str | None = None,
    customer_text: str | None = None,
) -> Any:
    """An invoice query joined to its customer (and order), narrowed by the filters:
    ``customer`` is a code, ``customer_text`` part of a code or name (any case)."""
    query = query.join_from(Invoice, Customer).join_from(Invoice, Order, JOIN.LEFT_OUTER)
    if customer:
        query = query.where(Customer.code == customer)
    if customer_text and customer_text.strip():
        needle = customer_text.strip().lower()
        query = query.where(
            fn.LOWER(Customer.code).contains(needle) | fn.LOWER(Customer.name).contains(needle)
        )
    if status:
        query = query.where(Invoice.status == status)
    if date_from:
        query = query.where(Invoice.date >= date_from)
    if date_to:
        query = query.where(Invoice.date <= date_to)
    if contract:
        query = query.where(
            Invoice.id.in_(
                InvoiceLine.select(InvoiceLine.invoice)
                .join(Contract)
                .where(Contract.code == contract)
            )
        )
    if order:
        order_ids = Order.select(Order.id).where(Order.code == order)
        query = query.where(
            Invoice.order.in_(order_ids)
            | Invoice.id.in_(
                InvoiceLine.select(InvoiceLine.invoice)
                .join(Installment)
                .where(Installment.order.in_(order_ids))
            )
            | Invoice.id.in_(
                InvoiceLine.select(InvoiceLine.invoice)
                .join(OrderLine)
                .where(OrderLine.order.in_(order_ids))
            )
        )
    return query


def list_invoices(
    *,
    contract: str | None = None,
    customer: str | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str | None = None,
    invoice_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Invoices as in ``invoices --json``, by date then id; each filter narrows the list
    (contract: invoices with a line of that contract; order: invoices of that order or with
    a line from it)."""
    query = _filtered(
        Invoice.select(
            Invoice.id,
            Invoice.number,
            Invoice.series,
            Invoice.year,
            Invoice.seq,
            Invoice.numbering,
            Invoice.status,
            Invoice.document_type,
            Invoice.date,
            Invoice.due_date,
            Customer.code,
            Order.code,
            Invoice.taxable,
            Invoice.vat,
            Invoice.total,
            Invoice.kind,
            Invoice.stamp_duty,
            Invoice.split_payment,
            Invoice.net_due,
        ),
        contract=contract,
        customer=customer,
        status=status,
        date_from=date_from,
        date_to=date_to,
        order=order,
    )
    if invoice_ids is not None:
        wanted = list(invoice_ids)
        if not wanted:
            return []
        rows: list[tuple[Any, ...]] = []
        for chunk in chunked(wanted, _CHUNK):
            rows.extend(
                query.where(Invoice.id.in_(list(chunk))).order_by(Invoice.date, Invoice.id).tuples()
            )
        rows.sort(key=lambda r: (r[8], r[0]))
    else:
        rows = list(query.order_by(Invoice.date, Invoice.id).tuples())
    lines = _lines_of([r[0] for r in rows])
    paid = paid_amounts([r[0] for r in rows])
    credited = credited_amounts(r[0] for r in rows)
    credited_by_line = credited_lines(iid for iid, c in credited.items())
    corrects = corrected_invoices(r[0] for r in rows if r[7] == "credit_note")
    result = []
    for (
        iid,
        number,
        series,
        year,
        seq,
        numbering,
        state,
        doc,
        date,
        due,
        cust,
        order_code,
        taxable,
        vat,
        total,
        kind,
        stamp,
        split,
        net,
    ) in rows:
        own = lines.get(iid, [])
        due_amount = owed_amount(total, vat, net, bool(split))
        contracts = sorted({li[1] for li in own if li[1]})
        orders = sorted({order_code, *(li[10] for li in own), *(li[11] for li in own)} - {None})
        taken = credited.get(iid)
        corrected = corrects.get(iid)
        open_amount = due_amount - paid.get(iid, ZERO)  # less VAT if split, less ritenuta
        if taken is not None:  # a credit beyond what is unpaid is owed back, not open
            open_amount = max(ZERO, open_amount - taken.owed)
        result.append(
            {
                "id": iid,
                "number": number,
                "series": series,
                "year": year if year is not None else date.year,
                "seq": seq,
                "numbering": numbering,
                "status": state,
                "document_type": doc,
                "sdi_document_type": sdi_document_type(doc, kind),
                "date": _iso(date),
                "due_date": _iso(due),
                "customer": cust,
                "contracts": contracts,
                "orders": orders,
                "taxable": _money(taxable),
                "vat": _money(vat),
                "out_of_scope": _money(_out_of_scope(own)),
                "total": _money(total),
                "stamp_duty": None if stamp is None else _money(stamp),
                "split_payment": bool(split),
                "contribution": None,  # a professional's (see _with_professional)
                "withholding": None,
                "net_due": _money(due_amount),
                "amount_due": _money(due_amount),
                "paid": _money(paid.get(iid, ZERO)),
                "open": _money(open_amount),
                "overdue_since": _iso(due + dt.timedelta(days=1))
                if due and open_amount > 0 and state in PAYABLE_STATUSES and doc == "invoice"
                else None,
                "corrects": {"number": corrected[1], "date": _iso(corrected[2])}
                if corrected
                else None,
                "credited": _money(taken.total if taken else ZERO),
                "credited_by": [
                    {"number": n.number, "date": _iso(n.date), "credited": _money(n.credited)}
                    for n in taken.notes
                ]
                if taken
                else [],
                "lines": [_line_json(li, credited_by_line) for li in own],
            }
        )
    _with_professional(result)
    _with_parties(result)
    return result


def _with_professional(invoices: list[dict[str, Any]]) -> None:
    """Each invoice's ``contribution`` and ``withholding`` (null without) and ``net_due``:
    what the customer pays (the total, less the withholding, less VAT if split)."""
    ids = [i["id"] for i in invoices]
    stored: dict[int, tuple[Any, ...]] = {}
    for chunk in chunked(ids, _CHUNK):
        for row in (
            Invoice.select(
                Invoice.id,
                Invoice.contribution_fund,
                Invoice.contribution_rate,
                Invoice.contribution_base,
                Invoice.contribution,
                Invoice.contribution_vat_rate,
                Invoice.contribution_vat_nature,
                Invoice.contribution_withheld,
                Invoice.withholding_kind,
                Invoice.withholding_rate,
                Invoice.withholding_reason,
                Invoice.withholding_base,
                Invoice.withholding,
            )
            .where(
                Invoice.id.in_(list(chunk)),
                Invoice.contribution.is_null(False) | Invoice.withholding.is_null(False),
            )
            .tuples()
        ):
            stored[row[0]] = row[1:]
    for invoice in invoices:
        kept = stored.get(invoice["id"])
        (
            fund,
            c_rate,
            c_base,
            c_amount,
            c_vat,
            c_nature,
            withheld,
            kind,
            w_rate,
            reason,
            w_base,
            w_amount,
        ) = kept or (None,) * 12
        invoice["contribution"] = (
            None
            if c_amount is None
            else {
                "fund": fund,
                "rate": _rate(c_rate),
                "base": _money(c_base),
                "amount": _money(c_amount),
                "vat_rate": _money(c_vat),
                "vat_nature": c_nature,
                "withheld": bool(withheld),
            }
        )
        invoice["withholding"] = (
            None
            if w_amount is None
            else {
                "kind": kind,
                "rate": _rate(w_rate),
                "reason": reason,
                "base": _money(w_base),
                "amount": _money(w_amount),
            }
        )


def _rate(value: Decimal) -> str:
    """A percentage as ``20.00``."""
    return _money(value)


def _with_parties(invoices: list[dict[str, Any]]) -> None:
    """Each invoice's ``seller`` and ``buyer``: as issued (a draft: as they are now)."""
    parties = parties_json([i["id"] for i in invoices])
    for invoice in invoices:
        invoice["seller"], invoice["buyer"] = parties[invoice["id"]]


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    """One row of an invoice list (no lines)."""

    id: int
    number: str | None
    date: dt.date
    customer: str  # the customer's name
    status: str
    document_type: str
    taxable: Decimal
    vat: Decimal
    total: Decimal


def invoice_summaries(
    *,
    limit: int = 1000,
    **filters: Any,
) -> tuple[list[InvoiceSummary], int]:
    """The newest ``limit`` invoices matching the filters of :func:`list_invoices` (without
    their lines), and how many match in all."""
    query = _filtered(
        Invoice.select(
            Invoice.id,
            Invoice.number,
            Invoice.date,
            Customer.name,
            Invoice.status,
            Invoice.document_type,
            Invoice.taxable,
            Invoice.vat,
            Invoice.total,
        ),
        **filters,
    )
    count = query.count()
    rows = query.order_by(Invoice.date.desc(), Invoice.id.desc()).limit(limit).tuples()
    return [InvoiceSummary(*row) for row in rows], count


def invoice_json(invoice_id: int) -> dict[str, Any]:
    """One invoice in the ``invoices --json`` shape."""
    found = list_invoices(invoice_ids=[invoice_id])
    if not found:
        raise UserError(_("no such invoice: {invoice_id}").format(invoice_id=invoice_id))
    return found[0]


def find_invoice(number_or_id: str) -> int:
    """The id of the invoice with this number, else with this id (drafts have no number)."""
    text = str(number_or_id).strip()
    found = Invoice.select(Invoice.id).where(Invoice.number == text).scalar()
    digits = text.removeprefix("#")
    if found is None and digits.isdigit():
        found = Invoice.select(Invoice.id).where(Invoice.id == int(digits)).scalar()
    if found is None:
        raise UserError(_("no invoice with number or id {text!r}").format(text=text), "invoice")
    return int(found)


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def invoice_document(
    invoice_id: int, company: CompanySettings, language: str | None = None
) -> InvoiceDocument:
    """What the invoice's PDF prints: the stored figures, lines and a VAT summary per rate
    (and per VAT nature); the parties as they were when it was issued (a draft: as they
    are now). ``company`` gives the logo, and a name while the database has no seller."""
    invoice = Invoice.get_or_none(Invoice.id == invoice_id)
    if invoice is None:
        raise UserError(_("no such invoice: {invoice_id}").format(invoice_id=invoice_id))
    customer = Customer.get_by_id(invoice.customer_id)
    lines = _lines_of([invoice.id]).get(invoice.id, [])
    language = (language or invoice.language or "it").lower()
    if language not in LANGUAGES:
        language = "en"
    document_lines = tuple(
        DocumentLine(
            description=li[0],
            period_start=li[3],
            period_end=li[4],
            quantity=li[5],
            unit=li[6],
            unit_price=li[7],
            amount=li[8],
            vat_rate=li[9],
            vat_nature=li[13],
        )
        for li in lines
    )
    summed = [(li[8], li[9], li[13]) for li in lines]
    deductions: tuple[tuple[str, Decimal], ...] = ()
    if invoice.contribution is not None:  # its own line, in the VAT summary of its rate
        # stored together with the contribution
        assert invoice.contribution_fund is not None and invoice.contribution_rate is not None
        assert invoice.contribution_vat_rate is not None
        document_lines += (
            DocumentLine(
                description=contribution_label(
                    invoice.contribution_fund, invoice.contribution_rate
                ),
                period_start=None,
                period_end=None,
                quantity=Decimal(1),
                unit=None,
                unit_price=invoice.contribution,
                amount=invoice.contribution,
                vat_rate=invoice.contribution_vat_rate,
                vat_nature=invoice.contribution_vat_nature,
            ),
        )
        summed.append(
            (invoice.contribution, invoice.contribution_vat_rate, invoice.contribution_vat_nature)
        )
    if invoice.withholding is not None:
        # stored together with the withholding
        assert invoice.withholding_rate is not None and invoice.withholding_base is not None
        deductions = (
            (
                withholding_label(invoice.withholding_rate, invoice.withholding_base),
                -invoice.withholding,
            ),
        )
    summary = tuple(
        VatSummaryRow(rate=rate, taxable=amount, vat=vat, nature=nature)
        for rate, nature, amount, vat in vat_summary_rows(summed)
    )
    seller, buyer = document_parties(invoice, customer)  # issued: as it was issued
    order_code = invoice.order.code if invoice.order else None
    method = invoice.payment_method or customer.payment_method
    earlier: tuple[EarlierDocument, ...] = ()
    if invoice.kind == "final" and invoice.order_id:
        earlier = tuple(
            EarlierDocument(kind=kind, number=number, date=date, total=total)
            for kind, number, date, total in (
                Invoice.select(Invoice.kind, Invoice.number, Invoice.date, Invoice.total)
                .where((Invoice.order == invoice.order_id) & (Invoice.id != invoice.id))
                .order_by(Invoice.date, Invoice.seq, Invoice.id)
                .tuples()
            )
        )
    corrects = None
    if invoice.corrects_id is not None:
        original = Invoice.get_by_id(invoice.corrects_id)
        corrects = CorrectedInvoice(
            number=original.number or f"#{original.id}",
            date=original.date,
            whole=-invoice.total == original.total,
        )
    return InvoiceDocument(
        number=invoice.number,
        document_type=invoice.document_type,
        kind=invoice.kind,
        date=invoice.date,
        due_date=invoice.due_date,
        company=company_block(seller, company.logo, company.name, language),
        customer=customer_block(buyer, language),
        lines=document_lines,
        vat_summary=summary,
        taxable=invoice.taxable,
        vat=invoice.vat,
        total=invoice.total,
        out_of_scope=_out_of_scope(lines),
        payment_method=method,
        iban=(invoice.iban or customer.iban) if method in DEBITED_METHODS else None,
        notes=(
            *(n for n in (invoice.notes or "").splitlines() if n.strip()),
            *vat_rule_notes(invoice, {li[13] for li in lines}),
        ),
        deductions=deductions,
        amount_due=(
            owed(invoice) if invoice.split_payment or invoice.withholding is not None else None
        ),
        language=language,
        contract_codes=tuple(sorted({li[1] for li in lines if li[1]})),
        order_codes=tuple(
            sorted({order_code, *(li[10] for li in lines), *(li[11] for li in lines)} - {None})
        ),
        earlier_documents=earlier,
        corrects=corrects,
    )


def vat_rule_notes(invoice: Invoice, natures: set[str | None]) -> list[str]:
    """The legal notes the document's VAT rules print: reverse charge per sub-case, split
    payment, imposta di bollo paid virtually."""
    notes = reverse_charge_note(natures)
    if invoice.split_payment:
        notes.append(SPLIT_PAYMENT_NOTE)
    if invoice.stamp_duty is not None:
        amount = f"{invoice.stamp_duty:.2f}".replace(".", ",")
        notes.append(f"{STAMP_DUTY_NOTE} ({amount} EUR)")
    return notes


def pdf_file_name(invoice: dict[str, Any] | Invoice) -> str:
    """``A/2024/0001`` -> ``A-2024-0001.pdf``; a draft: ``draft-<id>.pdf``."""
    number = invoice["number"] if isinstance(invoice, dict) else invoice.number
    iid = invoice["id"] if isinstance(invoice, dict) else invoice.id
    if not number:
        return f"draft-{iid}.pdf"
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in number).strip(".-")
    return f"{safe or iid}.pdf"


__all__ = [
    "InvoiceSummary",
    "find_invoice",
    "invoice_document",
    "invoice_json",
    "invoice_summaries",
    "list_invoices",
    "pdf_file_name",
]
