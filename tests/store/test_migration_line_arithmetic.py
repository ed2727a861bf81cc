"""Version 14: an invoice line's unit price holds 8 decimals on SQLite and PostgreSQL; lines
not issued yet get a unit price that gives their amount; issued ones stay as issued."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.billing.invoice_fixtures import contract, customer, installment, line
from tui_billing.billing.invoice_views import list_invoices
from tui_billing.billing.invoicing import create_invoices
from tui_billing.store.database import open_database
from tui_billing.store.models import Installment, Invoice, InvoiceLine, SchemaVersion

# Two lifts at a monthly 38.00, billed for a quarter, as lines were written before the rule.
OLD_RULE = {"quantity": "2", "unit_price": "38.00", "amount": "228.00"}


def test_a_unit_price_of_eight_decimals_is_stored_exactly(db) -> None:
    k = contract("K-1", customer())
    prorated = installment(k, "2025-01-12", line("73.55", quantity="3", unit_price="24.51612903"))
    [created] = create_invoices(db, [prorated.id], status="issued")
    stored = InvoiceLine.get(InvoiceLine.invoice == created.id)
    assert (stored.quantity, stored.unit_price, stored.amount) == (
        Decimal("3"),
        Decimal("24.51612903"),
        Decimal("73.55"),
    )
    [listed] = list_invoices(invoice_ids=[created.id])
    assert listed["lines"][0]["unit_price"] == "24.51612903"


def test_invoicing_an_installment_of_the_old_rule_fits_its_unit_price(db) -> None:
    k = contract("K-1", customer())
    old = installment(k, "2025-01-01", {**line("228.00"), **OLD_RULE})
    [created] = create_invoices(db, [old.id], status="issued")
    stored = InvoiceLine.get(InvoiceLine.invoice == created.id)
    assert (stored.quantity, stored.unit_price, stored.amount) == (
        Decimal("2"),
        Decimal("114.00"),
        Decimal("228.00"),
    )


def test_upgrade_fits_what_is_not_issued_and_keeps_what_is(db, db_target) -> None:
    k = contract("K-1", customer())
    issued, drafted, pending = (
        installment(k, day, {**line("228.00"), **OLD_RULE})
        for day in ("2025-01-01", "2025-04-01", "2025-07-01")
    )
    create_invoices(db, [issued.id], status="issued")
    create_invoices(db, [drafted.id])
    totals = [(i.taxable, i.vat, i.total) for i in Invoice.select().order_by(Invoice.id)]
    with db.atomic():  # back to version 13: 4 decimals, lines written by the old rule
        db.execute_sql("UPDATE invoice_line SET unit_price = 380000")
        db.execute_sql("DELETE FROM schema_version WHERE version = 14")
        db.execute_sql(
            "UPDATE schema_version SET description = 'old' WHERE description = 'created'"
        )
    db.close()

    upgraded = open_database(db_target)
    try:
        assert 14 in {v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples()}
        old, draft = Invoice.select().order_by(Invoice.id)
        prices = {
            li.invoice_id: (li.quantity, li.unit_price, li.amount) for li in InvoiceLine.select()
        }
        # an issued document never changes: its line reads as it was issued
        assert prices[old.id] == (Decimal("2"), Decimal("38"), Decimal("228.00"))
        assert prices[draft.id] == (Decimal("2"), Decimal("114"), Decimal("228.00"))
        assert [(i.taxable, i.vat, i.total) for i in (old, draft)] == totals
        [waiting] = json.loads(Installment.get_by_id(pending.id).lines)
        assert (waiting["quantity"], waiting["unit_price"], waiting["amount"]) == (
            "2",
            "114.00",
            "228.00",
        )
        [kept] = json.loads(Installment.get_by_id(issued.id).lines)
        assert kept["unit_price"] == "38.00"
    finally:
        upgraded.close()
