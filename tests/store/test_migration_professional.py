"""Version 19: a professional seller's terms, the customers' withholding_agent and the
invoices' figures. SQLite's upgrade from version 1 is checked column by column with every
migration (test_migrations); here the step itself on PostgreSQL, from a database just
before it, with customers to mark."""

from __future__ import annotations

from tests.conftest import new_pg_database
from tui_billing.store.database import open_database
from tui_billing.store.models import Customer

INVOICE_COLUMNS = (
    "contribution_fund",
    "contribution_rate",
    "contribution_base",
    "contribution",
    "contribution_vat_rate",
    "contribution_vat_nature",
    "contribution_withheld",
    "withholding_kind",
    "withholding_rate",
    "withholding_reason",
    "withholding_base",
    "withholding",
    "net_due",
)
COMPANY_COLUMNS = (
    "withholding_kind",
    "withholding_rate",
    "withholding_base",
    "withholding_reason",
    "contribution_fund",
    "contribution_rate",
    "contribution_withheld",
)


def test_upgrade_adds_the_columns_and_marks_the_withholding_agents(pg_cluster):
    target = new_pg_database(pg_cluster)
    db = open_database(target)
    for table, columns in (
        ("invoice", INVOICE_COLUMNS),
        ("company", COMPANY_COLUMNS),
        ("customer", ("withholding_agent",)),
    ):
        for column in columns:
            db.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    db.execute_sql(
        "INSERT INTO customer (code, name, vat_number, payment_terms_days,"
        " payment_method, collective_billing, language) VALUES"
        " ('B', 'Business', '00743110157', 30, 'bank_transfer', false, 'it'),"
        " ('C', 'Consumer', NULL, 30, 'bank_transfer', false, 'it')"
    )
    db.execute_sql(
        "INSERT INTO customer (code, name, public_administration, payment_terms_days,"
        " payment_method, collective_billing, language) VALUES"
        " ('P', 'Comune', true, 30, 'bank_transfer', false, 'it')"
    )
    db.execute_sql("DELETE FROM schema_version WHERE version = 19")
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version <> 19")
    db.close()
    db = open_database(target)
    for table, columns in (("invoice", INVOICE_COLUMNS), ("company", COMPANY_COLUMNS)):
        assert set(columns) <= {c.name for c in db.get_columns(table)}
    assert {c.code: c.withholding_agent for c in Customer.select()} == {
        "B": True,
        "C": False,
        "P": True,
    }
    assert db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()[0] >= 19
    db.close()
