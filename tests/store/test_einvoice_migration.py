"""Migration 20 adds the e-invoice tables to a database of an earlier version."""

from __future__ import annotations


def test_an_older_database_gets_the_einvoice_tables(db_target):
    from tui_billing.store.database import open_database
    from tui_billing.store.models import SchemaVersion

    db = open_database(db_target)
    for table in ("sdi_receipt", "sdi_file", "sdi_progressive"):
        db.execute_sql(f'DROP TABLE "{table}"')
    # an upgraded database (not one created in one go) that lacks only version 20
    SchemaVersion.update(description="upgraded").execute()
    SchemaVersion.delete().where(SchemaVersion.version == 20).execute()
    db.close()
    db = open_database(db_target)
    assert {"sdi_file", "sdi_receipt", "sdi_progressive"} <= set(db.get_tables())
    assert SchemaVersion.get_by_id(20).description.startswith("e-invoices")
    db.close()
