"""Draft invoices: issuing one (it takes its number then) and deleting one (its
installments become pending again). Drafts are made by ``invoicing.create_invoices``."""

from __future__ import annotations

import datetime as dt

from peewee import Database

from tui_billing.billing.numbering import issue_invoices
from tui_billing.billing.wording import _, shown
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Customer, Invoice
from tui_billing.store.transactions import write_transaction


def _draft(invoice_id: int) -> Invoice:
    invoice = Invoice.get_or_none(Invoice.id == invoice_id)
    if invoice is None:
        raise UserError(_("no such invoice: {invoice_id}").format(invoice_id=invoice_id))
    if invoice.status != "draft":
        raise UserError(
            _("invoice {value} is {status}: only drafts can be changed, deleted or issued").format(
                value=invoice.number or invoice.id, status=shown("status", invoice.status)
            )
        )
    return invoice


def delete_draft(db: Database, invoice_id: int) -> int:
    """Delete a draft invoice; its installments become pending again. Returns the number
    of installments freed. A draft has no number, so no hole is left in the numbering.
    Order lines stay locked (the pending installment still bills them); the order of a
    final draft (the last installment of a plan) is shipped again, no longer completed."""
    with write_transaction(db):
        draft = _draft(invoice_id)
        p = db.param
        freed = db.execute_sql(
            f"UPDATE installment SET status = 'pending', invoice_id = NULL WHERE invoice_id = {p}",
            (invoice_id,),
        ).rowcount
        freed = int(freed)
        if draft.kind == "final" and draft.order_id:
            db.execute_sql(
                f"UPDATE \"order\" SET status = 'shipped' WHERE id = {p} AND status = 'completed'",
                (draft.order_id,),
            )
        db.execute_sql(f"DELETE FROM invoice_line WHERE invoice_id = {p}", (invoice_id,))
        db.execute_sql(f"DELETE FROM outbox WHERE invoice_id = {p}", (invoice_id,))
        db.execute_sql(f"DELETE FROM invoice WHERE id = {p}", (invoice_id,))
    return max(freed, 0)


def issue_draft(db: Database, invoice_id: int, *, invoice_date: dt.date | None = None) -> str:
    """Issue a draft: it takes the next number of its series, year and numbering class
    (its document type's: see ``numbering``). With
    ``invoice_date`` the draft is first re-dated (due date moved by the customer's terms),
    e.g. when a later invoice of the series is already issued. Returns the number."""
    with write_transaction(db):
        invoice = _draft(invoice_id)
        if invoice_date is not None and invoice_date != invoice.date:
            terms = (
                Customer.select(Customer.payment_terms_days)
                .where(Customer.id == invoice.customer_id)
                .scalar()
            ) or 0
            Invoice.update(
                date=invoice_date, due_date=invoice_date + dt.timedelta(days=int(terms))
            ).where(Invoice.id == invoice_id).execute()
        return issue_invoices(db, [invoice_id])[0][1]


def draft_plan(invoice_id: int) -> tuple[str, dt.date, str]:
    """(series, date, document type) of the draft ``invoice_id``, read-only; refuses an
    invoice that is not a draft."""
    invoice = _draft(invoice_id)
    return (invoice.series, invoice.date, invoice.document_type)


__all__ = ["delete_draft", "draft_plan", "issue_draft"]
