"""Version 24: ``customer.archived`` added to a database just before it, every existing
customer active, on both servers."""

from __future__ import annotations

from tui_billing.store.database import open_database


def test_upgrade_adds_archived_and_keeps_every_customer_active(db_target):
    db = open_database(db_target)
    db.execute_sql('ALTER TABLE customer DROP COLUMN "archived"')
    db.execute_sql(
        "INSERT INTO customer (code, name, payment_terms_days, payment_method, collective_billing, language) VALUES ('OLD', 'Cliente di prima', 30, 'bank_transfer', false, 'it')"
    )
    db.execute_sql("DELETE FROM schema_version WHERE version = 24")
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version <> 24")
    db.close()
    db = open_database(db_target)
    assert "archived" in {c.name for c in db.get_columns("customer")}
    assert db.execute_sql("SELECT code, archived FROM customer").fetchall() in (
        [("OLD", 0)],
        [("OLD", False)],
    )
    assert (
        db.execute_sql("SELECT COUNT(*) FROM schema_version WHERE version = 24").fetchone()[0] == 1
    )
    db.close()
