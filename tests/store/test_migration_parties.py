"""Migration 15: the old free-text address split into the customer's fields, VAT numbers
apart from their country, and documents issued before keeping their buyer as it was."""

from __future__ import annotations

import datetime as dt
import json

from tui_billing.store.database import open_database
from tui_billing.store.models import Customer, Invoice, PartySnapshot, SchemaVersion
from tui_billing.store.transactions import is_sqlite

_NEW_CUSTOMER_COLUMNS = (
    "street",
    "postal_code",
    "city",
    "province",
    "country",
    "vat_country",
    "sdi_code",
    "pec",
    "public_administration",
    "split_payment",
)


def _as_before_15(db) -> None:
    """The schema as version 14 left it: the fiscal-party columns and tables not there."""
    snapshots = ("seller_snapshot_id", "buyer_snapshot_id")
    if is_sqlite(db):  # SQLite drops no column of a foreign key: the table without them
        kept = ", ".join(
            f'"{row[1]}"'
            for row in db.execute_sql('PRAGMA table_info("invoice")')
            if row[1] not in snapshots
        )
        db.execute_sql(f"CREATE TABLE invoice_before AS SELECT {kept} FROM invoice")
        db.execute_sql("DROP TABLE invoice")
        db.execute_sql("ALTER TABLE invoice_before RENAME TO invoice")
    else:
        for column in snapshots:
            db.execute_sql(f'ALTER TABLE invoice DROP COLUMN "{column}"')
    for column in _NEW_CUSTOMER_COLUMNS:
        db.execute_sql(f'ALTER TABLE customer DROP COLUMN "{column}"')
    for column in ("cig", "cup"):
        db.execute_sql(f'ALTER TABLE contract DROP COLUMN "{column}"')
    db.execute_sql("ALTER TABLE customer ADD COLUMN address TEXT")
    db.execute_sql("DROP TABLE company")
    db.execute_sql("DROP TABLE party_snapshot")
    db.execute_sql("DELETE FROM schema_version WHERE version = 15")
    db.execute_sql("UPDATE schema_version SET description = 'old' WHERE description = 'created'")


def test_old_addresses_and_vat_numbers_are_split_and_issued_documents_keep_their_buyer(db_target):
    db = open_database(db_target)
    _as_before_15(db)
    p = db.param
    rows = [
        ("ACME", "ACME S.r.l.", "IT01234560017", "Via Roma 1, 20121 Milano (MI)"),
        ("TWO", "Two S.r.l.", "00743110157", "Corso Garibaldi 118\n61121 Pesaro PU"),
        ("ODD", "Odd S.r.l.", None, "Cascina Bianca, località Boschi"),
    ]
    for code, name, vat, address in rows:
        db.execute_sql(
            "INSERT INTO customer (code, name, vat_number, address, payment_terms_days, "
            f"payment_method, collective_billing, language) VALUES ({p}, {p}, {p}, {p}, 30, "
            "'bank_transfer', false, 'it')",
            (code, name, vat, address),
        )
    acme = db.execute_sql("SELECT id FROM customer WHERE code = 'ACME'").fetchone()[0]
    db.execute_sql(
        "INSERT INTO invoice (series, year, seq, number, numbering, status, document_type, "
        "kind, date, customer_id, language, taxable, vat, total, created_at) VALUES "
        f"('A', 2024, 1, 'A/2024/0001', 'fiscal', 'issued', 'invoice', 'regular', {p}, {p}, "
        f"'it', 100, 22, 122, {p})",
        (dt.date(2024, 7, 1), acme, dt.datetime(2024, 7, 1)),
    )
    db.close()

    db = open_database(db_target)
    try:
        assert SchemaVersion.get_or_none(SchemaVersion.version == 15) is not None
        found = {
            c.code: (
                c.street,
                c.postal_code,
                c.city,
                c.province,
                c.country,
                c.vat_country,
                c.vat_number,
            )
            for c in Customer.select()
        }
        assert found == {
            "ACME": ("Via Roma 1", "20121", "Milano", "MI", "IT", "IT", "01234560017"),
            "TWO": ("Corso Garibaldi 118", "61121", "Pesaro", "PU", "IT", "IT", "00743110157"),
            "ODD": ("Cascina Bianca, località Boschi", None, None, None, "IT", None, None),
        }
        invoice = Invoice.get(Invoice.number == "A/2024/0001")
        kept = json.loads(PartySnapshot.get_by_id(invoice.buyer_snapshot_id).data)
        assert (kept["name"], kept["street"], kept["city"]) == (
            "ACME S.r.l.",
            "Via Roma 1",
            "Milano",
        )
    finally:
        db.close()
