"""Version 23: a contract's lifecycle columns, its renewal terms and the index of renewing
contracts, added to a database just before it, on both servers."""

from __future__ import annotations

from tui_billing.store.database import open_database

COLUMNS = (
    "duration",
    "renewal",
    "renewal_duration",
    "notice_days",
    "renewal_price",
    "cancel_notice_date",
    "cancel_reason",
    "cancel_end",
)


def test_upgrade_adds_the_lifecycle_columns_terms_and_index(db_target):
    db = open_database(db_target)
    db.execute_sql('DROP INDEX "contract_renewing"')
    db.execute_sql('DROP TABLE "contract_term"')
    for column in COLUMNS:
        db.execute_sql(f'ALTER TABLE contract DROP COLUMN "{column}"')
    db.execute_sql("DELETE FROM schema_version WHERE version = 23")
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version <> 23")
    db.close()
    db = open_database(db_target)
    assert set(COLUMNS) <= {c.name for c in db.get_columns("contract")}
    assert "contract_term" in db.get_tables()
    assert "contract_renewing" in {i.name for i in db.get_indexes("contract")}
    assert (
        db.execute_sql("SELECT COUNT(*) FROM schema_version WHERE version = 23").fetchone()[0] == 1
    )
    db.close()
