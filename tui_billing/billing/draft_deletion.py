"""What deleting a draft from the screens needs first: the draft named as the operator
knows it (customer, total), or why the document cannot be deleted (it is issued: only a
credit note corrects it)."""

from __future__ import annotations

from tui_billing.billing.invoice_views import InvoiceSummary
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Customer, Invoice


def draft_to_delete(invoice_id: int) -> InvoiceSummary:
    """The draft ``invoice_id`` as listed; refused (with the reason) when it is not one."""
    row = (
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
        )
        .join(Customer)
        .where(Invoice.id == invoice_id)
        .tuples()
        .first()
    )
    if row is None:
        raise UserError(f"no such invoice: {invoice_id}")
    found = InvoiceSummary(*row)
    if found.status != "draft":
        kind = found.document_type.replace("_", " ")
        raise UserError(
            f"{found.number or f'#{found.id}'} is {found.status}: an issued {kind} cannot be "
            "deleted, a credit note corrects it"
        )
    return found


__all__ = ["draft_to_delete"]
