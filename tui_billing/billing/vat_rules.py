"""The VAT rules a document gets from its lines, its customer and the company: the imposta
di bollo (and, when the company charges it, its own N1 line) and split payment. Applied to
drafts whenever their lines change and to a document when it is issued, after which they
never change (an issued document keeps its ``stamp_duty`` and ``split_payment``).

This runs for every invoice of a billing run: three queries per chunk of invoices, and a
write only for the few invoices a rule applies to."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from peewee import Database, Expression, chunked, fn

from tui_billing.domain.fatturapa_checks import BOLLO_NATURES
from tui_billing.domain.stamp_duty import STAMP_DUTY_LINE, STAMP_DUTY_NATURE, stamp_duty_on
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice, InvoiceLine

_CHUNK = 500


def _stamp_line() -> Expression:
    """The condition of the bollo line a company that charges it adds."""
    return (
        InvoiceLine.installment.is_null()
        & InvoiceLine.order_line.is_null()
        & (InvoiceLine.vat_nature == STAMP_DUTY_NATURE)
        & (InvoiceLine.description == STAMP_DUTY_LINE)
    )


def apply_vat_rules(db: Database, invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """Set the bollo and split payment of the invoices ``invoice_ids`` (drafts, or being
    issued in this transaction); returns their totals where the bollo line changed them."""
    company = company_values() or {}
    charged = bool(company.get("stamp_duty_charged"))
    changed: dict[int, Decimal] = {}
    for chunk in chunked(list(dict.fromkeys(invoice_ids)), _CHUNK):
        ids = list(chunk)
        subject = {
            iid: InvoiceLine.amount.from_scaled(cents)
            for iid, cents in (
                InvoiceLine.select(InvoiceLine.invoice, fn.SUM(InvoiceLine.amount))
                .where(
                    InvoiceLine.invoice.in_(ids),
                    InvoiceLine.vat_nature.in_(BOLLO_NATURES),
                    ~_stamp_line(),
                )
                .group_by(InvoiceLine.invoice)
                .tuples()
            )
        }
        stamp_lines: dict[int, list[tuple[int, Decimal, int]]] = {}
        for lid, iid, amount in (
            InvoiceLine.select(InvoiceLine.id, InvoiceLine.invoice, InvoiceLine.amount)
            .where(InvoiceLine.invoice.in_(ids), _stamp_line())
            .tuples()
        ):
            stamp_lines.setdefault(iid, []).append((lid, amount, iid))
        for iid, total, stored_stamp, stored_split, split in (
            Invoice.select(
                Invoice.id,
                Invoice.total,
                Invoice.stamp_duty,
                Invoice.split_payment,
                Customer.split_payment,
            )
            .join(Customer)
            .where(Invoice.id.in_(ids))
            .tuples()
        ):
            bollo = stamp_duty_on(subject.get(iid, Decimal(0)))
            wanted = bollo is not None and charged
            own = stamp_lines.get(iid, [])
            new_total = total
            if own and not wanted:
                InvoiceLine.delete().where(InvoiceLine.id.in_([li[0] for li in own])).execute()
                new_total -= sum((li[1] for li in own), Decimal(0))
            elif wanted and not own:
                position = (
                    InvoiceLine.select(fn.MAX(InvoiceLine.position))
                    .where(InvoiceLine.invoice == iid)
                    .scalar()
                ) or 0
                InvoiceLine.create(
                    invoice=iid,
                    position=position + 1,
                    description=STAMP_DUTY_LINE,
                    quantity=1,
                    unit_price=bollo,
                    amount=bollo,
                    vat_rate=0,
                    vat_nature=STAMP_DUTY_NATURE,
                )
                new_total += bollo
            if new_total != total:
                changed[iid] = new_total
            if (new_total, bollo, bool(split)) != (total, stored_stamp, bool(stored_split)):
                Invoice.update(total=new_total, stamp_duty=bollo, split_payment=bool(split)).where(
                    Invoice.id == iid
                ).execute()
    return changed


__all__ = ["apply_vat_rules"]
