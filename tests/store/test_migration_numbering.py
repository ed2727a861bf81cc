"""Version 11: counters per series, year and numbering class. An upgraded database keeps every
number it has (an issued pro-forma too: it was drawn from the fiscal counter, so it stays in
that sequence), continues its invoices' numbers, and starts the pro-formas' own sequence.
On an old SQLite file, and on SQLite and PostgreSQL databases taken back to version 10."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.billing.invoice_fixtures import contract, installment
from tests.support.seller import write_seller
from tui_billing.billing.drafts import issue_draft
from tui_billing.billing.invoice_views import list_invoices
from tui_billing.billing.invoicing import create_invoices
from tui_billing.store.database import open_database
from tui_billing.store.models import Customer, Invoice, SchemaVersion, SeriesCounter

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"

# Before version 11 every document of series A took its number from one counter: the
# pro-forma in the middle left a hole in the invoices' numbers.
LEGACY = [  # (seq or None for a draft, document type, date)
    (1, "invoice", "2024-01-10"),
    (2, "proforma", "2024-02-10"),
    (3, "invoice", "2024-03-10"),
    (None, "proforma", "2024-04-10"),
]

_DOWNGRADE = [  # the version-10 shape of the tables version 11 changes
    'DROP INDEX "invoice_series_year_numbering_seq"',
    'DROP INDEX "series_counter_series_id_year_numbering"',
    'ALTER TABLE "invoice" DROP COLUMN "numbering"',
    'ALTER TABLE "series_counter" DROP COLUMN "numbering"',
    'ALTER TABLE "series" DROP COLUMN "proforma_format"',
    'ALTER TABLE "series" DROP COLUMN "order_format"',
    'CREATE UNIQUE INDEX "invoice_series_year_seq" ON "invoice" ("series", "year", "seq")',
    'CREATE UNIQUE INDEX "series_counter_series_id_year" ON "series_counter" ("series_id", "year")',
    "DELETE FROM schema_version WHERE version = 11",  # opening it applies 11 again
    # ... and only 11: the later versions stay applied, as if upgraded to one by one
    # (a database created in one go counts every version up to its newest as applied).
    "UPDATE schema_version SET description = 'upgraded' WHERE version > 11",
]


def _legacy_data(execute, p: str, customer_id: int) -> None:
    for seq, doc, date in LEGACY:
        execute(
            "INSERT INTO invoice (series, year, seq, number, status, document_type, kind, date,"
            " customer_id, language, taxable, vat, total, created_at) VALUES ('A', "
            f"{p}, {p}, {p}, {p}, {p}, 'regular', {p}, {p}, 'it', 10000, 2200, 12200, {p})",
            (
                2024 if seq else None,
                seq,
                f"A/2024/{seq:04d}" if seq else None,
                "issued" if seq else "draft",
                doc,
                date,
                customer_id,
                "2024-01-01 00:00:00",
            ),
        )
    execute(
        "INSERT INTO series_counter (series_id, year, last_seq) "
        "SELECT id, 2024, 3 FROM series WHERE code = 'A'",
        (),
    )


def _check_upgraded(db) -> None:
    """The numbers kept, the invoices' sequence continued, the pro-formas' started."""
    assert max(v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples()) >= 11
    kept = [
        (i.seq, i.number, i.numbering, i.document_type)
        for i in Invoice.select().order_by(Invoice.id)
    ]
    assert kept == [
        (1, "A/2024/0001", "fiscal", "invoice"),
        (2, "A/2024/0002", "fiscal", "proforma"),
        (3, "A/2024/0003", "fiscal", "invoice"),
        (None, None, None, "proforma"),
    ]
    assert [(c.year, c.numbering, c.last_seq) for c in SeriesCounter.select()] == [
        (2024, "fiscal", 3)
    ]
    draft = Invoice.select().where(Invoice.status == "draft").get()
    write_seller(db)  # an upgraded database gets its seller before it issues
    owner = Customer.get()
    k, pf = contract("K-NEW", owner), contract("K-PF", owner, document_type="proforma")
    [invoice] = create_invoices(db, [installment(k, "2024-05-10").id], status="issued")
    assert invoice.number == "A/2024/0004"
    assert issue_draft(db, draft.id) == "PF-A/2024/0001"
    [proforma] = create_invoices(db, [installment(pf, "2024-05-11").id], status="issued")
    assert proforma.number == "PF-A/2024/0002"
    listed = [(i["number"], i["numbering"], i["seq"]) for i in list_invoices()]
    assert listed == [
        ("A/2024/0001", "fiscal", 1),
        ("A/2024/0002", "fiscal", 2),
        ("A/2024/0003", "fiscal", 3),
        ("PF-A/2024/0001", "proforma", 1),
        ("A/2024/0004", "fiscal", 4),
        ("PF-A/2024/0002", "proforma", 2),
    ]
    assert {(c.numbering, c.last_seq) for c in SeriesCounter.select()} == {
        ("fiscal", 4),
        ("proforma", 2),
    }


def test_an_old_file_keeps_its_numbers_and_continues_them(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    _legacy_data(con.execute, "?", 1)
    con.commit()
    con.close()
    db = open_database(str(path))
    try:
        _check_upgraded(db)
    finally:
        db.close()


def test_a_version_10_database_keeps_its_numbers_and_continues_them(db, db_target):
    owner = Customer.create(code="ACME", name="ACME S.r.l.")
    with db.atomic():
        for statement in _DOWNGRADE:
            db.execute_sql(statement)
        _legacy_data(db.execute_sql, db.param, owner.id)
    db.close()
    upgraded = open_database(db_target)
    try:
        _check_upgraded(upgraded)
    finally:
        upgraded.close()
