"""A professional seller's contribution and withholding on its documents: computed from
the lines, the company's terms and the customer (``domain.professional``) on drafts
whenever their lines change and on a document when it is issued, after which they never
change (an issued invoice keeps its amounts, whatever the company's terms become).

Also what the customer owes of any document (``owed_sql``) and the FatturaPA blocks of a
stored invoice (``einvoice_blocks``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from peewee import Database, chunked

from tui_billing.domain.fatturapa import SocialSecurity, Withholding
from tui_billing.domain.professional import (
    ProfessionalAmounts,
    ProfessionalTerms,
    professional_amounts,
)
from tui_billing.domain.stamp_duty import owed_amount
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice, InvoiceLine

_CHUNK = 500
APPLIES_TO = ("invoice", "proforma")  # documents that charge fees (credit notes: their own)

# What the customer pays of an invoice row ``i``, in SQL: its stored net to pay, else the
# total less VAT under split payment (documents without a professional's figures).
OWED_SQL = "COALESCE(i.net_due, i.total - CASE WHEN i.split_payment THEN i.vat ELSE 0 END)"

_CLEARED = {
    "contribution_fund": None,
    "contribution_rate": None,
    "contribution_base": None,
    "contribution": None,
    "contribution_vat_rate": None,
    "contribution_vat_nature": None,
    "contribution_withheld": False,
    "withholding_kind": None,
    "withholding_rate": None,
    "withholding_reason": None,
    "withholding_base": None,
    "withholding": None,
    "net_due": None,
}


def owed(invoice: Invoice) -> Decimal:
    """What the customer pays of ``invoice``: the net to pay (total less withholding, less
    VAT under split payment)."""
    return owed_amount(invoice.total, invoice.vat, invoice.net_due, bool(invoice.split_payment))


def stored_fields(terms: ProfessionalTerms, amounts: ProfessionalAmounts) -> dict[str, Any]:
    """The invoice columns that keep ``amounts`` computed under ``terms``."""
    withheld = amounts.withholding is not None
    return {
        "taxable": amounts.taxable,
        "vat": amounts.vat,
        "total": amounts.total,
        "contribution_fund": terms.contribution_fund if amounts.contribution is not None else None,
        "contribution_rate": terms.contribution_rate if amounts.contribution is not None else None,
        "contribution_base": amounts.contribution_base,
        "contribution": amounts.contribution,
        "contribution_vat_rate": amounts.contribution_vat_rate,
        "contribution_vat_nature": amounts.contribution_vat_nature,
        "contribution_withheld": bool(
            amounts.contribution is not None and withheld and terms.contribution_withheld
        ),
        "withholding_kind": terms.withholding_kind if withheld else None,
        "withholding_rate": terms.withholding_rate if withheld else None,
        "withholding_reason": terms.withholding_reason if withheld else None,
        "withholding_base": amounts.withholding_base,
        "withholding": amounts.withholding,
        "net_due": amounts.net_due,
    }


def apply_professional_rules(
    db: Database, invoice_ids: Iterable[int]
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Set the contribution, withholding and net to pay of the invoices ``invoice_ids``
    (drafts, or being issued in this transaction) from their lines, the company's terms
    and the customer; returns (taxable, VAT, total) of those they changed. A company
    without terms writes nothing but to a draft computed under earlier terms, whose
    figures it takes back to its lines."""
    terms = ProfessionalTerms.of(company_values())
    ids = list(dict.fromkeys(invoice_ids))
    changed: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    for chunk in chunked(ids, _CHUNK):
        query = (
            Invoice.select(
                Invoice.id,
                Invoice.split_payment,
                Customer.withholding_agent,
                Invoice.taxable,
                Invoice.vat,
                Invoice.total,
            )
            .join(Customer)
            .where(Invoice.id.in_(list(chunk)), Invoice.document_type.in_(APPLIES_TO))
        )
        if not terms.any:  # only a draft computed under earlier terms: back to its lines
            query = query.where(Invoice.net_due.is_null(False))
        rows = list(query.tuples())
        if not rows:
            continue
        lines: dict[int, list[tuple[Decimal, Decimal, str | None]]] = {}
        for iid, amount, rate, nature in (
            InvoiceLine.select(
                InvoiceLine.invoice,
                InvoiceLine.amount,
                InvoiceLine.vat_rate,
                InvoiceLine.vat_nature,
            )
            .where(InvoiceLine.invoice.in_([r[0] for r in rows]))
            .tuples()
        ):
            lines.setdefault(iid, []).append((amount, rate, nature))
        for iid, split, agent, taxable, vat, total in rows:
            amounts = professional_amounts(
                lines.get(iid, []), terms, withholding_agent=bool(agent), split_payment=bool(split)
            )
            fields = (
                stored_fields(terms, amounts)
                if terms.any
                else {
                    **_CLEARED,
                    "taxable": amounts.taxable,
                    "vat": amounts.vat,
                    "total": amounts.total,
                }
            )
            Invoice.update(**fields).where(Invoice.id == iid).execute()
            if (amounts.taxable, amounts.vat, amounts.total) != (taxable, vat, total):
                changed[iid] = (amounts.taxable, amounts.vat, amounts.total)
    return changed


def einvoice_blocks(invoice: Invoice) -> tuple[Withholding | None, SocialSecurity | None]:
    """The FatturaPA ``DatiRitenuta`` and ``DatiCassaPrevidenziale`` of a stored invoice
    (None where it has none). Amounts as stored, with the sign of the document's lines (a
    credit note's are negative, as its lines are: a mapping that writes a TD04 with
    positive amounts negates them with its lines). Its lines other than those out of
    VAT scope (N1) are the ones with ``Ritenuta SI`` when it has a withholding."""
    withholding = None
    if invoice.withholding is not None and invoice.withholding_kind:
        assert invoice.withholding_rate is not None  # stored with the withholding
        withholding = Withholding(
            kind=invoice.withholding_kind,
            amount=invoice.withholding,
            rate=invoice.withholding_rate,
            payment_reason=invoice.withholding_reason or "A",
        )
    fund = None
    if invoice.contribution is not None and invoice.contribution_fund:
        # stored with the contribution
        assert invoice.contribution_rate is not None and invoice.contribution_vat_rate is not None
        fund = SocialSecurity(
            fund=invoice.contribution_fund,
            rate=invoice.contribution_rate,
            amount=invoice.contribution,
            vat_rate=invoice.contribution_vat_rate,
            taxable_base=invoice.contribution_base,
            withholding=bool(invoice.contribution_withheld) and withholding is not None,
            nature=invoice.contribution_vat_nature,
        )
    return withholding, fund


__all__ = [
    "APPLIES_TO",
    "OWED_SQL",
    "apply_professional_rules",
    "einvoice_blocks",
    "owed",
    "stored_fields",
]
