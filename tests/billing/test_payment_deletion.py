"""Undoing a payment recorded by mistake, on SQLite and PostgreSQL: the row goes and the
invoice is open again; a payment the bank returned, or one a collection presented to the
bank brought in, stays (refused with the reason). The payments listed by customer name,
and the invoice filter that takes names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui_billing.billing.draft_deletion import draft_to_delete
from tui_billing.billing.invoice_views import invoice_summaries
from tui_billing.billing.payment_list import (
    DeletionBlock,
    deletion_block,
    deletion_refused,
    payment_rows,
)
from tui_billing.billing.payments import delete_payment, open_items, record_payment
from tui_billing.billing.returns import record_return
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config, ReturnsSettings
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Collection, CollectionFile, Invoice, Payment, PaymentReturn

TODAY = dt.date(2025, 5, 20)


def _contract(code: str, customer: str) -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": "2025-01-01",
        "frequency": "quarterly",
        "lines": [{"description": "Canone", "unit_price": "1000.00", "vat_rate": "22.00"}],
    }


@pytest.fixture
def billed(db):
    """ACME S.r.l. and Rossi Impianti, each with two issued invoices of 1,220.00."""
    import_data(
        db,
        {
            "customers": [
                {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30},
                {"code": "R-01", "name": "Rossi Impianti", "payment_terms_days": 30},
            ],
            "contracts": [_contract("K-1", "ACME"), _contract("K-2", "R-01")],
        },
    )
    run_billing(db, RunOptions(on=dt.date(2025, 4, 1), status="issued", email=False), Config())
    return db


def _open(number: str) -> Decimal:
    return next((b.open for b in open_items(TODAY) if b.number == number), Decimal("0.00"))


def _first_invoice(customer: str) -> str:
    return (
        Invoice.select(Invoice.number)
        .join_from(Invoice, Invoice.customer.rel_model)
        .where(Invoice.customer.rel_model.code == customer)
        .order_by(Invoice.number)
        .scalar()
    )


def test_a_payment_deleted_opens_its_invoice_again(billed):
    number = _first_invoice("ACME")
    record_payment(billed, number, dt.date(2025, 5, 10), "620.00", TODAY)
    assert _open(number) == Decimal("600.00")
    [payment] = Payment.select()
    assert deletion_refused(payment.id) is None and deletion_block(payment.id) is None
    delete_payment(billed, payment.id)
    assert Payment.select().count() == 0
    assert _open(number) == Decimal("1220.00")
    with pytest.raises(UserError, match="no payment with id"):
        delete_payment(billed, payment.id)


def test_a_returned_payment_is_kept_with_the_reason(billed):
    number = _first_invoice("ACME")
    record_payment(billed, number, dt.date(2025, 5, 10), "1220.00", TODAY)
    record_return(billed, number, dt.date(2025, 5, 15), TODAY, ReturnsSettings())
    [payment] = Payment.select()
    with pytest.raises(UserError, match="returned by the bank on 15/05/2025") as refused:
        delete_payment(billed, payment.id)
    assert f"payment {payment.id} of {number}" in str(refused.value)
    returned = DeletionBlock("returned", payment.id, number, dt.date(2025, 5, 15))
    assert deletion_block(payment.id) == returned  # the facts, for a screen to word
    assert Payment.select().count() == 1 and PaymentReturn.select().count() == 1
    [row] = payment_rows()[0]
    assert row.returned == dt.date(2025, 5, 15)


def test_a_payment_of_a_presented_collection_is_kept_with_the_reason(billed):
    number = _first_invoice("R-01")
    invoice = Invoice.get(Invoice.number == number)
    record_payment(billed, number, dt.date(2025, 5, 10), "1220.00", TODAY, "sepa_direct_debit")
    presented = CollectionFile.create(
        kind="sdd",
        message_id="M-1",
        created_at=dt.datetime(2025, 5, 2, 9, 0),
        presented_on=dt.date(2025, 5, 2),
        count=1,
        total=Decimal("1220.00"),
        content="",
    )
    Collection.create(
        file=presented.id, invoice=invoice.id, amount=Decimal("1220.00"), due_date=TODAY
    )
    [payment] = Payment.select()
    reason = deletion_refused(payment.id)
    assert reason is not None and "direct debit presented to the bank on 02/05/2025" in reason
    block = DeletionBlock("presented", payment.id, number, dt.date(2025, 5, 2), "sdd")
    assert deletion_block(payment.id) == block
    with pytest.raises(UserError, match="record a return"):
        delete_payment(billed, payment.id)
    assert Payment.select().count() == 1
    # a bank transfer of the same invoice is not what the collection brought in
    Payment.update(method="bank_transfer").execute()
    delete_payment(billed, payment.id)
    assert Payment.select().count() == 0


def test_payments_are_listed_with_names_and_filtered_by_name_code_or_number(billed):
    acme, rossi = _first_invoice("ACME"), _first_invoice("R-01")
    record_payment(billed, acme, dt.date(2025, 5, 10), "100.00", TODAY)
    record_payment(billed, rossi, dt.date(2025, 5, 11), "200.00", TODAY)
    rows, count = payment_rows()
    assert count == 2
    assert [(r.customer, r.customer_name, r.invoice, r.amount) for r in rows] == [
        ("R-01", "Rossi Impianti", rossi, Decimal("200.00")),  # newest first
        ("ACME", "ACME S.r.l.", acme, Decimal("100.00")),
    ]
    assert [r.customer for r in payment_rows("rossi")[0]] == ["R-01"]
    assert [r.customer for r in payment_rows("acme")[0]] == ["ACME"]
    assert [r.invoice for r in payment_rows(acme)[0]] == [acme]
    assert payment_rows("nobody")[0] == []
    assert payment_rows("%")[0] == []  # typed text, not a pattern


def test_open_items_carry_the_customer_name(billed):
    assert {(b.customer, b.customer_name) for b in open_items(TODAY)} == {
        ("ACME", "ACME S.r.l."),
        ("R-01", "Rossi Impianti"),
    }


def test_invoices_are_filtered_by_part_of_a_customer_name_or_code(billed):
    rows, count = invoice_summaries(customer_text="ROSSI")
    assert count == 2 and {r.customer for r in rows} == {"Rossi Impianti"}
    assert invoice_summaries(customer_text="acm")[1] == 2
    assert invoice_summaries(customer_text="")[1] == 4
    assert invoice_summaries(customer="ACME")[1] == 2  # the CLI's exact code stays


def test_only_a_draft_is_offered_for_deletion(billed):
    issued = Invoice.get(Invoice.number == _first_invoice("ACME"))
    with pytest.raises(UserError, match="is issued: an issued invoice cannot be deleted, a credit"):
        draft_to_delete(issued.id)
    run_billing(billed, RunOptions(on=dt.date(2025, 7, 1), status="draft", email=False), Config())
    draft = Invoice.select().where(Invoice.status == "draft").order_by(Invoice.id).first()
    found = draft_to_delete(draft.id)
    assert (found.status, found.customer, found.total) == (
        "draft",
        "ACME S.r.l.",
        Decimal("1220.00"),
    )
