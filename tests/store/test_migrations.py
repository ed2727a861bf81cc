"""An older database file is upgraded in place, its data kept."""

import sqlite3
from decimal import Decimal
from pathlib import Path

from tui_billing.store.database import open_database
from tui_billing.store.migrations import MIGRATIONS
from tui_billing.store.models import Contract, ContractLine, Outbox, SchemaVersion

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def test_version_1_file_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.close()

    db = open_database(str(path))
    versions = [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)]
    assert versions == sorted(MIGRATIONS)  # numbers may be left unused
    contract = Contract.get(Contract.code == "K-001")
    assert contract.cost_centre is None
    contract.cost_centre = "CC-01"
    contract.save()
    assert ContractLine.get().unit_price == Decimal("50.0000")
    assert Outbox.select().count() == 0
    db.close()

    db = open_database(str(path))  # a second open changes nothing
    assert SchemaVersion.select().count() == len(MIGRATIONS)
    assert Contract.get().cost_centre == "CC-01"
    db.close()


def test_upgraded_file_has_the_same_indexes_as_a_new_one(tmp_path):
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)
    con.executescript(FIXTURE.read_text())
    con.close()
    open_database(str(old)).close()
    open_database(str(tmp_path / "new.sqlite")).close()

    def indexes(path):
        con = sqlite3.connect(path)
        rows = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        con.close()
        return rows

    assert indexes(old) == indexes(tmp_path / "new.sqlite")


def test_upgraded_file_has_the_same_tables_as_a_new_one(tmp_path):
    """Every table with the same columns (in any order: ALTER TABLE appends them), foreign
    keys and keys that are never reused (AUTOINCREMENT)."""
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)
    con.executescript(FIXTURE.read_text())
    con.close()
    open_database(str(old)).close()
    open_database(str(tmp_path / "new.sqlite")).close()

    def tables(path):
        con = sqlite3.connect(path)
        found = {}
        for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            columns = sorted(row[1:] for row in con.execute(f'PRAGMA table_info("{name}")'))
            keys = sorted(row[2:] for row in con.execute(f'PRAGMA foreign_key_list("{name}")'))
            found[name] = (columns, keys, "AUTOINCREMENT" in sql)
        con.close()
        return found

    new = tables(tmp_path / "new.sqlite")
    assert tables(old) == new
    assert [name for name, (*_, autoincrement) in new.items() if autoincrement] == ["contract_line"]


def test_a_lower_migration_skipped_by_a_higher_one_is_applied_later(tmp_path, monkeypatch):
    """A database upgraded by a build that had migration 8 but not yet 7 (numbers reserved
    by separate branches) gets 7 once a build has both."""
    from tui_billing.store import migrations

    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.close()
    without_7 = {v: step for v, step in MIGRATIONS.items() if v != 7}
    monkeypatch.setattr(migrations, "MIGRATIONS", without_7)
    open_database(str(path)).close()
    con = sqlite3.connect(path)
    assert "economics" not in {row[1] for row in con.execute("PRAGMA table_info(contract_line)")}
    con.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)

    db = open_database(str(path))
    assert [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)] == sorted(
        MIGRATIONS
    )
    assert ContractLine.get().economics is None  # the column is there
    db.close()


def test_an_outbox_without_claims_gains_them(tmp_path):
    """A database made before version 17: its outbox gets the claim columns, rows kept."""
    path = tmp_path / "v16.sqlite"
    open_database(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE outbox DROP COLUMN claimed_by")
    con.execute("ALTER TABLE outbox DROP COLUMN claimed_at")
    con.execute("DELETE FROM schema_version WHERE version = 17")
    con.execute("UPDATE schema_version SET description = 'upgraded' WHERE version > 17")
    con.commit()
    con.close()
    open_database(str(path)).close()
    con = sqlite3.connect(path)
    columns = {row[1] for row in con.execute('PRAGMA table_info("outbox")')}
    versions = [v for (v,) in con.execute("SELECT version FROM schema_version")]
    con.close()
    assert {"claimed_by", "claimed_at"} <= columns
    assert 17 in versions
