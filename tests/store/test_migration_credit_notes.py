"""Version 18: credit notes name the invoice and lines they correct. SQLite's upgrade from
version 1 is checked column by column with every migration (test_migrations); here the
step itself on PostgreSQL, from a database just before it."""

from __future__ import annotations

from tests.conftest import new_pg_database
from tui_billing.store.database import open_database


def test_upgrade_adds_the_columns_foreign_keys_and_index_on_postgresql(pg_cluster):
    target = new_pg_database(pg_cluster)
    db = open_database(target)
    db.execute_sql('DROP INDEX "invoice_corrects"')
    db.execute_sql("ALTER TABLE invoice DROP COLUMN corrects_id")
    db.execute_sql("ALTER TABLE invoice_line DROP COLUMN credits_line_id")
    db.execute_sql("DELETE FROM schema_version WHERE version = 18")
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version <> 18")
    db.close()
    db = open_database(target)
    keys = set(
        db.execute_sql(
            "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc"
            " JOIN information_schema.key_column_usage kcu"
            " ON kcu.constraint_name = tc.constraint_name"
            " WHERE tc.constraint_type = 'FOREIGN KEY'"
        ).fetchall()
    )
    assert {("invoice", "corrects_id"), ("invoice_line", "credits_line_id")} <= keys
    indexes = {
        row[0]
        for row in db.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'invoice'"
        ).fetchall()
    }
    assert "invoice_corrects" in indexes
    assert (
        db.execute_sql("SELECT COUNT(*) FROM schema_version WHERE version = 18").fetchone()[0] == 1
    )
    db.close()
