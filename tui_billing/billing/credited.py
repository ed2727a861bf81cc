"""What credit notes have credited of issued invoices, read back: per invoice (the total
that no longer falls due, the part of it out of VAT scope, the notes) and per invoice line
(so that no line is credited beyond its amount)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import chunked, fn

from tui_billing.domain.money import ZERO
from tui_billing.domain.stamp_duty import owed_amount
from tui_billing.domain.vat_natures import is_out_of_scope
from tui_billing.store.models import Invoice, InvoiceLine

_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class CreditNoteRef:
    """One credit note of an invoice; ``credited`` is its total as a positive amount."""

    id: int
    number: str | None
    date: dt.date
    credited: Decimal
    taxable: Decimal


@dataclass(slots=True)
class Credited:
    """What the credit notes of one invoice took off it, as positive amounts."""

    total: Decimal = ZERO  # with VAT
    owed: Decimal = ZERO  # what no longer falls due: less VAT under split payment, less
    #                       the withholding the customer no longer keeps back
    taxable: Decimal = ZERO
    out_of_scope: Decimal = ZERO  # of the lines out of VAT scope (late charges)
    notes: list[CreditNoteRef] = field(default_factory=list)


def credited_amounts(invoice_ids: Iterable[int]) -> dict[int, Credited]:
    """The credit notes of each of these invoices and what they credit (invoices without
    any are left out)."""
    result: dict[int, Credited] = {}
    original = Invoice.alias("original")
    for chunk in chunked(sorted(set(invoice_ids)), _CHUNK):
        notes = (
            Invoice.select(
                Invoice.corrects,
                Invoice.id,
                Invoice.number,
                Invoice.date,
                Invoice.total,
                Invoice.taxable,
                Invoice.vat,
                Invoice.net_due,
                original.split_payment,
            )
            .join(original, on=(Invoice.corrects == original.id))
            .where(Invoice.corrects.in_(list(chunk)))
            .order_by(Invoice.date, Invoice.seq, Invoice.id)
            .tuples()
        )
        note_of: dict[int, int] = {}
        for corrected, nid, number, date, total, taxable, vat, net, split in notes:
            entry = result.setdefault(corrected, Credited())
            entry.total -= total
            entry.owed -= owed_amount(total, vat, net, bool(split))
            entry.taxable -= taxable
            entry.notes.append(CreditNoteRef(nid, number, date, -total, -taxable))
            note_of[nid] = corrected
        if not note_of:
            continue
        for nid, nature, amount in (
            InvoiceLine.select(
                InvoiceLine.invoice, InvoiceLine.vat_nature, fn.SUM(InvoiceLine.amount)
            )
            .where(InvoiceLine.invoice.in_(list(note_of)), InvoiceLine.vat_nature.is_null(False))
            .group_by(InvoiceLine.invoice, InvoiceLine.vat_nature)
            .tuples()
        ):
            if is_out_of_scope(nature):
                result[note_of[nid]].out_of_scope -= InvoiceLine.amount.from_scaled(amount)
    return result


def credited_lines(invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """What credit notes credited of each line of these invoices (by invoice line id), as a
    positive amount for a positive line; lines never credited are left out."""
    result: dict[int, Decimal] = {}
    for chunk in chunked(sorted(set(invoice_ids)), _CHUNK):
        notes = Invoice.select(Invoice.id).where(Invoice.corrects.in_(list(chunk)))
        for line_id, amount in (
            InvoiceLine.select(InvoiceLine.credits_line, fn.SUM(InvoiceLine.amount))
            .where(InvoiceLine.invoice.in_(notes), InvoiceLine.credits_line.is_null(False))
            .group_by(InvoiceLine.credits_line)
            .tuples()
        ):
            result[line_id] = -InvoiceLine.amount.from_scaled(amount)
    return result


def corrected_invoices(note_ids: Iterable[int]) -> dict[int, tuple[int, str | None, dt.date]]:
    """The invoice each of these credit notes corrects: (id, number, date) by note id."""
    result: dict[int, tuple[int, str | None, dt.date]] = {}
    original = Invoice.alias("original")
    for chunk in chunked(sorted(set(note_ids)), _CHUNK):
        for nid, oid, number, date in (
            Invoice.select(Invoice.id, original.id, original.number, original.date)
            .join(original, on=(Invoice.corrects == original.id))
            .where(Invoice.id.in_(list(chunk)))
            .tuples()
        ):
            result[nid] = (oid, number, date)
    return result


__all__ = [
    "CreditNoteRef",
    "Credited",
    "corrected_invoices",
    "credited_amounts",
    "credited_lines",
]
