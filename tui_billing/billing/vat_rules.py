"""The VAT rules a document gets from its lines, its customer and the company: the imposta
di bollo (and, when the company charges it, its own N1 line) and split payment. Applied to
drafts whenever their lines change and to a document when it is issued, after which they
never change (an issued document keeps its ``stamp_duty`` and ``split_payment``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from peewee import Database, chunked

from tui_billing.domain.stamp_duty import STAMP_DUTY_LINE, STAMP_DUTY_NATURE, stamp_duty
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice, InvoiceLine


def _is_stamp_line(line: InvoiceLine) -> bool:
    return (line.installment_id is None and line.order_line_id is None
            and line.vat_nature == STAMP_DUTY_NATURE and line.description == STAMP_DUTY_LINE)


def apply_vat_rules(db: Database, invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """Set the bollo and split payment of the invoices ``invoice_ids`` (drafts, or being
    issued in this transaction); returns their totals where the bollo line changed them."""
    company = company_values() or {}
    charged = bool(company.get("stamp_duty_charged"))
    changed: dict[int, Decimal] = {}
    for chunk in chunked(list(dict.fromkeys(invoice_ids)), 500):
        invoices = {i.id: i for i in Invoice.select(Invoice, Customer.split_payment)
                    .join(Customer).where(Invoice.id.in_(chunk))}
        lines: dict[int, list[InvoiceLine]] = {}
        for line in InvoiceLine.select().where(InvoiceLine.invoice.in_(chunk)):
            lines.setdefault(line.invoice_id, []).append(line)
        for iid, invoice in invoices.items():
            own = lines.get(iid, [])
            stamp_lines = [li for li in own if _is_stamp_line(li)]
            bollo = stamp_duty((li.amount, li.vat_nature) for li in own
                               if not _is_stamp_line(li))
            total = invoice.total
            wanted = bollo is not None and charged
            if stamp_lines and not wanted:
                for li in stamp_lines:
                    total -= li.amount
                    li.delete_instance()
            elif wanted and not stamp_lines:
                InvoiceLine.create(
                    invoice=iid, position=max((li.position for li in own), default=0) + 1,
                    description=STAMP_DUTY_LINE, quantity=1, unit_price=bollo, amount=bollo,
                    vat_rate=0, vat_nature=STAMP_DUTY_NATURE)
                total += bollo
            if total != invoice.total:
                changed[iid] = total
            Invoice.update(total=total, stamp_duty=bollo,
                           split_payment=bool(invoice.customer.split_payment)).where(
                Invoice.id == iid).execute()
    return changed


__all__ = ["apply_vat_rules"]
