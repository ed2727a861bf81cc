"""What deleting a draft from the screens needs first: the draft named as the operator
knows it (customer, total), or why the document cannot be deleted (it is issued: only a
credit note corrects it)."""

from __future__ import annotations

from tui_billing.billing.invoice_views import InvoiceSummary
from tui_billing.billing.wording import _, shown
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
        raise UserError(_("no such invoice: {invoice_id}").format(invoice_id=invoice_id))
    found = InvoiceSummary(*row)
    if found.status != "draft":
        kind = found.document_type.replace("_", " ")
        raise UserError(
            _(
                "{value} is {status}: an issued {kind} cannot be deleted, a credit note corrects it"
            ).format(
                value=found.number or f"#{found.id}",
                status=shown("status", found.status),
                kind=shown("document type", found.document_type, kind),
            )
        )
    return found


__all__ = ["draft_to_delete"]
